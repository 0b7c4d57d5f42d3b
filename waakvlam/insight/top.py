"""How long signals sat at the top of the ladder and what unblocked them, suppressed like every figure.

Read from the top spells the worker keeps (insight/spells.py): the spells that reached the municipality's
level in the period, by what ended them (picked up, handed on by the team, handed on by the regie, closed,
or still waiting), how many of them the regie asked about or put on an area meeting, and the median and
90th percentile of the hours at the top of the ended ones. The parts by outcome form one group with their
total, and "regie acted" with its (never published) complement, so no suppressed count follows from others.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from waakvlam.insight.models import TopSpell, Unblock
from waakvlam.insight.selectors import Scope, percentile
from waakvlam.insight.suppression import Cell, Group, hidden, rate, secondary_suppress

ENDED_BY = [str(v) for v in Unblock.values]
LABELS = dict(Unblock.choices)


def _tally(spells: QuerySet[TopSpell]) -> tuple[Counter[str], int, Counter[int]]:
    """Spells by what ended them, how many the regie acted on, and the ended ones' tenths of hours at the top.

    On PostgreSQL (the national scale) grouped in the database: a few dozen rows instead of every spell of
    the period, whose timestamps cost ~20 µs each to bring into Python (25,000 spells: 1.1 s at p95)."""
    by: Counter[str] = Counter()
    acted = 0
    hours: Counter[int] = Counter()
    if connection.vendor == "postgresql":
        regie = Q(regie_asked=True) | Q(regie_meeting=True)
        for ended_by, count, regie_count in (
            spells.values("ended_by")
            .annotate(n=Count("id"), acted=Count("id", filter=regie))
            .values_list("ended_by", "n", "acted")
        ):
            by[ended_by] += count
            acted += regie_count
        # Tenths of hours as the Python path below counts them: whole seconds (truncated), then floored
        # to tenths of an hour, never below 0.
        tenths = RawSQL("greatest(0, floor(trunc(extract(epoch from ended_at - reached_at)) / 360))::int", [])
        ended = spells.filter(ended_at__isnull=False).annotate(tenths=tenths)
        hours.update(dict(ended.values("tenths").annotate(n=Count("id")).values_list("tenths", "n")))
        return by, acted, hours
    for ended_by, reached_at, ended_at, asked, meeting in spells.values_list(
        "ended_by", "reached_at", "ended_at", "regie_asked", "regie_meeting"
    ):
        by[ended_by] += 1
        acted += int(asked or meeting)
        if ended_at is not None:
            hours[max(0, int((ended_at - reached_at).total_seconds()) // 360)] += 1
    return by, acted, hours


def top_of_ladder(scope: Scope, start: date, end: date) -> dict[str, Any]:
    spells = TopSpell.objects.filter(municipality_id=scope.municipality_id, reached_on__gte=start, reached_on__lte=end)
    if scope.is_partner:
        spells = spells.filter(organisation_id=scope.organisation_id)
    by, acted, hours = _tally(spells)
    total = Cell(sum(by.values()))
    parts = {k: Cell(by[k]) for k in ENDED_BY}
    regie = Cell(acted)
    ended = Cell(total.value - by[Unblock.WAITING])
    secondary_suppress(
        [
            Group(total, list(parts.values())),
            Group(total, [regie, hidden(total.value - acted)]),
            Group(ended, [p for k, p in parts.items() if k != Unblock.WAITING]),
            Group(total, [ended, parts[Unblock.WAITING]]),
        ]
    )
    enough = not ended.suppressed and ended.value >= 10
    median, p90 = (percentile(hours, 5), percentile(hours, 9)) if enough else (None, None)
    return {
        "reached_top": total.shown(),
        "ended_by": {k: parts[k].shown() for k in ENDED_BY},
        "regie_acted": regie.shown(),
        "share_picked_up": rate(parts[Unblock.PICKED_UP], total),
        "median_hours_at_top": None if median is None else median / 10,
        "p90_hours_at_top": None if p90 is None else p90 / 10,
    }
