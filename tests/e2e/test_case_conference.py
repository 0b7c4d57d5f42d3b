"""The journey of capability 7 in a browser: a steward opens a household, convenes a case conference, invites
the housing association and gives it a task; the housing association's participant finds the task under
"Taken" and marks it done. (The attention list that would lead the steward here is another app's part.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waakvlam.core.models import Municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def household_id(demo_town: Municipality) -> int:
    from tests.contact.helpers import plan_for
    from tests.factories import signal_for, team

    plan = plan_for("waakvlammer")
    household = plan.resident.household
    assert household is not None
    centre = team("Waakvlam Centrum-Oost")
    signal_for(centre, household=household, address=household.address, category="payment_arrears")
    signal_for(centre, household=household, address=household.address, category="nuisance")
    return str(household.public_id)


def test_convene_give_a_task_and_the_housing_association_marks_it_done(
    log_in: Callable[..., Any], household_id: str, assert_accessible: Callable[[Any], None]
) -> None:
    steward = log_in("waakvlammer")
    steward.goto(f"/huishoudens/{household_id}/")
    steward.get_by_role("link", name="Casusoverleg beleggen").click()
    steward.get_by_label("Waarover gaat het overleg?").fill("Huurachterstand en overlast: wie doet wat")
    steward.get_by_label("Het eigen netwerk van de bewoner doet mee").uncheck()
    steward.get_by_label("Reden als de bewoner of het netwerk niet meedoet").fill(
        "Bewoner wil dit eerst zelf vertellen"
    )
    assert_accessible(steward)
    steward.get_by_role("button", name="Casusoverleg beleggen").click()
    steward.wait_for_url("**/casusoverleg/*/")
    assert steward.get_by_text("Agenda: signalen uit de tijdlijn").is_visible()

    steward.get_by_label("Wie nodig je uit?").select_option(label="Sanne de Vries (Woonstede)")
    steward.get_by_label("Toestemming van de bewoner").check()
    steward.get_by_role("button", name="Uitnodigen").click()
    steward.get_by_label("Wat moet er gebeuren?").fill("Betalingsregeling aanbieden")
    steward.get_by_label("Klaar als").fill("De bewoner heeft een regeling getekend")
    steward.get_by_label("Organisatie", exact=True).select_option(label="Woonstede")
    steward.get_by_label("Eigenaar").select_option(label="Sanne de Vries (Woonstede)")
    steward.get_by_label("Uiterlijk klaar op").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    steward.get_by_role("button", name="Taak geven").click()
    assert steward.get_by_role("link", name="Betalingsregeling aanbieden").is_visible()
    assert_accessible(steward)

    housing = log_in("signaleerder")
    housing.get_by_role("navigation").get_by_role("link", name="Taken").click()
    assert_accessible(housing)
    housing.get_by_role("link", name="Betalingsregeling aanbieden").click()
    housing.get_by_role("button", name="Taak gedaan").click()
    assert housing.get_by_text("De taak is afgerond.").is_visible()
    assert housing.get_by_text("Gedaan", exact=True).is_visible()
    assert_accessible(housing)
    # What the housing association may not see stays hidden: the agenda answers 404.
    housing.get_by_role("link", name="casusoverleg", exact=True).click()
    housing.wait_for_url("**/casusoverleg/*/")
    assert housing.get_by_text("Agenda: signalen uit de tijdlijn").count() == 0
