"""On a phone (390 x 844, an iPhone 12 to 15): the menu folds away, the primary action is on the first screen,
and no field is so small that iOS zooms in. The screenshots in docs/screenshots/ come from this test:
`WAAKVLAM_SCREENSHOTS=docs .venv/bin/pytest tests/e2e/test_phone.py` (scripts/screenshots.sh)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.contact.helpers import plan_for
from waakvlam.core.models import Municipality

pytestmark = [pytest.mark.e2e]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
FOLD = 844
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _screenshot(page: Any, name: str, tmp_path: Path) -> None:
    """Into the docs when asked for (so an ordinary test run never rewrites them), else beside the test."""
    folder = DOCS if os.environ.get("WAAKVLAM_SCREENSHOTS") == "docs" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


def _above_the_fold(locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None, "the primary action is not rendered"
    assert box["y"] >= 0 and box["y"] + box["height"] <= FOLD, f"primary action at {box}, below the first {FOLD} px"


def _no_zooming_fields(page: Any) -> None:
    sizes = page.eval_on_selector_all(
        "input:not([type=hidden]), select, textarea", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 16, sizes


def test_steward_start_page_on_a_phone(
    demo_town: Municipality,
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    plan_for("waakvlammer", rhythm_days=7)  # due this week, so the start page offers to record it
    page = log_in("waakvlammer", **PHONE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn waakvlam")

    # The menu is folded behind one button; opening it shows the links.
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Signalen", exact=True)).to_be_hidden()
    primary = page.locator(".primary-action .button--primary")
    expect(primary).to_have_text(re.compile(r"Signalen oppakken|Naar de inbox"))
    _above_the_fold(primary)
    _above_the_fold(page.get_by_role("link", name=re.compile("^Contact vastleggen")))
    _screenshot(page, "steward-start-390x844.png", tmp_path)
    assert_accessible(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Signalen", exact=True)).to_be_visible()
    assert_accessible(page)


def test_contact_form_on_a_phone(
    demo_town: Municipality,
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    plan = plan_for("waakvlammer", rhythm_days=7)
    page = log_in("waakvlammer", **PHONE)
    page.get_by_role("link", name=re.compile("^Contact vastleggen")).click()
    page.wait_for_url(re.compile(rf"/waakvlamcontact/{plan.public_id}/"))
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.get_by_role("heading", name="Contact vastleggen")).to_be_visible()
    _above_the_fold(page.get_by_label("Datum"))
    _above_the_fold(page.get_by_role("heading", name="Contact vastleggen"))
    _no_zooming_fields(page)
    _screenshot(page, "contact-form-390x844.png", tmp_path)
    assert_accessible(page)


def test_public_form_fields_do_not_zoom(demo_town: Municipality, new_page: Callable[..., Any]) -> None:
    page = new_page(**PHONE)
    page.goto("/melding-doen/")
    _no_zooming_fields(page)
    _above_the_fold(page.get_by_label("Waar maak je je zorgen over?"))
