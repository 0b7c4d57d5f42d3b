"""Reading a requested period: from/to dates, checked once for the API, the UI and the open-data export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

MAX_PERIOD_DAYS = 3660  # ten years: enough for any trend, and bounded work per request
DEFAULT_DAYS = 90


def _field_error(name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": message, "type": kind}


def insight_period(raw_from: str | None, raw_to: str | None, *, today: date) -> tuple[date, date]:
    """The period [from, to], both inclusive. Missing dates: the last 90 days up to today.

    Raises ValueError whose first argument is the list of field errors (INTERFACE.md's 422 detail)."""
    errors: list[dict[str, Any]] = []
    parsed: dict[str, date | None] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        if raw in (None, ""):
            parsed[name] = None
            continue
        try:
            parsed[name] = date.fromisoformat(str(raw)) if len(str(raw)) == 10 else None
        except ValueError:
            parsed[name] = None
        if parsed[name] is None:
            errors.append(_field_error(name, "Not a date: use YYYY-MM-DD.", "date_parsing"))
    if errors:
        raise ValueError(errors)
    end = parsed["to"] or today
    start = parsed["from"] or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValueError([_field_error("from", "'from' lies after 'to'.", "value_error")])
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValueError([_field_error("from", f"A period is at most {MAX_PERIOD_DAYS} days.", "value_error")])
    if start.year < 2000 or end.year > 2999:
        raise ValueError([_field_error("from", "Dates lie between 2000 and 2999.", "value_error")])
    return start, end


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    length = end - start + timedelta(days=1)
    return start - length, start - timedelta(days=1)
