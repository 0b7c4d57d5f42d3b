"""The full rebuild of the signal rollups on PostgreSQL as set-based statements.

First every signal's fact (insight_signalfact: what it contributes, facts.py), then the day cells summed from
the facts, then months from days and years from months. The same definitions as facts.py's fact_of (which
SQLite's rebuild and the worker's pass use), written once more in SQL because reading ten million signals
into Python would take many minutes: the local day of receipt, "in time" (picked up, escalation level 0,
picked_up_at <= due_at), pickup time in tenths of an hour (floored), one row per organisation (0 = all, and
the reporter's own). The cells are summed from the facts, not from the signals again, so they agree with
the facts whatever changed in between; the pickup bucket cells are summed from the pickup cells. Tests check
that both paths give the same cells.

Every statement writes its cells in the order of the cells' key (municipality, organisation, grain, period,
neighbourhood, ...): a period's cells then lie together in the table as in its index, so the worker's pass,
which adds a day's differences to this day, month and year of every neighbourhood, dirties (and after each
checkpoint writes whole into the WAL) far fewer pages: at a million signals its WAL fell from ~290 MB to
~120 MB a pass (docs/benchmarks.md, "Insight").
"""

from __future__ import annotations

from django.db import connection

from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.insight.models import PICKUP_BUCKET_WIDTH

FACT_COLUMNS = (
    "signal_id, municipality_id, organisation_id, neighbourhood_id, day, category, source_kind, outcome, picked_up, "
    "picked_up_in_time, escalated, closed, tenths"
)
# A signal's fact from its row (facts.py's fact_of in SQL): the rebuild's and, on PostgreSQL, the worker's pass.
FACT_OF_SIGNAL = """
SELECT id, municipality_id, coalesce(reporter_organisation_id, 0), coalesce(neighbourhood_id, 0),
  (received_at AT TIME ZONE %(zone)s)::date, category, source_kind, outcome, picked_up_at IS NOT NULL,
  picked_up_at IS NOT NULL AND escalation_level = 0 AND picked_up_at <= due_at, escalation_level > 0,
  status = 'closed',
  CASE WHEN picked_up_at IS NOT NULL
    THEN greatest(0, floor(floor(extract(epoch FROM picked_up_at - received_at)) / 360))::int END
FROM intake_signal
"""
_FACTS = f"INSERT INTO insight_signalfact ({FACT_COLUMNS}) {FACT_OF_SIGNAL}"
# Each fact's rows in the signal cells: everyone (0) and its reporter, and one per breakdown (the outcome only
# once there is one). The rebuild's day cells and the pass's differences (facts_sql.py) use the same rows.
ORGANISATIONS_OF_FACT = "CROSS JOIN LATERAL (VALUES (0), (nullif(s.organisation_id, 0))) o(org)"
# `every`: the row counts every measure ('all'); a breakdown's row counts only what is published of it, its
# signals in, and an outcome's also its closed ones (`closes`; models.SignalCell).
BREAKDOWNS_OF_FACT = (
    "CROSS JOIN LATERAL (VALUES ('all', '', true, true), ('category', s.category, false, false), "
    "('source', s.source_kind, false, false), ('outcome', s.outcome, false, true)) d(dim, value, every, closes)"
)
BREAKDOWN_FILTER = "o.org IS NOT NULL AND (d.dim <> 'outcome' OR s.outcome <> '')"


def signal_sums(sign: str) -> str:
    """The five SIGNAL_SUMS of a fact's rows (`s` the fact, `d` its breakdown), each fact counted `sign` times."""
    return (
        f"sum({sign}), sum({sign} * (s.picked_up AND d.every)::int), "
        f"sum({sign} * (s.picked_up_in_time AND d.every)::int), sum({sign} * (s.escalated AND d.every)::int), "
        f"sum({sign} * (s.closed AND d.closes)::int)"
    )


