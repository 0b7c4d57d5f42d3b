"""Every screen counts a late, escalated signal the same way, and a claim takes it out of all of them.

Late is measured against the original pickup time (due_at, which no escalation moves), so a signal nobody
picked up stays late however often it climbed the ladder; picking it up ends the escalation: it leaves the
stuck page, the stuck figure, the insight figure and every "late"/"escalated" tile, and no sweep escalates
it again. Its level stays as history (the "escalatie N" badge)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.models import Municipality
from waakvlam.core.start_page import start_page_for
from waakvlam.core.templatetags.ui import is_overdue
from waakvlam.followup.selectors import stuck_overview
from waakvlam.followup.sweep import pending_items, sweep_kind
from waakvlam.insight.models import ALL_ORGANISATIONS
from waakvlam.insight.selectors import Scope, _now_figures
from waakvlam.insight.spells import state_refresh
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.selectors import SignalFilters, signals_filtered, signals_visible_to
from waakvlam.routing.followups import SIGNAL_PICKUP
from waakvlam.routing.selectors import inbox_counts, inbox_signals
from waakvlam.routing.services import signal_claim

pytestmark = pytest.mark.django_db

TICK = timedelta(microseconds=1)


def _everywhere(signal: Signal, now: datetime) -> dict[str, Any]:
    """What each screen says about the signal right now: the coordinator's inbox and start page, the
    steward's start page, the signal list's "te laat" filter and row badge, the municipality's stuck page
    and the insight figure."""
    coordinator, steward, regie = user("coordinator"), user("waakvlammer"), user("regie")
    inbox = inbox_counts(inbox_signals(coordinator), coordinator, now)
    home_c, home_s = start_page_for(coordinator), start_page_for(steward)
    stuck_rows = {kind.kind.name: list(kind.rows) for kind in stuck_overview(regie, now)}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    state_refresh(now)  # the insight figure is the worker's, as of its last pass (insight/spells.py)
    _now_figures(Scope(municipality_id=signal.municipality_id, organisation_id=ALL_ORGANISATIONS), now, counts)
    listed_late = signals_filtered(signals_visible_to(coordinator), SignalFilters(overdue=True), now=now)
    return {
        "inbox_overdue": inbox["overdue"],
        "inbox_escalated": inbox["escalated"],
        "home_coordinator_late": home_c["count_overdue"],
        "home_coordinator_escalated": home_c["count_escalated"],
        "home_steward_late": home_s["count_overdue"],
        "list_late": listed_late.filter(pk=signal.pk).count(),
        "row_badge_late": int(is_overdue(Signal.objects.get(pk=signal.pk))),
        "stuck_page": sum(1 for row in stuck_rows["signal_pickup"] if row["pk"] == signal.pk),
        "stuck_figure": pending_items(SIGNAL_PICKUP, now).filter(pk=signal.pk).count(),
        "insight_stuck": sum(c["stuck"] for c in counts.values()),
    }


def test_late_stays_late_on_every_screen_until_a_claim_ends_it(town: Municipality) -> None:
    now = timezone.now()
    due = now - timedelta(days=9)  # nobody picked it up for nine days
    signal = signal_for(team("Waakvlam Centrum-Oost"), received_at=due - timedelta(hours=4), due_at=due)

    seen = _everywhere(signal, now)
    assert seen["stuck_figure"] == 1 and seen["insight_stuck"] == 1, "late, escalation owed"
    assert seen["inbox_overdue"] == seen["home_coordinator_late"] == seen["list_late"] == seen["row_badge_late"] == 1

    # Climb the ladder to the municipality and beyond; each step moves only the next step, never due_at.
    moment = now
    for _ in range(4):
        sweep_kind(SIGNAL_PICKUP, moment)
        signal.refresh_from_db()
        assert signal.due_at == due
        seen = _everywhere(signal, now)
        assert seen["stuck_figure"] == 0 and seen["insight_stuck"] == 0, "the sweep recorded the escalation"
        assert seen["inbox_overdue"] == seen["home_coordinator_late"] == 1, "late stays late"
        assert seen["list_late"] == seen["row_badge_late"] == 1
        assert seen["inbox_escalated"] == seen["home_coordinator_escalated"] == 1
        moment = max(moment, signal.next_step_at) + TICK
    assert signal.escalation_level == 4
    assert _everywhere(signal, now)["stuck_page"] == 1, "at the municipality's level"

    signal_claim(signal=signal, by=user("waakvlammer"), now=now)
    seen = _everywhere(signal, now)
    assert seen == dict.fromkeys(seen, 0), seen
    # The claim ended the escalation: later sweeps leave it alone; its level stays as history.
    events = SignalEvent.objects.filter(signal=signal, kind="escalated").count()
    later = now + timedelta(days=30)
    sweep_kind(SIGNAL_PICKUP, later)
    signal.refresh_from_db()
    assert SignalEvent.objects.filter(signal=signal, kind="escalated").count() == events
    assert signal.escalation_level == 4
    assert _everywhere(signal, later) == dict.fromkeys(seen, 0)
