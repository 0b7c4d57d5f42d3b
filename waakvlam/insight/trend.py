"""The municipality's (or a partner's own) signal figures per month for the page's trend chart, suppressed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Sum

from waakvlam.insight.models import Grain, SignalCell
from waakvlam.insight.selectors import COMPLEMENTS, Scope
from waakvlam.insight.suppression import Cell, Group, hidden, rate, secondary_suppress
from waakvlam.insight.timing import month_of

TREND_MEASURES = ("signals_in", "picked_up", "picked_up_in_time", "escalated", "closed")


def monthly_trend(scope: Scope, last_month: date, months: int = 12) -> dict[str, Any]:
    """The municipality's (or the partner's own) monthly signal figures, suppressed: the months of one
    figure add up to their total, so they form one group like the neighbourhoods do."""
    firsts = [last_month]
    while len(firsts) < months:
        firsts.insert(0, month_of(firsts[0] - timedelta(days=1)))
    rows: Any = (
        SignalCell.objects.filter(
            municipality_id=scope.municipality_id,
            organisation_id=scope.organisation_id,
            grain=Grain.MONTH,
            dim="all",
            period_start__in=firsts,
        )
        .values("period_start")
        .annotate(**{m: Sum(m) for m in TREND_MEASURES})
        .order_by()
    )
    by_month = {r["period_start"]: r for r in rows}
    cells = {m: [Cell(int((by_month.get(f) or {}).get(m) or 0)) for f in firsts] for m in TREND_MEASURES}
    groups = [Group(Cell(sum(c.value for c in cells[m])), cells[m]) for m in TREND_MEASURES]
    for i in range(len(firsts)):
        for part, whole in COMPLEMENTS[:4]:
            p, w = cells[part][i], cells[whole][i]
            groups.append(Group(w, [p, hidden(w.value - p.value)]))
    secondary_suppress(groups)
    return {
        "months": [f.strftime("%Y-%m") for f in firsts],
        "counts": {m: [c.shown() for c in cells[m]] for m in TREND_MEASURES},
        "rates": {
            "picked_up_in_time": [
                rate(cells["picked_up_in_time"][i], cells["signals_in"][i]) for i in range(len(firsts))
            ]
        },
    }
