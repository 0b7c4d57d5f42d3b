"""Which households a caller of the API may see, and the reads of the households API.

A person sees a household when they may see at least one of its signals, or an active contact plan or open
warm handover there (linking.households_visible_to, reach.py), and through the API only the signals of it
they may see. A partner system's key with scope `households:read` sees the households of
the signals its own organisation owns: the signals `signals:read` would show it, no more.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.households.linking import households_visible_to
from waakvlam.households.models import Household
from waakvlam.households.timeline import MAX_TIMELINE, household_signals
from waakvlam.intake.models import Signal

__all__ = [
    "MAX_TIMELINE",
    "household_timeline",
    "households_filtered",
    "households_visible_to_caller",
]


Caller = User | ApiKey


def _key_signals(api_key: ApiKey) -> QuerySet[Signal]:
    if scopes.HOUSEHOLDS_READ not in api_key.scopes:
        return Signal.objects.none()
    return Signal.objects.filter(owner_team__organisation_id=api_key.organisation_id)


def households_visible_to_caller(caller: Caller) -> QuerySet[Household]:
    if isinstance(caller, ApiKey):
        return Household.objects.filter(Exists(_key_signals(caller).filter(household=OuterRef("pk"))))
    return households_visible_to(caller)


def households_filtered(visible: QuerySet[Household], *, neighbourhood: str, postcode: str) -> QuerySet[Household]:
    """Narrow an already permission-scoped queryset; `postcode` is normalised by the caller."""
    qs = visible
    if neighbourhood:
        qs = qs.filter(neighbourhood__code=neighbourhood.upper())
    if postcode:
        qs = qs.filter(address__postcode=postcode)
    return qs


def household_timeline(caller: Caller, household: Household) -> list[Signal]:
    """The household's signals the caller may see, newest first; at most MAX_TIMELINE + 1, so the caller can
    tell that there are more without a count (a count would include none it may not see anyway)."""
    if isinstance(caller, ApiKey):
        qs = _key_signals(caller).filter(household=household).order_by("-received_at", "-pk")
    else:
        qs = household_signals(caller, household)
    return list(qs.select_related("neighbourhood", "owner_team", "owner_user")[: MAX_TIMELINE + 1])
