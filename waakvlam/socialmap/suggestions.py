"""Collective first, visibly: the collective offers in a resident's neighbourhood that fit what a signal is
about (or the need a steward looks for), suggested before anyone arranges individual help.

A signal's category is not a need; this table says which needs of the social map's taxonomy (by code)
usually answer it. Terms the map does not have (an imported taxonomy) are passed over."""

from __future__ import annotations

from datetime import datetime

from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.search import Hit, Query, neighbourhood_centre, services_find

NEEDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "isolation": ("ontmoeting", "informeel"),
    "payment_arrears": ("geld",),
    "eviction_risk": ("geld", "wonen"),
    "neglect": ("praktisch", "ontmoeting"),
    "nuisance": ("ontmoeting", "praktisch"),
    "worrying_behaviour": ("psychisch", "ontmoeting"),
    "relapse_signs": ("psychisch", "verslaving"),
    "discharge": ("dagbesteding", "ontmoeting"),
    "other": ("ontmoeting",),
    "safety_for_workers": (),
}
SUGGESTED = 3


def needs_for_category(category: str) -> list[m.TaxonomyTerm]:
    codes = NEEDS_BY_CATEGORY.get(category, ())
    found = {t.code: t for t in m.TaxonomyTerm.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def collective_offers_near(
    *, municipality_id: int, neighbourhood: Neighbourhood | None, needs: list[m.TaxonomyTerm], now: datetime
) -> list[Hit]:
    """Up to three collective offers in the neighbourhood for these needs, the first need first, nearest
    to the neighbourhood's middle first; none without a neighbourhood."""
    if neighbourhood is None:
        return []
    hits: list[Hit] = []
    for need in needs:
        query = Query(
            municipality_id=municipality_id,
            need=need.pk,
            neighbourhood_id=neighbourhood.pk,
            origin=neighbourhood_centre(neighbourhood),
            collective_only=True,
        )
        found, _n = services_find(query, now=now, limit=SUGGESTED)
        hits += [h for h in found if h.service.pk not in {x.service.pk for x in hits}]
        if len(hits) >= SUGGESTED:
            break
    return hits[:SUGGESTED]
