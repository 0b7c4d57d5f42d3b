"""Keeping the insight rollups current: the worker's incremental pass and the full rebuild.

The pass finds what changed since the last one by watermarks:
- signals: every change to a signal writes a SignalEvent in the same transaction (received, assigned,
  claimed, escalated, transferred, closed, merged, anonymised), so the events after the last event id name
  exactly the signals whose figures may have changed; each one's difference (its old fact out, its new one
  in) is added to its day, month and year cells (facts.py). A signal whose fact did not change costs
  nothing, so reading a little too much is harmless.
- contact moments: append-only, by id; contact plans, handovers and the casework: by time, what changed
  between the last pass (less an overlap) and this one's `now` (casework.Window); their days are counted
  again from the raw rows (idempotent), and what changed goes into the day cells and, as differences, into
  their months and years (care.py).
Ids are handed out before commit, so a transaction that commits after a later one could be passed over by an
"id above the watermark" reader; event and moment ids are read through the commit-safe feed
(core/id_feed.py), which reads such rows once it is safe to tell. `waakvlam insight-rebuild` (nightly) makes
everything exact again whatever happened (an edited conference date, say).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction

from waakvlam.contact.models import ContactMoment, ContactPlan
from waakvlam.core.id_feed import IdCursor, id_feed_position, id_feed_read
from waakvlam.handover.models import Handover
from waakvlam.insight.care import Counts, care_days_write, care_organisations
from waakvlam.insight.casework import CASEWORK_DIMS, Window, casework_changed_days, casework_day_cells
from waakvlam.insight.facts import signal_facts_apply, signal_facts_from_scratch
from waakvlam.insight.facts_sql import signal_facts_apply_sql
from waakvlam.insight.models import (
    ALL_ORGANISATIONS,
    NO_NEIGHBOURHOOD,
    CareCell,
    PickupBucketCell,
    PickupCell,
    SignalCell,
    SignalFact,
    Watermark,
)
from waakvlam.insight.rebuild_sql import rebuild_signal_cells_postgres
from waakvlam.insight.spells import spells_recompute, state_refresh
from waakvlam.insight.timing import day_start, local_day
from waakvlam.intake.models import Signal, SignalEvent

MAX_IDS_PER_PASS = 2_000_000  # history steps and contact moments per pass; the rest in the next pass
Day = tuple[int, date]  # (municipality id, local date)


# --- contact moments, plans, handovers ----------------------------------------------------------------


def _care_day_cells(municipality_id: int, dim: str, days: set[date]) -> dict[tuple[int, int, date], Counts]:
    cells: dict[tuple[int, int, date], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(org: int | None, hood: int | None, day: date, a: int = 0, b: int = 0, c: int = 0) -> None:
        for o in (ALL_ORGANISATIONS, org) if org else (ALL_ORGANISATIONS,):
            cell = cells[(o, hood or NO_NEIGHBOURHOOD, day)]
            cell[0] += a
            cell[1] += b
            cell[2] += c

    if dim == "contacts":
        moments = ContactMoment.objects.filter(municipality_id=municipality_id, happened_on__in=days).values_list(
            "plan__organisation_id", "plan__resident__household__neighbourhood_id", "happened_on", "made"
        )
        for org, hood, day, made in moments.iterator(chunk_size=20000):
            add(org, hood, day, a=int(made), b=int(not made))
    elif dim == "plans":
        plans = ContactPlan.objects.filter(municipality_id=municipality_id).values_list(
            "organisation_id", "resident__household__neighbourhood_id", "starts_on", "closed_at"
        )
        first, last = day_start(min(days)), day_start(max(days) + timedelta(days=1))
        plans = plans.filter(starts_on__in=days) | plans.filter(closed_at__gte=first, closed_at__lt=last)
        for org, hood, starts_on, closed_at in plans.iterator(chunk_size=20000):
            if starts_on in days:
                add(org, hood, starts_on, a=1)
            if closed_at is not None and local_day(closed_at) in days:
                add(org, hood, local_day(closed_at), b=1)
    elif dim in CASEWORK_DIMS:
        casework_day_cells(municipality_id, dim, days, add)
    else:
        handovers = Handover.objects.filter(municipality_id=municipality_id, discharge_on__in=days).values_list(
            "from_organisation_id",
            "household__neighbourhood_id",
            "discharge_on",
            "first_contact_on",
            "first_contact_due",
        )
        for org, hood, day, first_contact, due in handovers.iterator(chunk_size=20000):
            add(
                org,
                hood,
                day,
                a=1,
                b=int(first_contact is not None and first_contact <= due),
                c=int(first_contact is not None),
            )
    return {key: (a, b, c) for key, (a, b, c) in cells.items()}


# --- writing ------------------------------------------------------------------------------------------


def rollups_recompute_days(*, care_days: dict[str, set[Day]]) -> int:
    """Count the care and casework day cells of the given days again from the raw rows; what changed goes
    into the day cells and, as differences, into their months and years (care.py)."""
    care_by_muni: dict[tuple[int, str], set[date]] = defaultdict(set)
    for dim, pairs in care_days.items():
        for muni, day in pairs:
            care_by_muni[(muni, dim)].add(day)
    organisations: dict[int, list[int]] = {}
    with transaction.atomic():
        for (muni, dim), care_dates in sorted(care_by_muni.items()):
            if muni not in organisations:
                organisations[muni] = care_organisations(muni)
            care_days_write(muni, dim, care_dates, _care_day_cells(muni, dim, care_dates), organisations[muni])
    return sum(len(d) for d in care_by_muni.values())


def _watermark(name: str) -> Watermark:
    Watermark.objects.get_or_create(name=name)
    # One pass at a time: a second worker waits here for the first one's cursors.
    return Watermark.objects.select_for_update().get(name=name)


def _signal_cells_from_scratch() -> None:
    """Empty the signal facts and cells and write them again from the signals (inside a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the whole tables: no dead rows left for the next vacuum
            cursor.execute(
                "TRUNCATE insight_signalcell, insight_pickupcell, insight_pickupbucketcell, insight_signalfact"
            )
        rebuild_signal_cells_postgres()
    else:
        for model in (SignalCell, PickupCell, PickupBucketCell, SignalFact):
            model.objects.all().delete()
        signal_facts_from_scratch()


def rollups_update(now: datetime) -> dict[str, int]:
    """The worker's pass: bring the rollups up to date with what changed since the last pass.

    One transaction with the cursors it moves, so a pass that fails hands the same rows out again."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner cannot see how few rows the pass's statements match (estimates of millions) and
            # compiled them with JIT: ~2 s of a 2.9 s comparison of facts, 1.1 s of the 0.26 s overdue plans
            # at ten million signals (EXPLAIN). Off for this pass's transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        events = _watermark("signal_events")
        moments = _watermark("contact_moments")
        plans = _watermark("contact_plans")
        handovers = _watermark("handovers")
        if not SignalFact.objects.exists() and Signal.objects.exists():
            # The first pass after insight migration 0005 (which emptied the cells): the differences need facts.
            _signal_cells_from_scratch()
        # The commit-safe feed (core/id_feed.py): new ids, and once it is safe to tell, ids that committed
        # late below the last one read.
        event_read = id_feed_read(SignalEvent, events.cursor, fields=("signal_id",), limit=MAX_IDS_PER_PASS)
        moment_read = id_feed_read(
            ContactMoment, moments.cursor, fields=("municipality_id", "happened_on"), limit=MAX_IDS_PER_PASS
        )
        spells = cells = 0
        if event_read.rows:
            changed = sorted({signal_id for _pk, signal_id in event_read.rows})
            # Each changed signal's difference, added to its cells: set-based on PostgreSQL (facts_sql.py).
            if connection.vendor == "postgresql":
                cells = signal_facts_apply_sql(changed)
            else:
                cells = signal_facts_apply(changed)
            spells = spells_recompute(changed)
        care: dict[str, set[Day]] = {"contacts": {(m, d) for _pk, m, d in moment_read.rows}, "plans": set()}
        plan_rows = Window(plans.last_at, now)(ContactPlan.objects.all())
        for muni, starts_on, closed_at in plan_rows.values_list("municipality_id", "starts_on", "closed_at"):
            care["plans"].add((muni, starts_on))
            if closed_at is not None:
                care["plans"].add((muni, local_day(closed_at)))
        window = Window(handovers.last_at, now)
        handover_rows = window(Handover.objects.all())
        care["handovers"] = set(handover_rows.values_list("municipality_id", "discharge_on").distinct())
        care.update(casework_changed_days(window))  # by time, like the handovers (insight/casework.py)
        days = rollups_recompute_days(care_days=care)
        events.move_to(event_read.cursor)
        moments.move_to(moment_read.cursor)
        for mark in (events, moments, plans, handovers):
            mark.last_at = now
            mark.save(update_fields=[*Watermark.CURSOR_FIELDS, "last_at"])
        stuck = state_refresh(now)
    result = {
        "insight_signals_changed": len(changed) if event_read.rows else 0,
        "insight_signal_cells_changed": cells,
        "insight_days_recomputed": days,
        "insight_top_spells": spells,
        "insight_stuck": stuck,
    }
    if event_read.reread or moment_read.reread:
        result["insight_late_rows_reread"] = event_read.reread + moment_read.reread
    return result


def rollups_rebuild(*, now: datetime) -> dict[str, int]:
    """Throw every rollup away and build them again from the raw rows (`waakvlam insight-rebuild`)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the whole tables: no dead rows left for the next vacuum
                cursor.execute(
                    "TRUNCATE insight_signalcell, insight_pickupcell, insight_pickupbucketcell, insight_carecell, "
                    "insight_signalfact"
                )
        for model in (SignalCell, PickupCell, PickupBucketCell, CareCell, SignalFact):
            model.objects.all().delete()
        Watermark.objects.all().delete()
    # Just before the signals are read: every history step visible now is in what the rebuild reads, and
    # the feed re-reads any step that commits later below this position (core/id_feed.py).
    position = id_feed_position(SignalEvent, IdCursor())
    with transaction.atomic():
        _signal_cells_from_scratch()
    # Contact moments, plans, handovers and the casework are far fewer: the incremental pass from empty
    # watermarks reads them all; the signal feed starts at the position taken before the rebuild read.
    spells_recompute(None)
    mark = Watermark(name="signal_events", last_at=now)
    mark.move_to(position)
    mark.save()
    result = rollups_update(now)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Requests read the rollups by index-only scans (the indexes cover them), which need the visibility
        # map of freshly written tables; VACUUM cannot run inside a transaction (a test's, say).
        with connection.cursor() as cursor:
            for table in (
                "insight_signalcell",
                "insight_pickupcell",
                "insight_pickupbucketcell",
                "insight_carecell",
                "insight_signalfact",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return {"insight_days_rebuilt": result["insight_days_recomputed"]}
