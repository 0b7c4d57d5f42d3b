"""The worker's pass for signals on PostgreSQL: the changed signals' differences as set-based statements.

The same arithmetic as facts.py (a changed signal's old fact out, its new one in, at every grain), but the
database does it, for all of a pass's signals at once:
1. the changed signals' new facts (rebuild_sql.FACT_OF_SIGNAL, the rebuild's own definition) are compared
   with their stored ones, and only the facts that moved go into a temporary table, with a sign (-1 old,
   +1 new);
2. one `INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE` per cell table adds the summed differences to
   their cells, in the order of the cells' key, each cell once per pass;
3. the stored facts follow.

Why: at ten million signals a day brings ~27,500 changed signals. facts.py computed their differences in
Python per chunk of 5,000 signals and wrote each chunk's cells, so a neighbourhood's month and year cells
(and today's) were updated once per chunk, every update a new row version in the table and both its
indexes (the counts are included in the covering index, so no update is HOT); and the Python around it
(facts, ~24 dict additions a signal, sorting, array literals) grew with the signals. Summed over the whole
pass, each cell is written once; nothing of it passes through Python. SQLite (small installations and the
tests) keeps facts.py's path; tests check that both give the cells a rebuild counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.insight.facts import FACT_FIELDS, PICKUP_KEY, SIGNAL_KEY, SIGNAL_SUMS, array_literal
from waakvlam.insight.models import PICKUP_BUCKET_WIDTH
from waakvlam.insight.percentiles import BUCKET_KEY
from waakvlam.insight.rebuild_sql import (
    BREAKDOWN_FILTER,
    BREAKDOWNS_OF_FACT,
    FACT_COLUMNS,
    FACT_OF_SIGNAL,
    ORGANISATIONS_OF_FACT,
    signal_sums,
)

MOVED = "insight_pass_moved"  # a temporary table: this session's, emptied at the start of every pass

_CREATE = f"CREATE TEMPORARY TABLE IF NOT EXISTS {MOVED} (sign int NOT NULL, LIKE insight_signalfact)"
_OLD_ROW = ", ".join(f"o.{f}" for f in FACT_FIELDS)
_NEW_ROW = ", ".join(f"n.{f}" for f in FACT_FIELDS)

# The facts that moved: an old one that differs from (or has no) new one comes out, a new one that differs
# from (or has no) old one goes in. `IS DISTINCT FROM` on the rows: the pickup time may be NULL on both sides.
_MOVED = f"""
INSERT INTO {MOVED} (sign, {FACT_COLUMNS})
WITH new ({FACT_COLUMNS}) AS ({FACT_OF_SIGNAL} WHERE id = ANY(%(ids)s::bigint[])),
old AS (SELECT {FACT_COLUMNS} FROM insight_signalfact WHERE signal_id = ANY(%(ids)s::bigint[]))
SELECT -1, o.* FROM old o LEFT JOIN new n ON n.signal_id = o.signal_id
WHERE n.signal_id IS NULL OR ({_OLD_ROW}) IS DISTINCT FROM ({_NEW_ROW})
UNION ALL
SELECT 1, n.* FROM new n LEFT JOIN old o ON o.signal_id = n.signal_id
WHERE o.signal_id IS NULL OR ({_OLD_ROW}) IS DISTINCT FROM ({_NEW_ROW})
"""  # noqa: S608 - constant table and column names

# A fact's day, month and year (the grains' period starts; `::timestamp` keeps the session's time zone out).
_GRAINS = (
    "CROSS JOIN LATERAL (VALUES ('d', s.day), ('m', date_trunc('month', s.day::timestamp)::date), "
    "('y', date_trunc('year', s.day::timestamp)::date)) g(grain, start)"
)


def _upsert(table: str, key: tuple[str, ...], sums: tuple[str, ...], select: str, group: str) -> str:
    """Add the differences `select` yields (key columns, then sums; one row per key) to their cells in key order;
    answer how many cells changed and the ids of those whose first sum (their signals) reached 0."""
    added = ", ".join(f"{s} = {table}.{s} + excluded.{s}" for s in sums)
    columns, keys, nonzero = ", ".join((*key, *sums)), ", ".join(key), " OR ".join(f"{s} <> 0" for s in sums)
    return f"""
