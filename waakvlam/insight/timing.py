"""The time definitions every signal figure shares: the local day, the month, pickup time and "in time"."""

from __future__ import annotations

from datetime import date, datetime

from waakvlam.followup.calendar import DEFAULT_CALENDAR


def local_day(moment: datetime) -> date:
    return moment.astimezone(DEFAULT_CALENDAR.zone).date()


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=DEFAULT_CALENDAR.zone)


def month_of(day: date) -> date:
    return day.replace(day=1)


def pickup_tenths(received_at: datetime, picked_up_at: datetime) -> int:
    """Time to pickup in whole tenths of an hour (floored): the resolution the figures are published in."""
    return max(0, int((picked_up_at - received_at).total_seconds()) // 360)


def picked_up_in_time(picked_up_at: datetime | None, due_at: datetime, escalation_level: int) -> bool:
    """Picked up by the first due time of the current owner's chain.

    The follow-up clock keeps due_at at the first due time, so picked_up_at <= due_at says it. Signals
    escalated before the clock existed had due_at moved at each escalation; an escalation happens only to
    a signal nobody picked up, so escalation_level = 0 keeps the rule right for those rows too."""
    return picked_up_at is not None and escalation_level == 0 and picked_up_at <= due_at
