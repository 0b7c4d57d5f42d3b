"""Moved to waakvlam.followup.calendar (the follow-up clock sits below routing); this name stays only so
branches written against it still import. New code imports waakvlam.followup.calendar."""

from waakvlam.followup.calendar import (
    DEFAULT_CALENDAR,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    is_working_day,
    working_time_between,
)

__all__ = [
    "DEFAULT_CALENDAR",
    "WorkingCalendar",
    "add_working_days",
    "add_working_hours",
    "is_working_day",
    "working_time_between",
]
