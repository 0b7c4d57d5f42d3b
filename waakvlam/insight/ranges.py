"""The fewest rollup rows that sum to a period exactly, some of them taken away.

A month's cells are the sum of its days and a year's of its months (the worker's pass keeps them so,
insight/rollups.py). So the 25 days of a month a period covers may also be read as the month minus the 5
days it leaves out, and eleven months of a year as the year minus the twelfth. period_ranges reads
every edge day; here each edge month and each year is read whichever way touches fewer rows, so an edge costs
at most about 15 day rows instead of 30 and a year at most six month rows instead of eleven. The sums are
integers, so the answer is exactly the same (tests/insight/test_ranges.py).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Q

from waakvlam.insight.models import Grain
from waakvlam.insight.timing import month_of

# One term: (grain, first period_start, last period_start, sign); day and month terms cover consecutive rows.
Term = tuple[str, date, date, int]


def _month_end(first: date) -> date:
    return first.replace(day=monthrange(first.year, first.month)[1])


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _days(a: date, b: date, sign: int) -> list[Term]:
    return [(Grain.DAY.value, a, b, sign)] if a <= b else []


def _month_terms(first: date, start: date, end: date, sign: int) -> tuple[list[Term], int]:
    """The part of month `first` inside [start, end], times sign: the days themselves, or the month minus
    the days outside. Returns the terms and the rows they read (a day row and a month row count one each)."""
    last = _month_end(first)
    a, b = max(first, start), min(last, end)
    if a == first and b == last:
        return [(Grain.MONTH.value, first, first, sign)], 1
    inside = (b - a).days + 1
    outside = (last - first).days + 1 - inside
    if inside <= 1 + outside:
        return _days(a, b, sign), inside
    return [
        (Grain.MONTH.value, first, first, sign),
        *_days(first, a - timedelta(days=1), -sign),
        *_days(b + timedelta(days=1), last, -sign),
    ], 1 + outside


def _year_terms(year: int, start: date, end: date) -> list[Term]:
    """The part of `year` inside [start, end]: its months (as _month_terms), or the year minus the rest."""
    months = [date(year, m, 1) for m in range(1, 13)]
    touched = [m for m in months if m <= end and _month_end(m) >= start]
    direct: list[Term] = []
    direct_rows = 0
    for m in touched:
        terms, rows = _month_terms(m, start, end, 1)
        direct += terms
        direct_rows += rows
    whole: list[Term] = [(Grain.YEAR.value, date(year, 1, 1), date(year, 1, 1), 1)]
    whole_rows = 1
    for m in months:
        if m not in touched:
            whole.append((Grain.MONTH.value, m, m, -1))
            whole_rows += 1
        elif not (m >= start and _month_end(m) <= end):
            # The year holds all of m; take away what lies outside the period: the month minus its inside
            # days, or the outside days themselves.
            inside, rows = _month_terms(m, start, end, 1)
            outside = [*_days(m, start - timedelta(days=1), -1), *_days(end + timedelta(days=1), _month_end(m), -1)]
            outside_rows = sum((t[2] - t[1]).days + 1 for t in outside)
            if outside_rows <= 1 + rows:
                whole += outside
                whole_rows += outside_rows
            else:
                whole += [(Grain.MONTH.value, m, m, -1), *inside]
                whole_rows += 1 + rows
    return whole if whole_rows < direct_rows else direct


def _merged(terms: list[Term]) -> list[Term]:
    """Consecutive rows of one grain and sign as one range (one index range scan each)."""
    merged: list[Term] = []
    for grain, a, b, sign in sorted(terms, key=lambda t: (t[0], t[3], t[1])):
        if merged:
            g, pa, pb, s = merged[-1]
            step = _next_month(pb) if g == Grain.MONTH.value else pb + timedelta(days=1)
            if g == grain and s == sign and grain != Grain.YEAR.value and step == a:
                merged[-1] = (g, pa, b, s)
                continue
        merged.append((grain, a, b, sign))
    return merged


def period_ranges(start: date, end: date) -> list[Q]:
    """The rollup rows that make up [start, end] exactly: whole years as year rows, other whole months as
    month rows, the edges as days.

    Separate ranges rather than one OR: each is an index range on (…, grain, period_start), so the scan reads
    only the rows it returns (with an OR the index-only scan read every row of the scope and filtered:
    186,000 entries for 28,000 at a million signals, docs/benchmarks.md)."""
    first_full = start if start.day == 1 else month_of(start + timedelta(days=31))
    after_full = month_of(end + timedelta(days=1))
    if first_full >= after_full:
        return [Q(grain=Grain.DAY, period_start__gte=start, period_start__lte=end)]
    # Inside the whole months: the whole years as year rows, the months before and after them as months.
    first_year = first_full if first_full.month == 1 else date(first_full.year + 1, 1, 1)
    after_year = date(after_full.year, 1, 1)
    if first_year < after_year:
        ranges = [Q(grain=Grain.YEAR, period_start__gte=first_year, period_start__lt=after_year)]
        if first_full < first_year:
            ranges.append(Q(grain=Grain.MONTH, period_start__gte=first_full, period_start__lt=first_year))
        if after_year < after_full:
            ranges.append(Q(grain=Grain.MONTH, period_start__gte=after_year, period_start__lt=after_full))
    else:
        ranges = [Q(grain=Grain.MONTH, period_start__gte=first_full, period_start__lt=after_full)]
    if start < first_full:
        ranges.append(Q(grain=Grain.DAY, period_start__gte=start, period_start__lt=first_full))
    if after_full <= end:
        ranges.append(Q(grain=Grain.DAY, period_start__gte=after_full, period_start__lte=end))
    return ranges


def until(end: date) -> list[Term]:
    """Every rollup row up to and including `end`: the years before its year as year rows, its months
    before its month as month rows, its month's days as day rows."""
    year, month = date(end.year, 1, 1), month_of(end)
    return [
        (Grain.YEAR.value, date.min, year - timedelta(days=1), 1),
        *([(Grain.MONTH.value, year, month - timedelta(days=1), 1)] if year < month else []),
        (Grain.DAY.value, month, end, 1),
    ]


