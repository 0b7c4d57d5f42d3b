"""From a plan to the household in a browser (issue 12): the steward opens a resident's plan, follows
"Huishouden en tijdlijn" and reads one timeline of the signal, the plan, the contact and the early-warning
plan at the address; the page passes axe, in Dutch and in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, early_warning_for, plan_for
from tests.factories import signal_for, team, user
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Municipality
from waakvlam.core.templatetags.ui import datumkort

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_plan_to_the_household_timeline(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    plan = plan_for("waakvlammer")
    household = plan.resident.household
    assert household is not None
    contact_record(
        plan=plan,
        data=MomentInput(timezone.localdate(), "phone", True, "fine", "Gebeld."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    early_warning_for(plan.resident)
    signal_for(team("Waakvlam Centrum-Oost"), household=household, address=household.address, category="neglect")

    steward = log_in("waakvlammer")
    steward.goto(f"/waakvlamcontact/{plan.public_id}/")
    steward.get_by_role("link", name="Huishouden en tijdlijn").click()
    steward.wait_for_url(f"**/huishoudens/{household.public_id}/#tijdlijn")
    timeline = steward.get_by_role("table", name="Tijdlijn")
    rows = timeline.locator("tbody tr")
    kinds = {rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())}
    assert kinds == {"Signaal", "Waakvlamcontact", "Contactmoment", "Signaleringsplan"}
    assert datumkort(timezone.localdate()) in timeline.inner_text()
    assert "Gebeld." not in steward.content()  # the note stays on the plan page
    assert_accessible(steward)

    steward.goto(f"/en/huishoudens/{household.public_id}/")
    assert steward.get_by_role("heading", name="Timeline").is_visible()
    assert_accessible(steward)
