"""The steward's journey: from a signal to the person. Pick up the signal, start a contact plan from it
(address and signal carried along), record the first contact moment, and see the pilot light burning at
the address on the signal's page. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.contact.helpers import postcode_areas
from tests.factories import signal_for, team
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality
from waakvlam.households.linking import household_for_address

pytestmark = [pytest.mark.e2e]


def test_signal_to_plan_to_contact(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    postcode_areas()
    signal = signal_for(team("Waakvlam Centrum-Oost"), category="isolation")
    # As intake does for every signal with an address: it belongs to the household living there.
    signal.household = household_for_address(address=signal.address, now=timezone.now())
    signal.save(update_fields=["household"])
    page = log_in("waakvlammer")
    page.goto(f"/signalen/{signal.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Oppakken").click()
    start = page.get_by_role("link", name="Waakvlamcontact starten vanuit dit signaal")
    expect(start).to_be_visible()
    assert_accessible(page)

    start.click()
    page.wait_for_url(re.compile(rf"/bewoners/nieuw/\?signaal={signal.pk}$"))
    # The signal's address is carried along; the steward adds who it is about.
    expect(page.get_by_label("Postcode")).to_have_value(signal.address.postcode)
    expect(page.get_by_label("Huisnummer")).to_have_value(str(signal.address.house_number))
    page.get_by_label("Naam").fill("Truus de Vries")
    page.get_by_label("Toestemming van de bewoner").check()
    assert_accessible(page)
    page.get_by_role("button", name="Waakvlamcontact starten").click()
    page.wait_for_url(re.compile(r"/waakvlamcontact/[0-9a-f-]{36}/$"))
    plan = ContactPlan.objects.get(signal=signal)
    assert plan.steward.username == "waakvlammer"
    assert plan.resident.household is not None and plan.resident.household.address_id == signal.address_id
    expect(page.get_by_text(signal.tracking_code, exact=True)).to_be_visible()
    assert_accessible(page)

    form = page.locator("form.contact-form")
    form.get_by_label("Huisbezoek").check()
    form.get_by_role("radio", name="Ja", exact=True).check()
    form.get_by_role("radio", name="Gaat goed", exact=True).check()
    form.get_by_role("button", name="Contact vastleggen").click()
    page.wait_for_url(re.compile(rf"/waakvlamcontact/{plan.public_id}/"))
    assert plan.moments.count() == 1
    assert_accessible(page)

    # Back on the signal: the pilot light burns at this address, one click from the plan.
    page.goto(f"/signalen/{signal.pk}/")
    burning = page.get_by_role("region", name="Waakvlam op dit adres")
    expect(burning.get_by_role("link", name="Truus de Vries")).to_have_attribute(
        "href", f"/waakvlamcontact/{plan.public_id}/"
    )
    assert_accessible(page)