def signed_terms(start: date, end: date) -> list[Term]:
    """The period [start, end] as rollup row ranges (consecutive rows of one grain), each added (1) or taken
    away (-1)."""
    terms: list[Term] = []
    for year in range(start.year, end.year + 1):
        terms += _year_terms(year, start, end)
    return _merged(terms)


def term_branches(
    model: Any, base: Q, terms: list[Term], keys: list[str], measures: list[str], correlated: str = ""
) -> tuple[str, list[Any]]:
    """One SELECT of keys and measures per term, as UNION ALL branches: each its own index range scan on
    (…, grain, period_start), its measures negated where it is taken away, the added ones first (a UNION
    takes its column names from its first branch). `correlated`: more conditions on each branch (SQL).

    The ORM compiles `base` once per sign, not once per term: compiling a filter took ~0.6 ms, some 25 ms of
    a page that reads two periods (docs/benchmarks.md, "Insight", session 12). Each term's grain and period
    are parameters after the base's."""
    table = connection.ops.quote_name(model._meta.db_table)
    grain, start = (f"{table}.{connection.ops.quote_name(c)}" for c in ("grain", "period_start"))
    compiled: dict[int, tuple[str, list[Any]]] = {}
    parts: list[str] = []
    params: list[Any] = []
    for term_grain, first, last, sign in sorted(terms, key=lambda t: -t[3]):
        if sign not in compiled:
            values: list[Any] = list(measures) if sign > 0 else [F(m) * -1 for m in measures]
            sql, p = model.objects.filter(base).order_by().values_list(*keys, *values).query.sql_with_params()
            # The base is a few equalities: its WHERE ends the statement, so the term's conditions follow it.
            head, where = sql.split(" WHERE ", 1)
            if any(word in where for word in (" ORDER BY ", " GROUP BY ", " LIMIT ")):
                raise ValueError(f"not a plain filter: {base}")
            compiled[sign] = (
                f"{head} WHERE ({where}){correlated} AND {grain} = %s AND {start} BETWEEN %s AND %s",
                list(p),
            )
        sql, p = compiled[sign]
        parts.append(sql)
        params += [*p, term_grain, first, last]
    return " UNION ALL ".join(parts), params


def signed_sum(model: Any, base: Q, terms: list[Term], keys: list[str], measures: list[str]) -> list[tuple[Any, ...]]:
    """SUM(measures) GROUP BY keys over the signed terms (signed_terms, until), in one statement. Keys whose
    sums come to 0 may appear with zeros."""
    union, params = term_branches(model, base, terms, keys, measures)
    columns = ", ".join(keys)
    sums = ", ".join(f"SUM({m})" for m in measures)
    # Column names come from the callers' constants, never from input; values are parameters.
    sql = f"SELECT {columns}, {sums} FROM ({union}) t GROUP BY {columns}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
