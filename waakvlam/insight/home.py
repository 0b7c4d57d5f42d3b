"""The municipality's start page ("Wijkbeeld"): every signal so far per neighbourhood, from the year rollups.

Counting the signals table per neighbourhood on each visit grew with every signal ever received (half a
million a municipality at national scale); the year cells hold the same counts, as of the worker's last pass,
in a few rows per neighbourhood."""

from __future__ import annotations

from django.db.models import Sum

from waakvlam.insight.models import ALL_ORGANISATIONS, Grain, SignalCell


def signals_per_neighbourhood(municipality_id: int) -> dict[int, int]:
    """Unsuppressed counts by neighbourhood id (0: none); the caller publishes them suppressed."""
    rows = (
        SignalCell.objects.filter(
            municipality_id=municipality_id, organisation_id=ALL_ORGANISATIONS, grain=Grain.YEAR, dim="all"
        )
        .order_by()
        .values_list("neighbourhood_id")
        .annotate(n=Sum("signals_in"))
    )
    return {hood: int(n) for hood, n in rows}
