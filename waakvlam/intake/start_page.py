"""The signaller's start page: report a concern, and how far their own reports got. Registered in
IntakeConfig.ready() (core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.core.models import User
from waakvlam.intake import selectors
from waakvlam.intake.models import TrackingStatus
from waakvlam.intake.tracking import tracking_status


def my_reports(user: User, now: datetime) -> dict[str, Any]:
    # Only the three tracking steps, never internal statuses: the reporter's view stops at "picked up".
    reports = list(selectors.signals_reported_by(user)[:10])
    for report in reports:
        report.tracking_label = TrackingStatus(tracking_status(report)).label  # type: ignore[attr-defined]
    return {"my_reports": reports}