WITH changed AS (
  INSERT INTO {table} ({columns})
  SELECT * FROM ({select} GROUP BY {group}) x({columns})
  WHERE {nonzero}
  ORDER BY {keys}
  ON CONFLICT ({keys}) DO UPDATE SET {added}
  RETURNING id, {sums[0]}
)
SELECT count(*), coalesce(array_agg(id) FILTER (WHERE {sums[0]} <= 0), '{{}}') FROM changed
"""  # noqa: S608 - constant table and column names


_SIGNAL_CELLS = _upsert(
    "insight_signalcell",
    SIGNAL_KEY,
    SIGNAL_SUMS,
    f"""SELECT s.municipality_id, o.org, g.grain, g.start, s.neighbourhood_id, d.dim, d.value, {signal_sums("s.sign")}
FROM {MOVED} s {ORGANISATIONS_OF_FACT} {_GRAINS} {BREAKDOWNS_OF_FACT}
WHERE {BREAKDOWN_FILTER}""",  # noqa: S608 - constant names
    "1, 2, 3, 4, 5, 6, 7",
)
_PICKUP_CELLS = _upsert(
    "insight_pickupcell",
    PICKUP_KEY,
    ("n",),
    f"""SELECT s.municipality_id, o.org, s.neighbourhood_id, s.tenths / {PICKUP_BUCKET_WIDTH}, g.grain, g.start,
  s.tenths, sum(s.sign)
FROM {MOVED} s {ORGANISATIONS_OF_FACT} {_GRAINS}
WHERE o.org IS NOT NULL AND s.tenths IS NOT NULL""",  # noqa: S608 - constant names
    "1, 2, 3, 4, 5, 6, 7",
)
_BUCKET_CELLS = _upsert(
    "insight_pickupbucketcell",
    BUCKET_KEY,
    ("n",),
    f"""SELECT s.municipality_id, o.org, g.grain, g.start, s.neighbourhood_id, s.tenths / {PICKUP_BUCKET_WIDTH},
  sum(s.sign)
FROM {MOVED} s {ORGANISATIONS_OF_FACT} {_GRAINS}
WHERE o.org IS NOT NULL AND s.tenths IS NOT NULL""",  # noqa: S608 - constant names
    "1, 2, 3, 4, 5, 6",
)

# The stored facts follow: the new ones replace the old (in place where the signal had one), and a signal
# that left (no new fact) loses its fact.
_REPLACED = ", ".join(f"{f} = excluded.{f}" for f in FACT_FIELDS)
_FACTS_IN = f"""
INSERT INTO insight_signalfact ({FACT_COLUMNS})
SELECT {FACT_COLUMNS} FROM {MOVED} WHERE sign = 1 ORDER BY signal_id
ON CONFLICT (signal_id) DO UPDATE SET {_REPLACED}
"""  # noqa: S608 - constant table and column names
_FACTS_OUT = f"""
DELETE FROM insight_signalfact f USING {MOVED} m
WHERE m.sign = -1 AND f.signal_id = m.signal_id
  AND NOT EXISTS (SELECT 1 FROM {MOVED} n WHERE n.sign = 1 AND n.signal_id = m.signal_id)
"""  # noqa: S608 - constant table and column names


def signal_facts_apply_sql(signal_ids: Iterable[int]) -> int:
    """facts.signal_facts_apply on PostgreSQL, for all the given signals in one go (inside the caller's
    transaction); returns how many cells changed."""
    ids = sorted(set(signal_ids))
    if not ids:
        return 0
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(_CREATE)
        cursor.execute(f"TRUNCATE {MOVED}")
        cursor.execute(_MOVED, {"ids": array_literal(ids), "zone": str(DEFAULT_CALENDAR.zone)})
        if cursor.rowcount == 0:
            return 0
        cursor.execute(f"ANALYZE {MOVED}")  # a few thousand rows: the planner's estimates for the grouping
        # A day's ~40,000 moved facts are ~500,000 cell rows before the grouping: in memory, not spilled to disk
        # in 4 MB batches (the default); for the rest of the pass's transaction only.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        for statement, table in (
            (_SIGNAL_CELLS, "insight_signalcell"),
            (_PICKUP_CELLS, "insight_pickupcell"),
            (_BUCKET_CELLS, "insight_pickupbucketcell"),
        ):
            cursor.execute(statement)
            count, emptied = cursor.fetchone()
            changed += count
            if emptied:  # cells whose last signal moved out: a rebuild would not write them
                emptied_ids = [array_literal(emptied)]
                cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s::bigint[])", emptied_ids)  # noqa: S608
        cursor.execute(_FACTS_IN)
        cursor.execute(_FACTS_OUT)
    return changed
