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

from waakvlam.insight.models import TopSpell, Unblock
from waakvlam.insight.selectors import Scope, percentile
from waakvlam.insight.suppression import Cell, Group, hidden, rate, secondary_suppress

ENDED_BY = [str(v) for v in Unblock.values]
LABELS = dict(Unblock.choices)


def top_of_ladder(scope: Scope, start: date, end: date) -> dict[str, Any]:
    spells = TopSpell.objects.filter(municipality_id=scope.municipality_id, reached_on__gte=start, reached_on__lte=end)
    if scope.is_partner:
        spells = spells.filter(organisation_id=scope.organisation_id)
    by: Counter[str] = Counter()
    acted = 0
    hours: Counter[int] = Counter()
    for ended_by, reached_at, ended_at, asked, meeting in spells.values_list(
        "ended_by", "reached_at", "ended_at", "regie_asked", "regie_meeting"
    ):
        by[ended_by] += 1
        acted += int(asked or meeting)
        if ended_at is not None:
            hours[max(0, int((ended_at - reached_at).total_seconds()) // 360)] += 1
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
