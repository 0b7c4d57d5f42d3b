"""The monthly open-data file: the municipality's suppressed figures per neighbourhood for one month."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from waakvlam.core.models import Municipality
from waakvlam.insight.export import figures_csv
from waakvlam.insight.models import ALL_ORGANISATIONS
from waakvlam.insight.selectors import Scope, neighbourhood_figures


class MonthError(ValueError):
    pass


def parse_month(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}", text or ""):
        raise MonthError("A month is YYYY-MM, for example 2026-11.")
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12 or not 2000 <= year <= 2999:
        raise MonthError("A month is YYYY-MM, for example 2026-11.")
    return date(year, month, 1)


def month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def open_data_csv(municipality: Municipality, month: date, *, now: datetime) -> str:
    """Always the municipality's aggregate over every organisation: never a partner's own figures."""
    answer = neighbourhood_figures(Scope(municipality.pk, ALL_ORGANISATIONS), month, month_end(month), now)
    return figures_csv(answer)
