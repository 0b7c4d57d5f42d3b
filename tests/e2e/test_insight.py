"""The regie's insight page in a real browser: plotly draws the map and the trend under the CSP, the
table sorts by keyboard, and the page passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality
from waakvlam.followup.sweep import sweep_kind
from waakvlam.insight.rollups import rollups_rebuild
from waakvlam.routing.followups import SIGNAL_PICKUP


def test_regie_sees_map_trend_and_table_accessibly(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    rollups_rebuild(now=timezone.now())
    page = log_in("regie")
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(f"{message.text} @ {message.location}") if message.type == "error" else None,
    )
    page.get_by_role("link", name="Wijkinzicht", exact=True).click()
    page.wait_for_url("**/inzicht/")
    page.locator("[data-plot='map-data'] .main-svg").first.wait_for()
    page.locator("[data-plot='trend-data'] .main-svg").first.wait_for()
    assert page.get_by_role("table").first.is_visible()
    # htmx (on every page, not ours) tries to add its indicator style; nothing of plotly may be refused.
    refused = [e for e in errors if "Content Security Policy" in e and "htmx" not in e]
    assert not refused, refused
    assert_accessible(page)

    # Sort by keyboard: tab to the column's link and press Enter.
    page.locator("thead a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sorteer=signals_in**")
    assert page.locator("th[aria-sort='descending']").count() == 1

    page.get_by_label("Cijfer op de kaart").select_option("stuck")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**figuur=stuck**")
    page.locator("[data-plot='map-data'] .main-svg").first.wait_for()
    assert_accessible(page)


def test_regie_hands_over_a_stuck_signal_from_the_stuck_page_accessibly(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    """The top of the ladder with a consequence: from the stuck page to the signal's regie page (metadata
    only, passes axe), and a hand-over to another organisation's team with a reason."""
    stuck = signal_for(
        team("Waakvlam Centrum-Oost"), category="payment_arrears", due_at=timezone.now() - timedelta(days=3)
    )
    now = stuck.due_at + timedelta(microseconds=1)
    while stuck.escalation_level < 2:  # the deadline sweep, up to the municipality
        sweep_kind(SIGNAL_PICKUP, now)
        stuck.refresh_from_db()
        assert stuck.next_step_at is not None
        now = stuck.next_step_at + timedelta(microseconds=1)
    page = log_in("regie")
    page.goto("/regie/vastgelopen/")
    page.locator(f"a[href$='/regie/vastgelopen/signaal/{stuck.pk}/']").click()
    page.wait_for_url(f"**/regie/vastgelopen/signaal/{stuck.pk}/")
    assert "Veel lawaai" not in page.content()  # the description never reaches the regie
    assert_accessible(page)
    page.get_by_label("Naar team").select_option(label="Wijkteam Demodorp (Sociaal Wijkteam Demodorp)")
    page.get_by_label("Reden").fill("Schulden: het wijkteam pakt dit op.")
    page.get_by_role("button", name="Overdragen").click()
    page.get_by_text("Overgedragen door de regie").wait_for()
    assert_accessible(page)
