"""A period read as rollup ranges, some taken away, covers every day of the period exactly once, never reads
more rows than adding its parts, and sums to exactly the same figures."""

from __future__ import annotations

import operator
from collections import Counter
from datetime import date, timedelta
from functools import reduce

import pytest
from django.db.models import Q, Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.insight.conftest import NOW, World, make_signal
from waakvlam.insight.models import Grain, SignalCell
from waakvlam.insight.ranges import period_ranges, signed_sum, signed_terms, until
from waakvlam.insight.rollups import rollups_update
from waakvlam.insight.selectors import SIGNAL_MEASURES
from waakvlam.insight.timing import month_of


def _days_of(grain: str, first: date) -> list[date]:
    if grain == Grain.DAY.value:
        return [first]
    last = date(first.year + 1, 1, 1) if grain == Grain.YEAR.value else month_of(first + timedelta(days=31))
    return [first + timedelta(days=i) for i in range((last - first).days)]


def _period_starts(grain: str, a: date, b: date) -> list[date]:
    starts, at = [], a
    while at <= b:
        starts.append(at)
        if grain == Grain.YEAR.value:
            at = date(at.year + 1, 1, 1)
        else:
            at = month_of(at + timedelta(days=31)) if grain == Grain.MONTH.value else at + timedelta(days=1)
    return starts


def _rows(q: Q) -> list[tuple[str, date]]:
    """The (grain, period_start) rows a range of period_ranges stands for."""
    where = dict(q.children)
    grain, a = where["grain"], where.get("period_start__gte")
    b = where.get("period_start__lte") or where["period_start__lt"] - timedelta(days=1)
    return [(grain, s) for s in _period_starts(grain, a, b)]


@settings(max_examples=400, deadline=None)
@given(st.dates(date(2023, 1, 1), date(2028, 12, 31)), st.integers(0, 1200))
def test_every_day_of_the_period_counts_once_and_no_other(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    cover: Counter[date] = Counter()
    for grain, a, b, sign in signed_terms(start, end):
        for first in _period_starts(grain, a, b):
            for day in _days_of(grain, first):
                cover[day] += sign
    assert {d: n for d, n in cover.items() if n} == {start + timedelta(days=i): 1 for i in range(length + 1)}
    ours = sum(len(_period_starts(grain, a, b)) for grain, a, b, _sign in signed_terms(start, end))
    plain = sum(len(_rows(q)) for q in period_ranges(start, end))
    assert ours <= plain


def test_an_edge_that_is_most_of_a_month_is_the_month_minus_the_rest() -> None:
    assert signed_terms(date(2026, 10, 4), date(2026, 10, 31)) == [
        ("d", date(2026, 10, 1), date(2026, 10, 3), -1),
        ("m", date(2026, 10, 1), date(2026, 10, 1), 1),
    ]
    assert signed_terms(date(2026, 10, 2), date(2026, 10, 3)) == [("d", date(2026, 10, 2), date(2026, 10, 3), 1)]


def _plain_sum(base: Q, ranges: list[Q], keys: list[str], measures: list[str]) -> list[tuple[object, ...]]:
    """The sums over the plain ranges (every row read once, added) by the ORM: what signed_sum must equal."""
    rows = (
        SignalCell.objects.filter(base)
        .filter(reduce(operator.or_, ranges))
        .values(*keys)
        .annotate(**{f"sum_{m}": Sum(m) for m in measures})
        .order_by()
    )
    return [tuple(row[k] for k in (*keys, *(f"sum_{m}" for m in measures))) for row in rows]


@pytest.mark.django_db
def test_the_sums_are_exactly_those_of_the_added_parts(world: World) -> None:
    for days_back in (3, 40, 400, 700):  # signals on other days, months and years
        make_signal("BU99990100", NOW - timedelta(days=days_back), hours_to_pickup=2)
    rollups_update(NOW)
    keys, measures = ["neighbourhood_id", "dim", "value"], list(SIGNAL_MEASURES)
    for organisation in (0, world.housing.pk):
        base = Q(municipality_id=world.municipality.pk, organisation_id=organisation)
        for start, end in [
            (date(2026, 10, 4), date(2026, 10, 31)),
            (date(2026, 10, 6), date(2026, 10, 9)),
            (date(2025, 2, 3), date(2026, 11, 20)),
            (date(2024, 12, 30), date(2026, 12, 30)),
            (date(2026, 9, 15), date(2026, 10, 14)),
        ]:
            ours = signed_sum(SignalCell, base, signed_terms(start, end), keys, measures)
            plain = _plain_sum(base, period_ranges(start, end), keys, measures)
            assert {r[:3]: r[3:] for r in ours if any(r[3:])} == {r[:3]: r[3:] for r in plain if any(r[3:])}
            assert all(v >= 0 for r in ours for v in r[3:])
    assert SignalCell.objects.exists()


def test_until_is_every_row_up_to_the_day() -> None:
    end = date(2026, 10, 14)
    assert until(end) == [
        ("y", date.min, date(2025, 12, 31), 1),
        ("m", date(2026, 1, 1), date(2026, 9, 30), 1),
        ("d", date(2026, 10, 1), end, 1),
    ]
    assert [t[0] for t in until(date(2026, 1, 5))] == ["y", "d"]  # January: no month before it in its year
