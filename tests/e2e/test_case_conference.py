"""The journey of capabilities 8 and 7 in a browser: a steward opens an attention item, reads why the household
is there, convenes a case conference from it (or from the household page), invites the housing association and
gives it a task; the housing association's participant finds the task under "Taken" and marks it done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waakvlam.attention.models import AttentionItem, ItemStatus, TakeUp
from waakvlam.attention.services import items_refresh
from waakvlam.core.models import Municipality
from waakvlam.households.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def household(demo_town: Municipality) -> Household:
    """A resident of waakvlammer's with an arrears and a nuisance signal: the attention rules fire on them."""
    from tests.contact.helpers import plan_for
    from tests.factories import signal_for, team

    plan = plan_for("waakvlammer")
    household = plan.resident.household
    assert household is not None
    centre = team("Waakvlam Centrum-Oost")
    signal_for(centre, household=household, address=household.address, category="payment_arrears")
    signal_for(centre, household=household, address=household.address, category="nuisance")
    return household


def convene_and_give_the_housing_association_a_task(steward: Any, assert_accessible: Callable[[Any], None]) -> None:
    """From the convening form on: convene, invite woonstede's participant, give them a task."""
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


def the_housing_association_marks_its_task_done(
    log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
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


def test_convene_give_a_task_and_the_housing_association_marks_it_done(
    log_in: Callable[..., Any], household: Household, assert_accessible: Callable[[Any], None]
) -> None:
    steward = log_in("waakvlammer")
    steward.goto(f"/huishoudens/{household.public_id}/")
    steward.get_by_role("link", name="Casusoverleg beleggen").click()
    convene_and_give_the_housing_association_a_task(steward, assert_accessible)
    the_housing_association_marks_its_task_done(log_in, assert_accessible)


def test_from_an_attention_item_to_a_task_the_housing_association_marks_done(
    log_in: Callable[..., Any], household: Household, assert_accessible: Callable[[Any], None]
) -> None:
    items_refresh(household_ids=[household.pk], now=timezone.now())
    item = AttentionItem.objects.get(household_id=household.pk, status=ItemStatus.OPEN)

    steward = log_in("waakvlammer")
    steward.get_by_role("navigation").get_by_role("link", name="Aandacht").click()
    assert_accessible(steward)
    steward.get_by_role("link", name=str(item.household.address)).click()
    steward.wait_for_url(f"**/aandacht/{item.public_id}/")
    why = steward.get_by_role("region", name="Waarom staat dit huishouden hier?")
    assert why.is_visible()
    # The reasons name the rule that fired and the signals it fired on.
    assert why.get_by_text("Betalingsachterstand", exact=True).first.is_visible()
    assert why.get_by_text("Overlast", exact=True).first.is_visible()
    assert_accessible(steward)

    steward.get_by_role("link", name="Casusoverleg beleggen").click()
    steward.wait_for_url(f"**/casusoverleg/nieuw/?household={household.public_id}")
    convene_and_give_the_housing_association_a_task(steward, assert_accessible)

    # Convening took the item up; the list no longer asks for a decision about this household.
    steward.goto(f"/aandacht/{item.public_id}/")
    assert steward.get_by_text("Opgepakt: Casusoverleg").is_visible()
    item.refresh_from_db()
    assert (item.status, item.take_up) == (ItemStatus.TAKEN_UP, TakeUp.CASE_CONFERENCE)

    the_housing_association_marks_its_task_done(log_in, assert_accessible)
