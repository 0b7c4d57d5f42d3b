"""Need-to-know: objects of another organisation or team answer 404, in the UI and the API alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import other_municipality, signal_for, team
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Organisation

pytestmark = pytest.mark.django_db

# Who may open a signal owned by the team "Waakvlam Centrum-Oost" (buurtwerk).
SIGNAL_MATRIX = {
    "waakvlammer": 200,  # member of the owning team
    "coordinator": 200,  # coordinator of the owning organisation
    "waakvlammer2": 404,  # same organisation, other team and neighbourhoods
    "ggz": 404,  # other organisation
    "signaleerder": 404,
    "wijkagent": 404,
    "regie": 404,  # municipality sees figures, not personal data
    "privacy": 404,
    "beheer": 404,
}


@pytest.mark.parametrize(("username", "expected"), SIGNAL_MATRIX.items())
def test_signal_detail_matrix_ui_and_api(login: Callable[[str], Client], username: str, expected: int) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login(username)
    assert client.get(f"/signalen/{signal.pk}/").status_code == expected
    assert client.get(f"/api/v1/signals/{signal.pk}").status_code == expected


def test_hidden_and_missing_look_the_same(login: Callable[[str], Client]) -> None:
    hidden = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("ggz")
    hidden_response = client.get(f"/api/v1/signals/{hidden.pk}")
    missing_response = client.get("/api/v1/signals/999999")
    assert hidden_response.status_code == missing_response.status_code == 404
    assert hidden_response.json() == missing_response.json()


def test_organisation_a_gets_404_for_organisation_b(town: Municipality, client: Client) -> None:
    _, _, other_team, other_steward = other_municipality()
    theirs = signal_for(other_team)
    ours = signal_for(team("Waakvlam Centrum-Oost"))
    client.force_login(other_steward)
    assert client.get(f"/signalen/{ours.pk}/").status_code == 404
    assert client.get(f"/signalen/{theirs.pk}/").status_code == 200
    listing = client.get("/signalen/").content.decode()
    assert ours.tracking_code not in listing


def test_lists_never_count_hidden_objects(login: Callable[[str], Client]) -> None:
    for _ in range(3):
        signal_for(team("Waakvlam Centrum-Oost"))
    page = login("waakvlammer2").get("/").content.decode()
    assert 'stat-card__number">0<' in page.replace(" ", "").replace("\n", "") or "Geen open signalen" in page


def test_api_key_sees_only_its_own_organisation(town: Municipality, client: Client) -> None:
    ours = signal_for(team("Waakvlam Centrum-Oost"))
    _, key = api_key_create(organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:read"])
    assert client.get(f"/api/v1/signals/{ours.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    _, own_key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"), scopes=["signals:read"])
    assert client.get(f"/api/v1/signals/{ours.pk}", HTTP_AUTHORIZATION=f"Bearer {own_key}").status_code == 200


def test_api_without_credentials_is_401(client: Client, town: Municipality) -> None:
    response = client.get("/api/v1/neighbourhoods")
    assert response.status_code == 401
    assert "detail" in response.json()
    assert client.get("/api/v1/neighbourhoods", HTTP_AUTHORIZATION="Bearer wv_nope_nope").status_code == 401


def test_rules_permission_agrees_with_selector(login: Callable[[str], Client]) -> None:
    from waakvlam.core.models import User

    signal = signal_for(team("Waakvlam Centrum-Oost"))
    for username, expected in SIGNAL_MATRIX.items():
        assert User.objects.get(username=username).has_perm("intake.view_signal", signal) is (expected == 200)
