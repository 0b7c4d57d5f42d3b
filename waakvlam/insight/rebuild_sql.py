"""The full rebuild of the signal rollups on PostgreSQL as three set-based statements.

The same definitions as rollups.py's per-day recomputation (which SQLite and the worker's incremental pass
use), written once more in SQL because reading ten million signals into Python would take many minutes:
the local day of receipt, "in time" (picked up, escalation level 0, picked_up_at <= due_at), pickup time in
tenths of an hour (floored), one row per organisation (0 = all, and the reporter's own). Tests check that
both paths give the same cells.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection

from waakvlam.followup.calendar import DEFAULT_CALENDAR

_SIGNALS = """
WITH s AS (
  SELECT municipality_id, coalesce(neighbourhood_id, 0) AS hood, reporter_organisation_id AS reporter,
    category, source_kind, outcome, (received_at AT TIME ZONE %(zone)s)::date AS day,
    (picked_up_at IS NOT NULL)::int AS p,
    (picked_up_at IS NOT NULL AND escalation_level = 0 AND picked_up_at <= due_at)::int AS it,
    (escalation_level > 0)::int AS e, (status = 'closed')::int AS c
  FROM intake_signal {where}
)
INSERT INTO insight_signalcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, dim, value,
  signals_in, picked_up, picked_up_in_time, escalated, closed)
SELECT municipality_id, o.org, hood, 'd', day, d.dim, d.value, count(*), sum(p), sum(it), sum(e), sum(c)
FROM s
CROSS JOIN LATERAL (VALUES (0::bigint), (s.reporter)) o(org)
CROSS JOIN LATERAL (VALUES ('all', ''), ('category', s.category), ('source', s.source_kind), ('outcome', s.outcome))
  d(dim, value)
WHERE o.org IS NOT NULL AND (d.dim <> 'outcome' OR s.outcome <> '')
GROUP BY municipality_id, o.org, hood, day, d.dim, d.value
"""

_PICKUPS = """
WITH s AS (
  SELECT municipality_id, coalesce(neighbourhood_id, 0) AS hood, reporter_organisation_id AS reporter,
    (received_at AT TIME ZONE %(zone)s)::date AS day,
    greatest(0, floor(floor(extract(epoch FROM picked_up_at - received_at)) / 360))::int AS tenths
  FROM intake_signal WHERE picked_up_at IS NOT NULL {also}
)
INSERT INTO insight_pickupcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, tenths, n)
SELECT municipality_id, o.org, hood, 'd', day, tenths, count(*)
FROM s CROSS JOIN LATERAL (VALUES (0::bigint), (s.reporter)) o(org)
WHERE o.org IS NOT NULL
GROUP BY municipality_id, o.org, hood, day, tenths
"""

_MONTHS = """
INSERT INTO insight_signalcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, dim, value,
  signals_in, picked_up, picked_up_in_time, escalated, closed)
SELECT municipality_id, organisation_id, neighbourhood_id, 'm', date_trunc('month', period_start)::date, dim, value,
  sum(signals_in), sum(picked_up), sum(picked_up_in_time), sum(escalated), sum(closed)
FROM insight_signalcell WHERE grain = 'd'
GROUP BY municipality_id, organisation_id, neighbourhood_id, date_trunc('month', period_start), dim, value;
INSERT INTO insight_pickupcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, tenths, n)
SELECT municipality_id, organisation_id, neighbourhood_id, 'm', date_trunc('month', period_start)::date, tenths, sum(n)
FROM insight_pickupcell WHERE grain = 'd'
GROUP BY municipality_id, organisation_id, neighbourhood_id, date_trunc('month', period_start), tenths;
INSERT INTO insight_signalcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, dim, value,
  signals_in, picked_up, picked_up_in_time, escalated, closed)
SELECT municipality_id, organisation_id, neighbourhood_id, 'y', date_trunc('year', period_start)::date, dim, value,
  sum(signals_in), sum(picked_up), sum(picked_up_in_time), sum(escalated), sum(closed)
FROM insight_signalcell WHERE grain = 'm'
GROUP BY municipality_id, organisation_id, neighbourhood_id, date_trunc('year', period_start), dim, value;
INSERT INTO insight_pickupcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start, tenths, n)
SELECT municipality_id, organisation_id, neighbourhood_id, 'y', date_trunc('year', period_start)::date, tenths, sum(n)
FROM insight_pickupcell WHERE grain = 'm'
GROUP BY municipality_id, organisation_id, neighbourhood_id, date_trunc('year', period_start), tenths;
"""


def rebuild_signal_cells_postgres() -> None:
    """Fill the (emptied) signal and pickup cells, days and months, from intake_signal."""
    zone = str(DEFAULT_CALENDAR.zone)
    with connection.cursor() as cursor:
        cursor.execute(_SIGNALS.format(where=""), {"zone": zone})
        cursor.execute(_PICKUPS.format(also=""), {"zone": zone})
        for statement in _MONTHS.split(";"):
            if statement.strip():
                cursor.execute(statement)
        cursor.execute("ANALYZE insight_signalcell")
        cursor.execute("ANALYZE insight_pickupcell")


_RANGE = "municipality_id = %(muni)s AND received_at >= %(lo)s AND received_at < %(hi)s"


def recompute_signal_days_postgres(municipality_id: int, first: date, last: date) -> None:
    """The day cells of one municipality's days first..last rewritten by the same statements as the rebuild
    (the worker's pass: reading the days' signals into Python took a minute at a million signals)."""
    zone = DEFAULT_CALENDAR.zone
    lo = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    params: dict[str, Any] = {
        "zone": str(zone),
        "muni": municipality_id,
        "lo": lo,
        "hi": hi,
        "first": first,
        "last": last,
    }
    with connection.cursor() as cursor:
        for table in ("insight_signalcell", "insight_pickupcell"):
            cursor.execute(
                f"DELETE FROM {table} WHERE municipality_id = %(muni)s AND grain = 'd' "  # noqa: S608 - constant names
                "AND period_start >= %(first)s AND period_start <= %(last)s",
                params,
            )
        cursor.execute(_SIGNALS.format(where=f"WHERE {_RANGE}"), params)
        cursor.execute(_PICKUPS.format(also=f"AND {_RANGE}"), params)
