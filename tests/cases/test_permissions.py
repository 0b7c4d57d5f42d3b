"""Role by action for case conferences and tasks, in the UI and the API: a participant sees the case and only
the parts their basis allows; everyone else gets 404; the municipality sees counts only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import CaseWorld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _informal_supporter(town: object) -> None:
    """The light role of the informal network: it must find nothing of a case."""
    from tests.network.conftest import supporter

    supporter("buddy")


USERS = [
    "waakvlammer",
    "waakvlammer2",
    "coordinator",
    "ggz",
    "signaleerder",
    "wijkagent",
    "regie",
    "privacy",
    "beheer",
    "buddy",
]
PARTICIPANTS = {"waakvlammer", "coordinator", "ggz", "signaleerder"}
WORKERS = {"waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "wijkagent"}
MANAGERS = {"waakvlammer", "coordinator"}


def allowed(who: set[str], yes: int = 200, no: int = 404, **other: int) -> dict[str, int]:
    return {u: other.get(u, yes if u in who else no) for u in USERS}


READS: dict[str, tuple[Callable[[CaseWorld], str], dict[str, int]]] = {
    "ui case": (lambda w: f"/casusoverleg/{w.conference.public_id}/", allowed(PARTICIPANTS)),
    "ui agenda (signals)": (lambda w: f"/casusoverleg/{w.conference.public_id}/agenda/", allowed({*MANAGERS, "ggz"})),
    "ui contact plan": (
        lambda w: f"/casusoverleg/{w.conference.public_id}/waakvlamcontact/",
        allowed({*MANAGERS, "ggz"}),
    ),
    "ui early-warning plan": (lambda w: f"/casusoverleg/{w.conference.public_id}/signaleringsplan/", allowed(MANAGERS)),
    "ui unknown part": (lambda w: f"/casusoverleg/{w.conference.public_id}/dossier/", allowed(set())),
    "ui task": (lambda w: f"/taken/{w.task.public_id}/", allowed(PARTICIPANTS)),
    "ui tasks": (lambda w: "/taken/", allowed(WORKERS)),
    "ui cases": (lambda w: "/casusoverleg/", allowed(WORKERS, regie=302)),
    "ui figures": (lambda w: "/casusoverleg/cijfers/", allowed({"coordinator", "regie"})),
    "ui convene": (lambda w: f"/casusoverleg/nieuw/?household={w.household.public_id}", allowed(MANAGERS)),
    "api case": (lambda w: f"/api/v1/case-conferences/{w.conference.public_id}", allowed(PARTICIPANTS)),
    "api agenda": (lambda w: f"/api/v1/case-conferences/{w.conference.public_id}/agenda", allowed({*MANAGERS, "ggz"})),
    "api task": (lambda w: f"/api/v1/tasks/{w.task.public_id}", allowed(PARTICIPANTS)),
    "api figures": (lambda w: "/api/v1/case-conferences/figures", allowed({"coordinator", "regie"})),
}


@pytest.mark.parametrize("action", READS)
@pytest.mark.parametrize("username", USERS)
def test_read_matrix(login: Callable[[str], Client], case_world: CaseWorld, action: str, username: str) -> None:
    path, expected = READS[action]
    assert login(username).get(path(case_world)).status_code == expected[username], (action, username)


@pytest.mark.parametrize("username", USERS)
def test_mark_done_matrix(login: Callable[[str], Client], case_world: CaseWorld, username: str) -> None:
    """The owner, and who runs the case, may mark the task done; nobody else can even find it to try."""
    may = {"signaleerder", *MANAGERS}
    response = login(username).post(f"/taken/{case_world.task.public_id}/klaar/", {"note": ""})
    assert response.status_code == (302 if username in may else 404)
    case_world.task.refresh_from_db()
    assert case_world.task.status == ("done" if username in may else "open")


@pytest.mark.parametrize("username", USERS)
def test_api_write_matrix(login: Callable[[str], Client], case_world: CaseWorld, username: str) -> None:
    client = login(username)
    invite = client.post(
        f"/api/v1/case-conferences/{case_world.conference.public_id}/participants",
        {"username": "wijkagent", "basis": "consent", "scopes": []},
        content_type="application/json",
    )
    assert invite.status_code == (201 if username in MANAGERS else 404), invite.content
    drop = client.post(
        f"/api/v1/tasks/{case_world.task.public_id}/drop",
        {"reason": "Niet meer nodig"},
        content_type="application/json",
    )
    assert drop.status_code == (200 if username in {"signaleerder", *MANAGERS} else 404), drop.content
    body = {
        "household_id": str(case_world.household.public_id),
        "question": "Nieuw overleg",
        "meets_on": timezone.localdate().isoformat(),
        "resident_takes_part": True,
        "network_takes_part": True,
    }
    create = client.post("/api/v1/case-conferences", body, content_type="application/json")
    assert create.status_code == (201 if username in MANAGERS else 404), create.content


def test_the_municipality_never_sees_content(login: Callable[[str], Client], case_world: CaseWorld) -> None:
    client = login("regie")
    assert client.get("/api/v1/case-conferences").json()["count"] == 0
    assert client.get("/api/v1/tasks").json()["count"] == 0
    figures = client.get("/casusoverleg/cijfers/")
    assert figures.status_code == 200
    assert case_world.conference.question not in figures.content.decode()
    assert client.get("/api/v1/case-conferences/figures").json()["tasks_open"] == 1


def test_lists_show_only_what_is_visible(login: Callable[[str], Client], case_world: CaseWorld) -> None:
    assert login("wijkagent").get("/api/v1/case-conferences").json()["count"] == 0
    assert login("signaleerder").get("/api/v1/case-conferences").json()["count"] == 1
    detail = login("signaleerder").get(f"/api/v1/case-conferences/{case_world.conference.public_id}").json()
    assert detail["agenda"] is None and detail["your_scopes"] == []
    assert login("ggz").get(f"/api/v1/case-conferences/{case_world.conference.public_id}").json()["agenda"]


def test_an_api_key_is_refused(client: Client, case_world: CaseWorld) -> None:
    from waakvlam.core.apikeys import api_key_create
    from waakvlam.core.models import Organisation

    _key, raw = api_key_create(organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:read"])
    response = client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_the_start_page_counts_the_open_tasks(login: Callable[[str], Client], case_world: CaseWorld) -> None:
    assert "1 open taak voor jou of je organisatie" in login("signaleerder").get("/").content.decode()
    assert "0 open taken voor jou of je organisatie" in login("waakvlammer").get("/").content.decode()
