"""Role by action: who may see and change a contact plan, its contact log, the early-warning plan and the
consents, in the UI and the API. Anything not visible answers 404, lists never count hidden rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import consent_for
from tests.factories import other_municipality
from waakvlam.contact.models import DataKind
from waakvlam.core.models import Municipality

pytestmark = pytest.mark.django_db

USERS = ["waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "wijkagent", "regie", "privacy", "beheer"]
KEEPERS = {"waakvlammer", "coordinator"}  # the plan's steward and the coordinator (also its back-up)
CARE = {"waakvlammer", "waakvlammer2", "coordinator", "ggz"}


def allowed(who: set[str], yes: int = 200, no: int = 404) -> dict[str, int]:
    return {u: yes if u in who else no for u in USERS}


READS: dict[str, tuple[Callable[[World], str], dict[str, int]]] = {
    "ui plan page": (lambda w: f"/waakvlamcontact/{w.plan.public_id}/", allowed(KEEPERS)),
    "ui plan edit": (lambda w: f"/waakvlamcontact/{w.plan.public_id}/wijzigen/", allowed(KEEPERS)),
    "ui plan close": (lambda w: f"/waakvlamcontact/{w.plan.public_id}/afsluiten/", allowed(KEEPERS)),
    "ui early-warning plan": (lambda w: f"/bewoners/{w.resident.public_id}/signaleringsplan/", allowed(KEEPERS)),
    "ui early-warning print": (
        lambda w: f"/bewoners/{w.resident.public_id}/signaleringsplan/afdrukken/",
        allowed(KEEPERS),
    ),
    "ui early-warning edit": (
        lambda w: f"/bewoners/{w.resident.public_id}/signaleringsplan/wijzigen/",
        allowed(KEEPERS),
    ),
    "ui resident consents": (lambda w: f"/bewoners/{w.resident.public_id}/toestemmingen/", allowed(KEEPERS)),
    "ui my residents": (lambda w: "/bewoners/", allowed(CARE)),
    "ui consent list": (lambda w: "/toestemmingen/", allowed(CARE)),
    "ui new plan": (lambda w: "/bewoners/nieuw/", allowed({"waakvlammer", "waakvlammer2", "coordinator"})),
    "ui team view": (lambda w: "/team/waakvlam/", allowed({"coordinator"})),
    "ui resident export": (lambda w: f"/privacy/bewoners/{w.resident.public_id}/inzage/", allowed({"privacy"})),
    "ui resident export json": (
        lambda w: f"/privacy/bewoners/{w.resident.public_id}/inzage.json",
        allowed({"privacy"}),
    ),
    "api plan": (lambda w: f"/api/v1/contact-plans/{w.plan.public_id}", allowed(KEEPERS)),
    "api contact": (lambda w: f"/api/v1/contacts/{w.moment.public_id}", allowed(KEEPERS)),
    "api early-warning plan": (lambda w: f"/api/v1/early-warning-plans/{w.early_warning.public_id}", allowed(KEEPERS)),
}


@pytest.mark.parametrize("action", READS)
@pytest.mark.parametrize("username", USERS)
def test_read_matrix(login: Callable[[str], Client], world: World, action: str, username: str) -> None:
    path, expected = READS[action]
    assert login(username).get(path(world)).status_code == expected[username], (action, username)


@pytest.mark.parametrize("username", USERS)
def test_write_matrix_ui_and_api(login: Callable[[str], Client], world: World, username: str) -> None:
    client = login(username)
    today = timezone.localdate().isoformat()
    form = {"happened_on": today, "channel": "phone", "made": "ja", "wellbeing": "fine", "note": ""}
    response = client.post(f"/waakvlamcontact/{world.plan.public_id}/contact/", form)
    assert response.status_code == (302 if username in KEEPERS else 404)
    body = {"plan_id": str(world.plan.public_id), "channel": "visit", "made": False}
    api = client.post("/api/v1/contacts", body, content_type="application/json")
    assert api.status_code == (201 if username in KEEPERS else 404), api.content
    consent = {
        "resident_id": str(world.resident.public_id),
        "organisation": "ggz-kompas",
        "data_kind": "contact_plan",
        "purpose": "Nazorg",
        "valid_until": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    api = client.post("/api/v1/consents", consent, content_type="application/json")
    assert api.status_code == (201 if username in KEEPERS else 404), api.content


@pytest.mark.parametrize("username", USERS)
def test_lists_count_only_what_is_visible(login: Callable[[str], Client], world: World, username: str) -> None:
    client = login(username)
    for path in ("/api/v1/contact-plans", "/api/v1/contacts", "/api/v1/early-warning-plans"):
        data = client.get(path).json()
        assert data["count"] == (1 if username in KEEPERS else 0), (path, username)
    page = client.get("/bewoners/")
    if username in CARE:
        assert ("Jan Jansen" in page.content.decode()) is (username == "waakvlammer" or username == "coordinator")


def test_consent_opens_exactly_the_kind_of_data_it_covers(login: Callable[[str], Client], world: World) -> None:
    consent_for(world.resident, "ggz-kompas", DataKind.CONTACT_PLAN)
    client = login("ggz")
    assert client.get(f"/waakvlamcontact/{world.plan.public_id}/").status_code == 200
    assert client.get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 200
    assert client.get(f"/api/v1/contacts/{world.moment.public_id}").status_code == 200
    # Not the early-warning plan: that needs its own consent.
    assert client.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/").status_code == 404
    assert client.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code == 404
    # Reading is not changing: no contact log entries, no edits, no consents for a partner.
    assert client.post(f"/waakvlamcontact/{world.plan.public_id}/contact/", {}).status_code == 404
    assert client.get(f"/waakvlamcontact/{world.plan.public_id}/wijzigen/").status_code == 404
    consent_for(world.resident, "ggz-kompas", DataKind.EARLY_WARNING_PLAN)
    assert client.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/").status_code == 200
    assert client.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code == 200
    # Another organisation still sees nothing.
    assert login("wijkagent").get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 404


def test_another_municipality_sees_nothing(town: Municipality, client: Client, world: World) -> None:
    _, _, _, stranger = other_municipality()
    client.force_login(stranger)
    assert client.get(f"/waakvlamcontact/{world.plan.public_id}/").status_code == 404
    assert client.get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 404
    assert client.get("/api/v1/contact-plans").json()["count"] == 0


def test_hidden_and_missing_look_the_same(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer2")
    hidden = client.get(f"/api/v1/contact-plans/{world.plan.public_id}")
    missing = client.get("/api/v1/contact-plans/999999")
    huge = client.get(f"/api/v1/contact-plans/{2**70}")
    assert hidden.status_code == missing.status_code == huge.status_code == 404
    assert hidden.json() == missing.json()


def test_rules_agree_with_the_selectors(world: World) -> None:
    from tests.factories import user

    for username in USERS:
        assert user(username).has_perm("contact.view_contactplan", world.plan) is (username in KEEPERS)
        assert user(username).has_perm("contact.change_contactplan", world.plan) is (username in KEEPERS)


@pytest.mark.parametrize(
    "path",
    [
        "/waakvlamcontact/{n}/",
        "/waakvlamcontact/{n}/wijzigen/",
        "/bewoners/{n}/signaleringsplan/",
        "/bewoners/{n}/signaleringsplan/afdrukken/",
        "/bewoners/{n}/signaleringsplan/wijzigen/",
        "/bewoners/{n}/toestemmingen/",
        "/toestemmingen/{n}/intrekken/",
        "/overdrachten/{n}/",
        "/privacy/bewoners/{n}/inzage/",
        "/api/v1/contact-plans/{n}",
        "/api/v1/contacts/{n}",
        "/api/v1/early-warning-plans/{n}",
        "/api/v1/consents/{n}",
        "/api/v1/handovers/{n}",
    ],
)
def test_ids_too_large_for_the_database_are_404(login: Callable[[str], Client], world: World, path: str) -> None:
    client = login("privacy" if "privacy" in path else "waakvlammer")
    assert client.get(path.format(n=10**25)).status_code == 404
    assert client.get("/api/v1/contact-plans", {"resident_id": 10**25}).status_code == 422
