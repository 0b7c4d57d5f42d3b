"""The municipality's stuck list after a claim: a signal nobody picked up for nine days reached the
municipality; the moment a steward picks it up, it leaves the stuck list and every count — on the
municipality's page and on the coordinator's start page. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality
from waakvlam.followup.sweep import sweep_kind
from waakvlam.routing.followups import SIGNAL_PICKUP

pytestmark = [pytest.mark.e2e]


def _stat(page: Any, label: str) -> str:
    card = page.locator(".stat-card", has_text=label)
    return str(card.locator(".stat-card__number").inner_text())


def test_a_claimed_signal_leaves_the_stuck_list_and_every_count(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    now = timezone.now()
    due = now - timedelta(days=9)
    signal = signal_for(team("Waakvlam Centrum-Oost"), received_at=due - timedelta(hours=4), due_at=due)
    moment = now
    for _ in range(3):  # coordinator, municipality, still stuck
        sweep_kind(SIGNAL_PICKUP, moment)
        signal.refresh_from_db()
        moment = max(moment, signal.next_step_at) + timedelta(seconds=1)

    regie = log_in("regie")
    regie.goto("/regie/vastgelopen/")
    signals = regie.get_by_role("region", name="Signalen")
    expect(signals.get_by_role("row", name=signal.tracking_code)).to_be_visible()
    before = int(_stat(regie, "geëscaleerd naar de gemeente"))
    assert before >= 1
    assert _stat(regie, "te laat zonder escalatie") == "0"
    assert_accessible(regie)

    coordinator = log_in("coordinator")
    escalated_before = int(_stat(coordinator, "geëscaleerd, nog niet opgepakt"))
    late_before = int(_stat(coordinator, "te laat, nog niet opgepakt"))
    assert escalated_before >= 1 and late_before >= 1

    steward = log_in("waakvlammer")
    steward.goto(f"/signalen/{signal.pk}/")
    steward.get_by_role("button", name="Oppakken").click()
    expect(steward.get_by_text("opgepakt").first).to_be_visible()

    regie.reload()
    expect(regie.get_by_role("row", name=signal.tracking_code)).to_have_count(0)
    assert int(_stat(regie, "geëscaleerd naar de gemeente")) == before - 1
    assert _stat(regie, "te laat zonder escalatie") == "0"
    assert_accessible(regie)

    coordinator.reload()
    assert int(_stat(coordinator, "geëscaleerd, nog niet opgepakt")) == escalated_before - 1
    assert int(_stat(coordinator, "te laat, nog niet opgepakt")) == late_before - 1
    assert_accessible(coordinator)
