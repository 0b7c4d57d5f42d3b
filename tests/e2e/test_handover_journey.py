"""The GGZ clinician's journey: from the start page, announce a discharge with how to reach them; the
receiving steward finds it on their start page, sees who sent it, accepts it and works through the checklist
step by step (each step saves on its own, without reloading the page); the clinician's start page then
says what the handover waits for. Every page passes axe."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.contact.helpers import postcode_areas
from tests.e2e.test_phone import PHONE, _no_zooming_fields, _screenshot
from tests.factories import user
from waakvlam.core.models import Municipality
from waakvlam.handover.models import Handover, HandoverItem
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.services import AddressInput
from waakvlam.privacy.services import Actor

pytestmark = [pytest.mark.e2e]

# The page was about 5,300 px high with six separate save forms; one folded checklist stays well below.
MAX_CHECKLIST_HEIGHT = 3000


def _page_height(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def test_ggz_start_page_to_handover_checklist(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    postcode_areas()
    ggz = log_in("ggz")
    expect(ggz.get_by_role("heading", name="Warme overdrachten")).to_be_visible()
    assert_accessible(ggz)
    ggz.get_by_role("link", name="Uitstroom aankondigen").click()
    ggz.wait_for_url(re.compile(r"/overdrachten/nieuw/$"))
    ggz.get_by_label("Naam bewoner").fill("Piet Bos")
    ggz.get_by_label("Datum uitstroom").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    ggz.get_by_label("Postcode nieuw adres").fill("9901AB")
    ggz.get_by_label("Huisnummer").fill("21")
    ggz.get_by_label("Jouw telefoonnummer").fill("030 700 12 34")
    ggz.get_by_label("Jouw e-mailadres").fill("g.visser@ggz-kompas.example")
    assert_accessible(ggz)
    ggz.get_by_role("button", name="Aankondigen").click()
    ggz.wait_for_url(re.compile(r"/overdrachten/[0-9a-f-]{36}/$"))
    handover = Handover.objects.get()
    assert_accessible(ggz)
    ggz.goto("/")
    expect(ggz.get_by_text("Wacht op acceptatie door Waakvlam Centrum-Oost.")).to_be_visible()

    steward = log_in("waakvlammer", viewport={"width": 1280, "height": 800})
    steward.get_by_role("link", name="Piet Bos").click()
    steward.wait_for_url(re.compile(rf"/overdrachten/{handover.public_id}/$"))
    sender = steward.locator(".sender-card")
    expect(sender).to_contain_text("Gijs Visser")
    expect(sender.get_by_role("link", name="030 700 12 34")).to_have_attribute("href", "tel:0307001234")
    assert_accessible(steward)
    steward.get_by_role("button", name="Accepteren").click()
    steward.wait_for_url(re.compile(rf"/overdrachten/{handover.public_id}/$"))
    expect(steward.locator("#step-accept")).to_contain_text("geaccepteerd")
    height = _page_height(steward)
    print(f"handover checklist page height at 1280 px: {height} px")  # quoted in the report
    if not os.environ.get("WAAKVLAM_MEASURE_ONLY"):
        assert height < MAX_CHECKLIST_HEIGHT

    # One step, saved with htmx: the step answers in place, the page does not reload.
    step = steward.locator("#item-gp")
    step.get_by_text("huisarts bijwerken").click()
    step.get_by_role("radio", name="Geregeld", exact=True).check()
    step.get_by_label("Wat is afgesproken").fill("Ingeschreven bij huisarts Smit.")
    steward.evaluate("window.__notReloaded = true")
    step.get_by_role("button", name="huisarts opslaan").click()
    expect(steward.locator("#item-gp")).to_contain_text("Opgeslagen.")
    expect(steward.locator("#item-gp")).to_contain_text("Ingeschreven bij huisarts Smit.")
    assert steward.evaluate("window.__notReloaded === true")
    expect(steward.locator("#step-close")).not_to_contain_text("Huisarts")
    assert HandoverItem.objects.get(handover=handover, topic="gp").state == "done"
    assert_accessible(steward)

    ggz.goto("/")
    expect(ggz.get_by_text(re.compile("Geaccepteerd, waakvlammer Wim Bakker"))).to_be_visible()
    assert_accessible(ggz)


def _announced() -> Handover:
    postcode_areas()
    ggz = user("ggz")
    return handover_announce(
        data=HandoverInput(
            discharge_on=timezone.localdate(),
            address=AddressInput("9901AB", 12),
            resident_name="Piet Bos",
            sender_phone="030 700 12 34",
        ),
        by=ggz,
        actor=Actor(user_id=ggz.pk, username="ggz", role=ggz.role, organisation="ggz-kompas"),
        now=timezone.now(),
    )


def test_the_checklist_on_a_phone(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None], tmp_path: Path
) -> None:
    handover = _announced()
    page = log_in("waakvlammer", **PHONE)
    page.goto(f"/overdrachten/{handover.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdracht: Piet Bos")
    expect(page.locator(".sender-card").get_by_role("link", name="030 700 12 34")).to_be_in_viewport()
    _no_zooming_fields(page)
    _screenshot(page, "handover-checklist-390x844.png", tmp_path)
    assert_accessible(page)
