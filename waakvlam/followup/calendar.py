"""Working-time arithmetic for response times: "4 working hours", "3 working days".

Deadlines count in the installation's time zone (settings.TIME_ZONE, WAAKVLAM_TIME_ZONE), on working days
(Monday to Friday, Dutch public holidays excluded) between 09:00 and 17:00 local time. A working day is
the length of one working day of working time, so "1 working day" from Friday 15:00 is Monday 15:00.

A deadline is the earliest moment at which the requested working time has elapsed: when it falls exactly
at the end of a working day the deadline is 17:00 that day, not 09:00 the next. Everything is computed on
local wall-clock time within one working day; daylight-saving changes happen at night (02:00/03:00), so
they never fall inside working hours and an hour of working time is always an hour of real time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

ZERO = timedelta(0)


@lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """When the teams work. One calendar per installation for now; the fields allow one per team later."""

    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset({0, 1, 2, 3, 4}))  # Monday = 0
    country: str = "NL"
    time_zone: str = ""  # "" = settings.TIME_ZONE

    def __post_init__(self) -> None:
        if self.day_start >= self.day_end:
            raise ValueError("A working day must end after it starts.")
        if not self.weekdays:
            raise ValueError("A working week needs at least one working day.")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)

    @property
    def working_day(self) -> timedelta:
        """The working time of one working day (8 hours for 09:00-17:00)."""
        return datetime.combine(date.min, self.day_end) - datetime.combine(date.min, self.day_start)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in _public_holidays(self.country, day.year)

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        zone = self.zone
        return datetime.combine(day, self.day_start, tzinfo=zone), datetime.combine(day, self.day_end, tzinfo=zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment at which `duration` of working time has passed since `start` (aware datetime)."""
        if start.tzinfo is None:
            raise ValueError("Deadlines need an aware datetime; got a naive one.")
        if duration < ZERO:
            raise ValueError("A response time cannot be negative.")
        if duration == ZERO:
            return start
        remaining = duration
        current = start.astimezone(self.zone)
        # Every year has working days, so this ends; the bound only guards against a broken calendar.
        for _ in range(366 * 50):
            day = current.date()
            if self.is_working_day(day):
                day_start, day_end = self._bounds(day)
                current = max(current, day_start)
                if current < day_end:
                    available = day_end - current
                    if remaining <= available:
                        return current + remaining
                    remaining -= available
            current = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.zone)
        raise ValueError("No working time found within fifty years; check the working calendar.")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The working time from `start` to `end` (zero when `end` is not after `start`)."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("Working time needs aware datetimes.")
        if end <= start:
            return ZERO
        total = ZERO
        current = start.astimezone(self.zone)
        finish = end.astimezone(self.zone)
        while current.date() <= finish.date():
            day = current.date()
            if self.is_working_day(day):
                day_start, day_end = self._bounds(day)
                lower, upper = max(current, day_start), min(finish, day_end)
                if upper > lower:
                    total += upper - lower
            current = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.zone)
        return total


DEFAULT_CALENDAR = WorkingCalendar()


def add_working_hours(start: datetime, hours: int | float, *, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    return calendar.add(start, timedelta(hours=hours))


def add_working_days(start: datetime, days: int, *, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    return calendar.add(start, calendar.working_day * days)


def working_time_between(start: datetime, end: datetime, *, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> timedelta:
    return calendar.between(start, end)


def is_working_day(day: date, *, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> bool:
    return calendar.is_working_day(day)
