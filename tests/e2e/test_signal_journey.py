"""The heart of Waakvlam in a browser: a resident reports, follows the report, and a steward sees it.

A resident files a public signal, opens its tracking page (which shows only the step and a date), and
the steward of the neighbourhood finds it in the inbox with its due time; after the steward picks it
up, the tracking page says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from waakvlam.core.models import Municipality, Neighbourhood, PostcodeArea
from waakvlam.intake.models import Signal

pytestmark = pytest.mark.e2e


def test_public_signal_is_tracked_and_lands_in_the_stewards_inbox(
    demo_town: Municipality,
    new_page: Callable[..., Any],
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    binnenstad = Neighbourhood.objects.get(code="BU99990100")
    PostcodeArea.objects.create(
        municipality=demo_town, neighbourhood=binnenstad, postcode="9901KL", street="Kerkweg", city="Demodorp"
    )

    resident = new_page()
    resident.goto("/melding-doen/")
    assert resident.get_by_text("112").first.is_visible()
    assert resident.get_by_text("Veilig Thuis").first.is_visible()
    resident.get_by_label("Waar maak je je zorgen over?").select_option("isolation")
    resident.get_by_label("Postcode").fill("9901 kl")
    resident.get_by_label("Huisnummer").fill("7")
    resident.get_by_label("Wat is er gezien?").fill(
        "De bewoner komt al weken niet meer buiten en de post stapelt zich op."
    )
    resident.get_by_role("button", name="Versturen").click()
    resident.wait_for_url(re.compile(r"/bedankt/"))
    code = resident.locator("strong code").inner_text().strip()
    assert code
    assert_accessible(resident)

    signal = Signal.objects.get(tracking_code=code)
    assert signal.owner_team.name == "Waakvlam Centrum-Oost"
    assert signal.neighbourhood_id == binnenstad.pk

    resident.goto(f"/volgen/{code}/")
    tracking = resident.locator("main").inner_text()
    assert "Ontvangen" in tracking
    # Only the step and a date: never who has it, what was seen, where, or how it ended.
    for secret in ["post stapelt", "Kerkweg", "9901", "Waakvlam Centrum-Oost", "Bakker"]:
        assert secret not in tracking
    assert_accessible(resident)

    steward = log_in("waakvlammer")
    steward.goto("/inbox/")
    row = steward.locator("tr", has_text="Eenzaamheid")
    assert row.count() >= 1
    due = row.first.locator("time")
    assert due.count() >= 1 and due.first.get_attribute("datetime")
    assert_accessible(steward)

    steward.goto(f"/signalen/{signal.pk}/")
    steward.get_by_role("button", name=re.compile("oppakken", re.IGNORECASE)).first.click()
    steward.wait_for_load_state()
    signal.refresh_from_db()
    assert signal.picked_up_at is not None

    resident.goto(f"/volgen/{code}/")
    assert "Opgepakt" in resident.locator("main").inner_text()
