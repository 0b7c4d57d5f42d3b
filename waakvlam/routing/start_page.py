"""The carers' start pages (steward, coordinator, partner): their signals at a glance. Registered as a start
page's context and parts in RoutingConfig.ready() (core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.core.models import User
from waakvlam.intake import selectors as intake_selectors
from waakvlam.intake.models import Status
from waakvlam.routing.selectors import escalated_and_waiting, late_and_waiting


def signals_at_a_glance(user: User, now: datetime) -> dict[str, Any]:
    open_signals = intake_selectors.signals_visible_to(user).exclude(status=Status.CLOSED)
    return {
        "teams": user.teams.all(),
        "count_new": open_signals.filter(status=Status.RECEIVED).count(),
        "count_mine": open_signals.filter(owner_user=user).count(),
        "count_overdue": open_signals.filter(late_and_waiting(now)).count(),
        "count_escalated": open_signals.filter(escalated_and_waiting()).count(),
        "recent": open_signals.select_related("neighbourhood", "owner_team").order_by("due_at")[:8],
    }