_SIGNALS = f"""
INSERT INTO insight_signalcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, dim, value,
  signals_in, picked_up, picked_up_in_time, escalated, closed)
SELECT municipality_id, o.org, neighbourhood_id, 'd', day, d.dim, d.value, {signal_sums("1")}
FROM insight_signalfact s {ORGANISATIONS_OF_FACT} {BREAKDOWNS_OF_FACT}
WHERE {BREAKDOWN_FILTER}
GROUP BY municipality_id, o.org, neighbourhood_id, day, d.dim, d.value
ORDER BY municipality_id, o.org, day, neighbourhood_id, d.dim, d.value
"""  # noqa: S608 - constant table and column names

_PICKUPS = f"""
INSERT INTO insight_pickupcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, bucket,
  tenths, n)
SELECT municipality_id, o.org, neighbourhood_id, 'd', day, tenths / %(width)s, tenths, count(*)
FROM insight_signalfact s {ORGANISATIONS_OF_FACT}
WHERE o.org IS NOT NULL AND tenths IS NOT NULL
GROUP BY municipality_id, o.org, neighbourhood_id, day, tenths
ORDER BY municipality_id, o.org, day, neighbourhood_id, tenths
"""  # noqa: S608 - constant table and column names

# The pickup bucket cells: the sums of the fine cells per bucket, at every grain (insight/percentiles.py).
PICKUP_BUCKETS = """
INSERT INTO insight_pickupbucketcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start,
  bucket, n)
SELECT municipality_id, organisation_id, neighbourhood_id, grain, period_start, bucket, sum(n)
FROM insight_pickupcell GROUP BY municipality_id, organisation_id, neighbourhood_id, grain, period_start, bucket
ORDER BY municipality_id, organisation_id, grain, period_start, neighbourhood_id, bucket
"""

# One template for the coarser grains: a month's cells are the sums of its days', a year's of its months'.
_COARSER = """
INSERT INTO {table} (municipality_id, organisation_id, neighbourhood_id, grain, period_start, {keys}, {sums})
SELECT municipality_id, organisation_id, neighbourhood_id, %(target)s, date_trunc(%(unit)s, period_start)::date,
  {keys}, {summed}
FROM {table} WHERE grain = %(source)s
GROUP BY 1, 2, 3, 5, {groups}
ORDER BY 1, 2, 5, 3, {groups}
"""
_TABLES = {
    "insight_signalcell": ("dim, value", ("signals_in", "picked_up", "picked_up_in_time", "escalated", "closed")),
    "insight_pickupcell": ("bucket, tenths", ("n",)),
}
_GRAINS = (("d", "m", "month"), ("m", "y", "year"))  # (from, to, truncation)


def rebuild_signal_cells_postgres() -> None:
    """Fill the (emptied) signal facts, and from them the signal and pickup cells at every grain."""
    with connection.cursor() as cursor:
        cursor.execute(_FACTS, {"zone": str(DEFAULT_CALENDAR.zone)})
        cursor.execute("ANALYZE insight_signalfact")
        cursor.execute(_SIGNALS)
        cursor.execute(_PICKUPS, {"width": PICKUP_BUCKET_WIDTH})
        for source, target, unit in _GRAINS:
            for table, (keys, sums) in _TABLES.items():
                summed = ", ".join(f"sum({s})" for s in sums)
                # Table and column names are the constants above; the grains and truncation are parameters.
                groups = ", ".join(str(6 + i) for i in range(len(keys.split(", "))))  # by position: the key columns
                statement = _COARSER.format(table=table, keys=keys, sums=", ".join(sums), summed=summed, groups=groups)
                cursor.execute(statement, {"source": source, "target": target, "unit": unit})
        cursor.execute("ANALYZE insight_signalcell")
        cursor.execute(PICKUP_BUCKETS)
        cursor.execute("ANALYZE insight_pickupcell")
        cursor.execute("ANALYZE insight_pickupbucketcell")
