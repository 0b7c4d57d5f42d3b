"""Every demo role against every intake action, in the UI and the API alike.

A signal about Binnenstad (owned by "Waakvlam Centrum-Oost") reported by `signaleerder`: only the owning
team's members and their coordinator see it; the reporter sees its status, never its text or owner."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import user
from tests.intake.conftest import signal_body
from waakvlam.core.models import Neighbourhood
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create

pytestmark = pytest.mark.django_db

SEES = {"waakvlammer", "coordinator"}
REPORTS = {"signaleerder", "waakvlammer", "waakvlammer2", "coordinator", "ggz", "wijkagent"}
ROLES = ["signaleerder", "waakvlammer", "waakvlammer2", "coordinator", "ggz", "wijkagent", "regie", "privacy", "beheer"]


@pytest.fixture
def reported(areas: dict[str, Neighbourhood]) -> Signal:
    data = SignalInput(
        category="neglect",
        description="De voordeur staat al dagen open en er hangt een vieze geur.",
        address=AddressInput("9901AB", "7"),
    )
    return signal_create(data=data, reporter=Reporter.for_user(user("signaleerder")), now=timezone.now())


@pytest.mark.parametrize("username", ROLES)
def test_reading_matrix_ui_and_api(reported: Signal, login: Callable[[str], Client], username: str) -> None:
    client = login(username)
    sees = username in SEES
    assert client.get(f"/signalen/{reported.pk}/").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/signals/{reported.pk}").status_code == (200 if sees else 404)
    listing = client.get("/signalen/")
    assert listing.status_code == 200
    assert (f'href="/signalen/{reported.pk}/"' in listing.content.decode()) is sees
    api_list = client.get("/api/v1/signals").json()
    assert api_list["count"] == (1 if sees else 0)
    assert [i["id"] for i in api_list["items"]] == ([reported.pk] if sees else [])


@pytest.mark.parametrize("username", ROLES)
def test_reporting_matrix_ui_and_api(
    areas: dict[str, Neighbourhood], login: Callable[[str], Client], username: str
) -> None:
    client = login(username)
    may = username in REPORTS
    assert client.get("/melden/").status_code == (200 if may else 403)
    response = client.post("/api/v1/signals", signal_body(), content_type="application/json")
    assert response.status_code == (201 if may else 403)


def test_anonymous_visitors_get_the_public_pages_only(reported: Signal, client: Client) -> None:
    assert client.get("/melden/").status_code == 302  # to the login page
    assert client.get("/signalen/").status_code == 302
    assert client.get(f"/signalen/{reported.pk}/").status_code == 302
    assert client.get("/api/v1/signals").status_code == 401
    assert client.get(f"/api/v1/signals/{reported.pk}").status_code == 401
    assert client.get("/melding-doen/").status_code == 200
    assert client.get("/volgen/").status_code == 200
    assert client.get(f"/volgen/{reported.tracking_code}/").status_code == 200


def test_signaller_sees_the_status_of_own_reports_only(reported: Signal, login: Callable[[str], Client]) -> None:
    page = login("signaleerder").get("/").content.decode()
    assert reported.tracking_code in page
    assert reported.get_status_display() in page
    for secret in ("voordeur", "Waakvlam Centrum-Oost", "Dorpsstraat", "9901"):
        assert secret not in page
    # Someone else's report does not show up on their start page.
    other = login("wijkagent").get("/").content.decode()
    assert reported.tracking_code not in other


def test_api_keys_see_what_their_organisation_owns(
    reported: Signal, client: Client, api_key: Callable[..., str]
) -> None:
    reporter_key = api_key("woonstede")  # the reporting organisation does not own the signal
    owner_key = api_key("buurtwerk")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {reporter_key}"}
    assert client.get(f"/api/v1/signals/{reported.pk}", **auth).status_code == 404
    assert client.get("/api/v1/signals", **auth).json()["count"] == 0
    auth = {"HTTP_AUTHORIZATION": f"Bearer {owner_key}"}
    assert client.get(f"/api/v1/signals/{reported.pk}", **auth).json()["description"].startswith("De voordeur")
    assert client.get("/api/v1/signals", **auth).json()["count"] == 1
