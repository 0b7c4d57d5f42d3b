"""The municipality's start page: open signals per neighbourhood, small numbers suppressed (registered in
InsightConfig.ready(), core/start_page.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count

from waakvlam.core.models import Neighbourhood, User

SMALL_NUMBER_THRESHOLD = 5  # counts below this are shown as "< 5" to the municipality


def suppress_small(count: int) -> str:
    return f"< {SMALL_NUMBER_THRESHOLD}" if 0 < count < SMALL_NUMBER_THRESHOLD else str(count)


def signals_per_neighbourhood(user: User, now: datetime) -> dict[str, Any]:
    rows = (
        Neighbourhood.objects.filter(municipality_id=user.municipality_id)
        .annotate(open_signals=Count("signal", distinct=True))
        .select_related("district")
        .order_by("district__code", "code")
    )
    return {"neighbourhoods": [{"n": n, "open_signals": suppress_small(n.open_signals)} for n in rows]}
