"""The municipality's start page: open signals per neighbourhood, small numbers suppressed (registered in
InsightConfig.ready(), core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.core.models import Neighbourhood, User
from waakvlam.insight.home import signals_per_neighbourhood as counted_per_neighbourhood

SMALL_NUMBER_THRESHOLD = 5  # counts below this are shown as "< 5" to the municipality


def suppress_small(count: int) -> str:
    return f"< {SMALL_NUMBER_THRESHOLD}" if 0 < count < SMALL_NUMBER_THRESHOLD else str(count)


def signals_per_neighbourhood(user: User, now: datetime) -> dict[str, Any]:
    # From the insight rollups (as of the worker's last pass): counting the signals table per neighbourhood
    # on every visit grew with every signal ever received.
    counts = counted_per_neighbourhood(user.municipality_id)
    rows = (
        Neighbourhood.objects.filter(municipality_id=user.municipality_id)
        .select_related("district")
        .only("name", "code", "district__name", "district__code")
        .order_by("district__code", "code")
    )
    return {"neighbourhoods": [{"n": n, "open_signals": suppress_small(counts.get(n.pk, 0))} for n in rows]}
