"""From a signal to the person: the signal page shows the pilot light already burning at the address (within
need-to-know, logged), offers to record a contact there or start a plan carrying the signal, flags a second
plan at the same address, and counts the address's earlier signals by source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.contact.helpers import plan_for
from tests.factories import signal_for, team, user
from waakvlam.core.models import Organisation
from waakvlam.households.models import Household
from waakvlam.privacy.models import AccessLogEntry


def _signal_at(household: Household, **fields: object) -> object:
    return signal_for(
        team("Waakvlam Centrum-Oost"),
        neighbourhood=household.neighbourhood,
        address=household.address,
        household=household,
        **fields,
    )


def test_the_signal_page_shows_the_plan_at_the_address_and_its_history(
    town: object, login: Callable[[str], Client]
) -> None:
    plan = plan_for("waakvlammer")
    household = plan.resident.household
    assert household is not None
    now = timezone.now()
    woonstede = Organisation.objects.get(slug="woonstede")
    politie = Organisation.objects.get(slug="politie")
    for days in (400, 300, 200):
        _signal_at(
            household,
            received_at=now - timedelta(days=days),
            status="closed",
            outcome="no_concern",
            reporter_organisation=woonstede,
        )
    _signal_at(
        household,
        received_at=now - timedelta(days=100),
        status="closed",
        outcome="no_concern",
        reporter_organisation=politie,
    )
    signal = _signal_at(household, owner_user=user("waakvlammer"), status="assigned")
    before = AccessLogEntry.objects.order_by("-seq").first().seq  # type: ignore[union-attr]

    html = login("waakvlammer").get(f"/signalen/{signal.pk}/").content.decode()  # type: ignore[attr-defined]
    assert "Waakvlam op dit adres" in html and str(plan.resident) in html
    assert f"/waakvlamcontact/{plan.public_id}/#contact-vastleggen" in html
    assert f"/bewoners/nieuw/?signaal={signal.pk}" in html  # type: ignore[attr-defined]
    assert "4 andere signalen sinds" in html and "waarvan 4 afgesloten" in html and "Van 2 bronnen" in html
    assert f"{woonstede.name}: 3" in html and f"{politie.name}: 1" in html
    logged = AccessLogEntry.objects.filter(seq__gt=before, context="ui:signal_pilot_light")
    assert list(logged.values_list("subject", flat=True)) == [f"resident:{plan.resident_id}"]

    # Someone of another team sees neither the signal nor, therefore, the plan behind it.
    assert login("waakvlammer2").get(f"/signalen/{signal.pk}/").status_code == 404  # type: ignore[attr-defined]


def test_starting_a_second_plan_at_the_address_is_flagged(town: object, login: Callable[[str], Client]) -> None:
    plan = plan_for("waakvlammer")
    household = plan.resident.household
    assert household is not None
    signal = _signal_at(household, owner_user=user("waakvlammer"), status="assigned")
    page = login("waakvlammer").get(f"/bewoners/nieuw/?signaal={signal.pk}").content.decode()  # type: ignore[attr-defined]
    assert "op dit adres loopt al een waakvlamcontact" in page and f"/waakvlamcontact/{plan.public_id}/" in page


def test_without_a_plan_the_signal_offers_to_start_one(town: object, login: Callable[[str], Client]) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"), owner_user=user("waakvlammer"), status="assigned")
    html = login("waakvlammer").get(f"/signalen/{signal.pk}/").content.decode()
    assert "Waakvlamcontact starten vanuit dit signaal" in html
    form = login("waakvlammer").get(f"/bewoners/nieuw/?signaal={signal.pk}").content.decode()
    assert signal.tracking_code in form and "al een waakvlamcontact" not in form
