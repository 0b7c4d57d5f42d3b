"""The household page: who sees it (the role matrix with the demo users), what it shows, and the access log.

One household (9901AB 7, Binnenstad) with three signals: a neglect signal taken in normally (owned by
"Waakvlam Centrum-Oost"), a relapse signal owned by the GGZ team, and an arrears signal owned by
"Vroegsignalering". Everyone sees the household only through a signal they may see, and on it only those
signals; everyone else gets a 404, and only a page that was shown is logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.models import Neighbourhood
from waakvlam.households.linking import households_visible_to
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

ROLES = [
    "waakvlammer",
    "waakvlammer2",
    "coordinator",
    "ggz",
    "signaleerder",
    "wijkagent",
    "regie",
    "privacy",
    "beheer",
    "budgetcoach",
]
# Which of the three signals each role sees on the page; an empty set means: 404.
SEES = {
    "waakvlammer": {"neglect"},
    "coordinator": {"neglect"},  # buurtwerk's coordinator: buurtwerk's teams only
    "ggz": {"relapse_signs"},
    "budgetcoach": {"payment_arrears"},
}


@pytest.fixture
def household(areas: dict[str, Neighbourhood]) -> Household:
    first = signal_create(
        data=SignalInput(
            category="neglect", description="Vuilniszakken op het balkon.", address=AddressInput("9901AB", "7")
        ),
        reporter=Reporter.for_user(user("signaleerder")),
        now=timezone.now(),
    )
    assert first.owner_team.name == "Waakvlam Centrum-Oost" and first.household is not None
    hh = first.household
    signal_for(team("GGZ Kompas FACT-team"), address=first.address, household=hh, category="relapse_signs")
    signal_for(team("Vroegsignalering"), address=first.address, household=hh, category="payment_arrears")
    return hh


@pytest.mark.parametrize("username", ROLES)
def test_household_page_role_matrix(household: Household, login: Callable[[str], Client], username: str) -> None:
    client = login(username)
    before = AccessLogEntry.objects.filter(object_type="households.household").count()
    response = client.get(f"/huishoudens/{household.public_id}/")
    expected = SEES.get(username, set())
    assert response.status_code == (200 if expected else 404)
    logged = AccessLogEntry.objects.filter(object_type="households.household").order_by("-seq")
    assert logged.count() == before + (1 if expected else 0)
    if not expected:
        return
    entry = logged.first()
    assert entry is not None
    assert (entry.username, entry.action, entry.object_id) == (username, "view", str(household.pk))
    assert entry.subject == f"address:{household.address_id}"  # what a resident's access request looks for
    assert entry.context == "ui:household_detail"
    page = response.content.decode()
    shown = {s.category for s in Signal.objects.filter(household=household) if f'href="/signalen/{s.pk}/"' in page}
    assert shown == expected
    assert "9901 AB" in page


@pytest.mark.parametrize("username", ROLES)
def test_selector_agrees_with_the_page(household: Household, username: str) -> None:
    assert households_visible_to(user(username)).filter(pk=household.pk).exists() is (username in SEES)


def test_unknown_household_is_a_404_and_logs_nothing(household: Household, login: Callable[[str], Client]) -> None:
    client = login("waakvlammer")
    before = AccessLogEntry.objects.count()
    assert client.get("/huishoudens/999999/").status_code == 404
    # The old integer id is no URL any more.
    assert client.get(f"/huishoudens/{household.pk}/").status_code == 404
    assert client.get(f"/huishoudens/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/en/huishoudens/{household.public_id}/").status_code == 200
    assert AccessLogEntry.objects.count() == before + 1


def test_anonymous_is_sent_to_login(household: Household, client: Client) -> None:
    response = client.get(f"/huishoudens/{household.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_timeline_shows_source_owner_and_status(household: Household, login: Callable[[str], Client]) -> None:
    page = login("waakvlammer").get(f"/huishoudens/{household.public_id}/").content.decode()
    assert "Vervuiling / verwaarlozing" in page
    assert "Woonstede" in page  # the reporting organisation
    assert "Waakvlam Centrum-Oost" in page  # the owning team
    assert "Ontvangen" in page  # the status
    assert "Signalen van terugval" not in page  # GGZ's signal is not for this steward


def test_signal_page_links_to_the_household_and_lists_only_visible_neighbours(
    household: Household, login: Callable[[str], Client]
) -> None:
    mine = Signal.objects.get(household=household, category="neglect")
    extra = signal_for(team("Waakvlam Centrum-Oost"), address=mine.address, household=household, category="isolation")
    page = login("waakvlammer").get(f"/signalen/{mine.pk}/").content.decode()
    assert f'href="/huishoudens/{household.public_id}/"' in page
    assert "Andere signalen op dit adres" in page
    assert f'href="/signalen/{extra.pk}/"' in page
    hidden = Signal.objects.get(household=household, category="relapse_signs")
    assert f'href="/signalen/{hidden.pk}/"' not in page
