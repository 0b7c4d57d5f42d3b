"""Two things the worker's pass keeps beside the rollups: the "stuck" state, and the signals' time at the top
of the ladder (what unblocked them).

Stuck: open signals nobody picked up whose escalation is owed and not recorded. After every deadline sweep it
is 0; the insight pass runs after that sweep (order 60 > 10) and writes what it finds, so a request reads a
handful of rows instead of scanning the open signals (at ten million signals that scan alone took longer
than the whole answer may). Flames going out: running contact plans whose next contact is overdue, kept the
same way (a request looked up each overdue plan's neighbourhood: ~9 ms of every insight answer at a million
households).

Top spells: from each signal's history (SignalEvent), in order. A chain starts at receipt and again at each
transfer (the new owner gets a fresh due time and level 0); each `escalated` event is one level up. When
the chain reaches the municipality's level a spell starts; the next claim, transfer (by the team or by the
regie) or closure ends it, and says what unblocked it. A regie question or area meeting during the spell is
kept as a flag, so the figures show what followed those actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.sweep import pending_items
from waakvlam.households.models import Resident
from waakvlam.insight.facts import array_literal
from waakvlam.insight.models import ALL_ORGANISATIONS, NO_NEIGHBOURHOOD, StateCell, TopSpell, Unblock
from waakvlam.insight.timing import local_day
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.routing.followups import SIGNAL_PICKUP
from waakvlam.routing.regie import EXPLANATION_ASKED, ON_AREA_MEETING, REGIE_TRANSFERRED, top_level

ENDS = {
    "claimed": Unblock.PICKED_UP,
    "transferred": Unblock.TEAM_TRANSFER,
    REGIE_TRANSFERRED: Unblock.REGIE_TRANSFER,
    "closed": Unblock.CLOSED,
    "merged": Unblock.CLOSED,
}
CHAIN_STARTS = ("transferred", REGIE_TRANSFERRED)
READ_KINDS = ("escalated", EXPLANATION_ASKED, ON_AREA_MEETING, *ENDS)


def _overdue_plans(now: datetime) -> QuerySet[Any]:
    """Running contact plans past their next contact's day, counted per municipality, organisation and the
    resident's neighbourhood (looked up per plan by key: as a join PostgreSQL hashed every resident)."""
    place = Resident.objects.filter(pk=OuterRef("resident_id")).values("household__neighbourhood_id")[:1]
    return (
        ContactPlan.objects.filter(status=PlanStatus.ACTIVE, next_contact_due__lt=local_day(now))
        .order_by()
        .annotate(hood=Subquery(place))
        .values("municipality_id", "organisation_id", "hood")
        .annotate(n=Count("id"))
    )


def state_refresh(now: datetime) -> int:
    """Rewrite the states of now per municipality x organisation x neighbourhood: the stuck signals (by the
    reporter's organisation) and the flames going out (by the plan's). Returns the stuck signals."""
    stuck: QuerySet[Any] = (
        pending_items(SIGNAL_PICKUP, now)
        .order_by()
        .values("municipality_id", "reporter_organisation_id", "neighbourhood_id")
        .annotate(n=Count("id"))
    )
    cells: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])

    def add(municipality: int, organisation: int | None, hood: int | None, which: int, n: int) -> None:
        for org in (ALL_ORGANISATIONS, organisation) if organisation else (ALL_ORGANISATIONS,):
            cells[(municipality, org, hood or NO_NEIGHBOURHOOD)][which] += n

    for row in stuck:
        add(row["municipality_id"], row["reporter_organisation_id"], row["neighbourhood_id"], 0, row["n"])
    for row in _overdue_plans(now):
        add(row["municipality_id"], row["organisation_id"], row["hood"], 1, row["n"])
    StateCell.objects.all().delete()
    StateCell.objects.bulk_create(
        [
            StateCell(municipality_id=m, organisation_id=o, neighbourhood_id=h, stuck=n, plans_overdue=overdue, at=now)
            for (m, o, h), (n, overdue) in cells.items()
        ]
    )
    return sum(n for (_m, o, _h), (n, _overdue) in cells.items() if o == ALL_ORGANISATIONS)


def _spells_of(signal: Any, events: list[tuple[datetime, str]], top: int) -> list[TopSpell]:
    spells: list[TopSpell] = []
    level, current = 0, None
    for at, kind in events:
        if kind == "escalated":
            level += 1
            if level == top and current is None:
                current = TopSpell(
                    signal_id=signal["id"],
                    municipality_id=signal["municipality_id"],
                    organisation_id=signal["reporter_organisation_id"] or ALL_ORGANISATIONS,
                    neighbourhood_id=signal["neighbourhood_id"] or NO_NEIGHBOURHOOD,
                    reached_at=at,
                    reached_on=at.astimezone(DEFAULT_CALENDAR.zone).date(),
                )
                spells.append(current)
            continue
        if current is not None:
            if kind == EXPLANATION_ASKED:
                current.regie_asked = True
            elif kind == ON_AREA_MEETING:
                current.regie_meeting = True
            elif kind in ENDS:
                current.ended_at, current.ended_by = at, ENDS[kind]
                current = None
        if kind in CHAIN_STARTS:
            level = 0
    return spells


def _of_signals(ids: list[int]) -> Any:
    """signal_id among `ids`: on PostgreSQL one array parameter (`= ANY`), not an IN list of a day's ~28,000
    parameters at ten million signals, which the client quoted one by one and the server parsed (~1 s a pass)."""
    if connection.vendor == "postgresql":
        return RawSQL("signal_id = ANY(%s::bigint[])", (array_literal(ids),), output_field=BooleanField())
    return Q(signal_id__in=ids)


def spells_recompute(signal_ids: Iterable[int] | None) -> int:
    """Rewrite the top spells of the given signals (all signals when None) from their history."""
    escalated = SignalEvent.objects.filter(kind="escalated")
    if signal_ids is not None:
        ids = list(signal_ids)
        TopSpell.objects.filter(_of_signals(ids)).delete()
        escalated = escalated.filter(_of_signals(ids))
    else:
        TopSpell.objects.all().delete()
    # Only signals that ever escalated can have reached the top; their whole history is read, in order.
    candidates = list(escalated.order_by().values_list("signal_id", flat=True).distinct())
    top = top_level()
    written = 0
    for start in range(0, len(candidates), 2000):
        chunk = candidates[start : start + 2000]
        signals = {
            s["id"]: s
            for s in Signal.objects.filter(pk__in=chunk).values(
                "id", "municipality_id", "reporter_organisation_id", "neighbourhood_id"
            )
        }
        history: dict[int, list[tuple[datetime, str]]] = {pk: [] for pk in signals}
        for signal_id, at, kind in (
            SignalEvent.objects.filter(signal_id__in=chunk, kind__in=READ_KINDS)
            .order_by("signal_id", "at", "pk")
            .values_list("signal_id", "at", "kind")
        ):
            if signal_id in history:
                history[signal_id].append((at, kind))
        spells = [spell for pk, events in history.items() for spell in _spells_of(signals[pk], events, top)]
        TopSpell.objects.bulk_create(spells, batch_size=5000)
        written += len(spells)
    return written
