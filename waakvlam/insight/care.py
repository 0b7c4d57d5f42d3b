"""Writing the care and casework cells (insight_carecell) of changed days, and their months and years by
difference.

A changed day's cells are counted again from the raw rows (rollups._care_day_cells); what they differ from
the stored day cells is added to the month and year cells they lie in. Before, every changed month and
year was summed again from all its day (or month) cells of every dim, with statements naming the
municipality but not the organisation: the index starts with (municipality, organisation), so each of them
walked the municipality's whole part of it, and its cost grew with the table rather than with the day's
changes. Now every read and write names the organisations too, found once per municipality by walking the
index from organisation to organisation (a handful of index descents), and only cells whose counts changed
are written. A month cell is the sum of its day cells, each of which counts at least one thing, so a month
or year cell whose counts reach 0 has no day cells left and goes, as a rebuild would never write it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection

from waakvlam.insight.models import CareCell, Grain
from waakvlam.insight.timing import month_of

Key = tuple[int, int, date]  # (organisation, neighbourhood, period start)
Counts = tuple[int, int, int]  # (a, b, c)
BATCH = 5000

# A loose index scan: the next organisation above the last one, one index descent each (PostgreSQL and SQLite
# both have recursive CTEs), instead of reading every care cell of the municipality for its few organisations.
_ORGANISATIONS = """
WITH RECURSIVE o(id) AS (
  SELECT min(organisation_id) FROM insight_carecell WHERE municipality_id = %s
  UNION ALL
  SELECT (SELECT min(organisation_id) FROM insight_carecell WHERE municipality_id = %s AND organisation_id > o.id)
  FROM o WHERE o.id IS NOT NULL
)
SELECT id FROM o WHERE id IS NOT NULL
"""


def care_organisations(municipality_id: int) -> list[int]:
    """The organisations that have care cells in the municipality (0, everyone, among them)."""
    with connection.cursor() as cursor:
        cursor.execute(_ORGANISATIONS, [municipality_id, municipality_id])
        return [row[0] for row in cursor.fetchall()]


def _stored(
    municipality_id: int, organisations: Iterable[int], grain: str, starts: Iterable[date], dim: str
) -> dict[Key, tuple[int, Counts]]:
    rows = CareCell.objects.filter(
        municipality_id=municipality_id,
        organisation_id__in=sorted(set(organisations)),
        grain=grain,
        period_start__in=sorted(set(starts)),
        dim=dim,
    ).values_list("id", "organisation_id", "neighbourhood_id", "period_start", "a", "b", "c")
    return {(org, hood, start): (pk, (a, b, c)) for pk, org, hood, start, a, b, c in rows}


def _cell(municipality_id: int, dim: str, grain: str, key: Key, counts: Counts) -> CareCell:
    org, hood, start = key
    a, b, c = counts
    return CareCell(
        municipality_id=municipality_id,
        organisation_id=org,
        neighbourhood_id=hood,
        grain=grain,
        period_start=start,
        dim=dim,
        a=a,
        b=b,
        c=c,
    )


def _write(
    municipality_id: int, dim: str, grain: str, changes: dict[Key, Counts], stored: dict[Key, tuple[int, Counts]]
) -> None:
    """Give the cells in `changes` their new counts: update, insert, or delete those that reach (0, 0, 0)."""
    gone, updated, added = [], [], []
    for key, counts in changes.items():
        if key in stored:
            pk, old = stored[key]
            if counts == old:
                continue
            if counts == (0, 0, 0):
                gone.append(pk)
            else:
                cell = _cell(municipality_id, dim, grain, key, counts)
                cell.pk = pk
                updated.append(cell)
        elif counts != (0, 0, 0):
            added.append(_cell(municipality_id, dim, grain, key, counts))
    for start in range(0, len(gone), BATCH):
        CareCell.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    CareCell.objects.bulk_update(updated, ["a", "b", "c"], batch_size=1000)
    CareCell.objects.bulk_create(added, batch_size=BATCH)


def care_days_write(
    municipality_id: int, dim: str, days: set[date], cells: dict[Key, Counts], organisations: list[int]
) -> int:
    """Replace the stored day cells of `days` (one dim) by `cells`, and add the differences to their months
    and years. Returns how many day cells changed."""
    old = _stored(municipality_id, [*organisations, *(k[0] for k in cells)], Grain.DAY.value, days, dim)
    changes: dict[Key, Counts] = dict.fromkeys(old, (0, 0, 0))
    changes.update(cells)
    deltas: dict[str, dict[Key, list[int]]] = {
        Grain.MONTH.value: defaultdict(lambda: [0, 0, 0]),
        Grain.YEAR.value: defaultdict(lambda: [0, 0, 0]),
    }
    changed = 0
    for key, counts in changes.items():
        before = old[key][1] if key in old else (0, 0, 0)
        if counts == before:
            continue
        changed += 1
        org, hood, day = key
        for grain, start in ((Grain.MONTH.value, month_of(day)), (Grain.YEAR.value, date(day.year, 1, 1))):
            total = deltas[grain][(org, hood, start)]
            for i in range(3):
                total[i] += counts[i] - before[i]
    if not changed:
        return 0
    _write(municipality_id, dim, Grain.DAY.value, changes, old)
    for grain, per_key in deltas.items():
        per_key = {k: v for k, v in per_key.items() if any(v)}
        if not per_key:
            continue
        stored = _stored(municipality_id, {k[0] for k in per_key}, grain, {k[2] for k in per_key}, dim)
        new: dict[Key, Counts] = {}
        for key, (da, db, dc) in per_key.items():
            a, b, c = stored[key][1] if key in stored else (0, 0, 0)
            new[key] = (a + da, b + db, c + dc)
        _write(municipality_id, dim, grain, new, stored)
    return changed
