"""Working-time arithmetic: weekends, Dutch public holidays, daylight saving, and properties for any start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waakvlam.followup.calendar import (
    DEFAULT_CALENDAR,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    is_working_day,
    working_time_between,
)

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (local(2026, 11, 30, 10), 4, local(2026, 11, 30, 14)),  # Monday, within the day
        (local(2026, 11, 30, 13), 4, local(2026, 11, 30, 17)),  # ends exactly at closing time: 17:00, not 09:00
        (local(2026, 11, 30, 15), 4, local(2026, 12, 1, 11)),  # carries over to the next morning
        (local(2026, 11, 30, 7), 1, local(2026, 11, 30, 10)),  # before opening: counts from 09:00
        (local(2026, 11, 30, 18), 1, local(2026, 12, 1, 10)),  # after closing: counts from the next morning
        (local(2026, 12, 4, 15), 4, local(2026, 12, 7, 11)),  # Friday afternoon → Monday
        (local(2026, 12, 5, 10), 1, local(2026, 12, 7, 10)),  # Saturday → Monday
        (local(2026, 12, 6, 23, 59), 8, local(2026, 12, 7, 17)),  # Sunday night → one full Monday
    ],
)
def test_adding_working_hours(start: datetime, hours: int, expected: datetime) -> None:
    assert add_working_hours(start, hours) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2026, 12, 4, 15), 1, local(2026, 12, 7, 15)),  # Friday 15:00 + 1 working day = Monday 15:00
        (local(2026, 12, 5, 12), 1, local(2026, 12, 7, 17)),  # from Saturday: the whole of Monday
        (local(2026, 11, 30, 9), 5, local(2026, 12, 4, 17)),  # a working week
        (local(2026, 11, 30, 10), 3, local(2026, 12, 3, 10)),
    ],
)
def test_adding_working_days(start: datetime, days: int, expected: datetime) -> None:
    assert add_working_days(start, days) == expected


def test_kings_day_is_skipped() -> None:
    # Koningsdag 2026 is Monday 27 April: Friday afternoon's deadline moves to Tuesday.
    assert not is_working_day(local(2026, 4, 27).date())
    assert add_working_hours(local(2026, 4, 24, 15), 4) == local(2026, 4, 28, 11)
    # In 2025 the 27th was a Sunday, so Koningsdag was Saturday 26 April: nothing moves on the Monday.
    assert add_working_hours(local(2025, 4, 25, 15), 4) == local(2025, 4, 28, 11)


def test_christmas_and_new_year_are_skipped() -> None:
    # 2025: Christmas on Thursday and Friday; from Wednesday afternoon to Monday 29 December.
    assert add_working_hours(local(2025, 12, 24, 16), 2) == local(2025, 12, 29, 10)
    # 2026: Christmas Friday, Boxing Day Saturday, New Year Friday 1 January 2027.
    assert add_working_days(local(2026, 12, 24, 15), 1) == local(2026, 12, 28, 15)
    assert add_working_days(local(2026, 12, 31, 12), 1) == local(2027, 1, 4, 12)


def test_easter_and_whit_monday_are_skipped() -> None:
    assert not is_working_day(local(2026, 4, 6).date())  # Easter Monday
    assert not is_working_day(local(2026, 5, 25).date())  # Whit Monday
    assert not is_working_day(local(2026, 5, 14).date())  # Ascension Day
    assert add_working_hours(local(2026, 5, 13, 16), 2) == local(2026, 5, 15, 10)


def test_spring_forward_weekend() -> None:
    # Summer time starts Sunday 29 March 2026. Friday 16:00 CET is 15:00 UTC; two working hours later
    # is Monday 10:00 CEST, which is 08:00 UTC.
    start = datetime(2026, 3, 27, 15, tzinfo=UTC)
    deadline = add_working_hours(start, 2)
    assert deadline == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert deadline.astimezone(AMS).hour == 10


def test_fall_back_weekend() -> None:
    # Winter time starts Sunday 25 October 2026. Friday 16:00 CEST is 14:00 UTC; Monday 10:00 CET is 09:00 UTC.
    start = datetime(2026, 10, 23, 14, tzinfo=UTC)
    assert add_working_hours(start, 2) == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_start_in_the_night_of_the_clock_change() -> None:
    # 02:30 on 29 March 2026 does not exist locally; 00:30 UTC is 01:30 CET, before the change.
    assert add_working_hours(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 1) == local(2026, 3, 30, 10)
    # 02:30 on 25 October 2026 happens twice; both count from Monday morning.
    assert add_working_hours(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 1) == local(2026, 10, 26, 10)
    assert add_working_hours(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), 1) == local(2026, 10, 26, 10)


def test_local_date_not_utc_date_decides_the_day() -> None:
    # Monday 23:30 UTC is already Tuesday 00:30 in Amsterdam.
    assert add_working_hours(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 1) == local(2026, 12, 1, 10)


def test_time_zone_comes_from_settings(settings: pytest.FixtureRequest) -> None:
    settings.TIME_ZONE = "UTC"  # type: ignore[attr-defined]
    start = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert add_working_hours(start, 1) == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_zero_and_invalid_durations() -> None:
    start = local(2026, 12, 5, 3)
    assert add_working_hours(start, 0) == start
    with pytest.raises(ValueError, match="negative"):
        add_working_hours(start, -1)
    with pytest.raises(ValueError, match="aware"):
        add_working_hours(datetime(2026, 12, 1, 9), 1)
    with pytest.raises(ValueError, match="end after"):
        WorkingCalendar(day_start=DEFAULT_CALENDAR.day_end, day_end=DEFAULT_CALENDAR.day_start)


def test_working_time_between() -> None:
    assert working_time_between(local(2026, 12, 4, 15), local(2026, 12, 7, 11)) == timedelta(hours=4)
    assert working_time_between(local(2026, 12, 7, 11), local(2026, 12, 4, 15)) == timedelta(0)
    assert working_time_between(local(2026, 12, 24, 9), local(2026, 12, 29, 9)) == timedelta(hours=16)


# --- properties for any start and any response time -----------------------------------------------------

starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC))
durations = st.integers(min_value=0, max_value=60 * 8 * 25).map(lambda m: timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(start=starts, duration=durations)
def test_deadline_is_never_before_the_start(start: datetime, duration: timedelta) -> None:
    deadline = DEFAULT_CALENDAR.add(start, duration)
    assert deadline >= start
    if duration:
        assert deadline > start


@settings(max_examples=300, deadline=None)
@given(start=starts, duration=durations.filter(bool))
def test_deadline_falls_in_working_hours_and_holds_exactly_the_duration(start: datetime, duration: timedelta) -> None:
    deadline = DEFAULT_CALENDAR.add(start, duration)
    at = deadline.astimezone(AMS)
    assert is_working_day(at.date())
    assert DEFAULT_CALENDAR.day_start < at.time() <= DEFAULT_CALENDAR.day_end
    assert working_time_between(start, deadline) == duration


@settings(max_examples=200, deadline=None)
@given(start=starts, first=durations, second=durations)
def test_adding_in_two_steps_is_adding_once(start: datetime, first: timedelta, second: timedelta) -> None:
    in_steps = DEFAULT_CALENDAR.add(DEFAULT_CALENDAR.add(start, first), second)
    at_once = DEFAULT_CALENDAR.add(start, first + second)
    assert in_steps == at_once


@settings(max_examples=200, deadline=None)
@given(a=starts, b=starts, duration=durations)
def test_a_later_start_never_gives_an_earlier_deadline(a: datetime, b: datetime, duration: timedelta) -> None:
    early, late = sorted([a, b])
    assert DEFAULT_CALENDAR.add(early, duration) <= DEFAULT_CALENDAR.add(late, duration)
