"""The worker's pass for signals: each changed signal's difference, added to its day, month and year cells.

A signal's contribution to the rollups (its SignalFact) is a handful of counts in the cells of its
neighbourhood and day of receipt: one in each breakdown (all, category, source, outcome) for everyone and
for its reporter, and one in the pickup frequency table once picked up. Every cell is a sum of such
contributions, so bringing a changed signal in is: take its old fact away, add its new one, at all three
grains. A day's 1,377 signals and pickups then touch a few thousand cells, where recounting every day a
pickup reaches back to (207 days at a million signals) rewrote most of the rollups. The median and 90th
percentile stay exact: they are read from the frequency table, which is kept exact the same way.

The fact and the cells change in the pass's transaction together, so what the cells hold is always the sum
of the facts; the nightly rebuild (rebuild_sql.py) writes both again from the raw rows. On PostgreSQL the
pass does the same arithmetic in the database (facts_sql.py); this module is SQLite's pass and rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection

from waakvlam.insight.models import ALL_ORGANISATIONS, NO_NEIGHBOURHOOD, PICKUP_BUCKET_WIDTH, Grain, SignalFact
from waakvlam.insight.percentiles import BUCKET_KEY, bucket_deltas
from waakvlam.insight.timing import local_day, month_of, picked_up_in_time, pickup_tenths
from waakvlam.intake.models import Signal, Status

CHUNK = 5000  # signals per read and per write
SIGNAL_KEY = ("municipality_id", "organisation_id", "grain", "period_start", "neighbourhood_id", "dim", "value")
SIGNAL_SUMS = ("signals_in", "picked_up", "picked_up_in_time", "escalated", "closed")
PICKUP_KEY = ("municipality_id", "organisation_id", "neighbourhood_id", "bucket", "grain", "period_start", "tenths")
FACT_FIELDS = (
    "municipality_id",
    "organisation_id",
    "neighbourhood_id",
    "day",
    "category",
    "source_kind",
    "outcome",
    "picked_up",
    "picked_up_in_time",
    "escalated",
    "closed",
    "tenths",
)
_ARRAY_TYPES = {int: "bigint", str: "text", date: "date"}  # the cell columns' values, as PostgreSQL arrays
Fact = tuple[Any, ...]  # the values of FACT_FIELDS
Deltas = dict[tuple[Any, ...], list[int]]


def fact_of(row: tuple[Any, ...]) -> Fact:
    """A signal's fact from (municipality, reporter, neighbourhood, category, source, outcome, status,
    received_at, picked_up_at, due_at, escalation_level): the definitions rebuild_sql.py writes in SQL."""
    muni, reporter, hood, category, source, outcome, status, received, picked, due, level = row
    return (
        muni,
        reporter or ALL_ORGANISATIONS,
        hood or NO_NEIGHBOURHOOD,
        local_day(received),
        category,
        source,
        outcome,
        picked is not None,
        picked_up_in_time(picked, due, level),
        level > 0,
        status == Status.CLOSED,
        None if picked is None else pickup_tenths(received, picked),
    )


@lru_cache(maxsize=4096)  # a day's signals share their few days: computed once each, not per signal and grain
def _periods(day: date) -> tuple[tuple[str, date], ...]:
    return ((Grain.DAY.value, day), (Grain.MONTH.value, month_of(day)), (Grain.YEAR.value, date(day.year, 1, 1)))


def _add(signal_deltas: Deltas, pickup_deltas: Deltas, fact: Fact, sign: int) -> None:
    muni, reporter, hood, day, category, source, outcome, p, it, e, c, tenths = fact
    every = [sign, sign * int(p), sign * int(it), sign * int(e), sign * int(c)]
    # A breakdown's row counts only what is published of it (models.SignalCell): its signals in, and an
    # outcome's its closed ones too.
    breakdowns = [("all", "", every), ("category", category, every[:1]), ("source", source, every[:1])]
    if outcome:
        breakdowns.append(("outcome", outcome, [sign, 0, 0, 0, every[4]]))
    for org in (ALL_ORGANISATIONS, reporter) if reporter else (ALL_ORGANISATIONS,):
        for grain, start in _periods(day):
            for dim, value, sums in breakdowns:
                cell = signal_deltas[(muni, org, grain, start, hood, dim, value)]
                for i, n in enumerate(sums):
                    cell[i] += n
            if tenths is not None:
                pickup_deltas[(muni, org, hood, tenths // PICKUP_BUCKET_WIDTH, grain, start, tenths)][0] += sign


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def array_literal(values: Sequence[Any]) -> str:
    """PostgreSQL's text form of an array of ints, dates or strings (a column's values are of one type; each
    string quoted, `"` and `\\` escaped; None as NULL), passed as one parameter and cast to its array type
    in the statement. Joined by str.join where nothing needs escaping: this runs for every cell of a pass."""

    def element(value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return str(value)  # int, or a date in ISO form

    if not values:
        return "{}"
    if None in values:
        return "{" + ",".join(map(element, values)) + "}"
    if isinstance(values[0], str):
        joined = "".join(values)
        if '"' in joined or "\\" in joined:
            return "{" + ",".join(map(element, values)) + "}"
        return '{"' + '","'.join(values) + '"}'
    return "{" + ",".join(map(str, values)) + "}"


def _upsert(table: str, key: tuple[str, ...], sums: tuple[str, ...], deltas: Deltas) -> int:
    """Add the non-zero differences to their cells (a missing cell starts at 0), then drop cells that reach 0."""
    # In key order: neighbouring cells share index pages, so the lookups read each page once.
    rows = sorted((*k, *v) for k, v in deltas.items() if any(v))
    columns = ", ".join((*key, *sums))
    added = ", ".join(f"{s} = {table}.{s} + excluded.{s}" for s in sums)
    gone = [k for k, v in deltas.items() if v[0] < 0]  # the first sum counts the cell's signals
    match = "(" + ", ".join(key) + ")"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            _update_or_insert(cursor, table, key, sums, rows)
        for chunk in _chunks(rows if connection.vendor == "postgresql" else []):
            # One array per column rather than a VALUES list of 5,000 rows: planned in well under a millisecond
            # instead of ~20 ms, and sent as 12 parameters instead of 60,000, which the client quoted one by
            # one (0.66 s of Python per 5,000 rows; a list per column still 0.09 s, this 0.02 s). Table and
            # column names are the constants above; every value is in a parameter.
            arrays = ", ".join(f"%s::{_ARRAY_TYPES[type(v)]}[]" for v in chunk[0])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "  # noqa: S608
                f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}",
                [array_literal(column) for column in zip(*chunk, strict=True)],
            )
        one = "(" + ", ".join(["%s"] * len(key)) + ")"
        for chunk in _chunks(gone):
            cursor.execute(
                f"DELETE FROM {table} WHERE {sums[0]} <= 0 AND {match} IN "  # noqa: S608 - constant names
                f"(VALUES {', '.join([one] * len(chunk))})",
                [v for k in chunk for v in k],
            )
    return len(rows)


def _update_or_insert(cursor: Any, table: str, key: tuple[str, ...], sums: tuple[str, ...], rows: list[Any]) -> None:
    """SQLite keeps no unique index with included columns (Django leaves it out), so no ON CONFLICT there:
    add to the cell, or insert it when there was none (SQLite serves small installations and the tests)."""
    added = ", ".join(f"{s} = {s} + %s" for s in sums)
    where = " AND ".join(f"{k} = %s" for k in key)
    columns = ", ".join((*key, *sums))
    placeholders = ", ".join(["%s"] * (len(key) + len(sums)))
    for row in rows:
        keys, values = row[: len(key)], row[len(key) :]
        cursor.execute(f"UPDATE {table} SET {added} WHERE {where}", [*values, *keys])  # noqa: S608 - constants
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(row))  # noqa: S608


def _signal_rows(ids: list[int]) -> Iterable[tuple[Any, ...]]:
    return Signal.objects.filter(id__in=ids).values_list(
        "id",
        "municipality_id",
        "reporter_organisation_id",
        "neighbourhood_id",
        "category",
        "source_kind",
        "outcome",
        "status",
        "received_at",
        "picked_up_at",
        "due_at",
        "escalation_level",
    )


def signal_facts_apply(signal_ids: Iterable[int]) -> int:
    """Bring the given signals' current state into the cells (inside the caller's transaction); returns how
    many cells changed. A signal whose fact is unchanged costs nothing; one that no longer exists is taken
    out."""
    # Summed over all the signals before anything is written: a cell many signals share (a neighbourhood's
    # month, say) is written once, not once per chunk.
    signal_deltas: Deltas = defaultdict(lambda: [0, 0, 0, 0, 0])
    pickup_deltas: Deltas = defaultdict(lambda: [0])
    for ids in _chunks(sorted(set(signal_ids))):
        old = {f[0]: f[1:] for f in SignalFact.objects.filter(signal_id__in=ids).values_list("signal_id", *FACT_FIELDS)}
        new = {row[0]: fact_of(row[1:]) for row in _signal_rows(ids)}
        moved = [i for i in ids if old.get(i) != new.get(i)]
        for signal_id in moved:
            if signal_id in old:
                _add(signal_deltas, pickup_deltas, old[signal_id], -1)
            if signal_id in new:
                _add(signal_deltas, pickup_deltas, new[signal_id], +1)
        SignalFact.objects.filter(signal_id__in=[i for i in moved if i in old]).delete()
        SignalFact.objects.bulk_create(
            [SignalFact(signal_id=i, **dict(zip(FACT_FIELDS, new[i], strict=True))) for i in moved if i in new],
            batch_size=CHUNK,
        )
    changed_cells = _upsert("insight_signalcell", SIGNAL_KEY, SIGNAL_SUMS, signal_deltas)
    changed_cells += _upsert("insight_pickupcell", PICKUP_KEY, ("n",), pickup_deltas)
    return changed_cells + _upsert("insight_pickupbucketcell", BUCKET_KEY, ("n",), bucket_deltas(pickup_deltas))


def signal_facts_from_scratch() -> int:
    """Facts and cells for every signal, into emptied tables (SQLite's rebuild; PostgreSQL's is SQL)."""
    ids = list(Signal.objects.order_by("id").values_list("id", flat=True))
    return signal_facts_apply(ids)
