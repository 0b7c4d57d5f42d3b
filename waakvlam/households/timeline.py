"""The household page: one timeline of the signals about one address, so the steward sees a household
rather than loose reports.

Only someone who may see at least one of the household's signals sees the household, and then only the
signals they may see (no counts of others: that would tell there are more). Every view leaves one
access-log entry.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waakvlam.core.models import User
from waakvlam.households.linking import household_subject, households_visible_to
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

MAX_TIMELINE = 200


def household_signals(user: User, household: Household) -> QuerySet[Signal]:
    """The household's signals that `user` may see, newest first."""
    return (
        signals_visible_to(user)
        .filter(household=household)
        .select_related("owner_team", "owner_user", "reporter_organisation")
        .order_by("-received_at", "-pk")
    )


@login_required
def household_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    visible = households_visible_to(user).select_related("address", "neighbourhood", "municipality")
    household = get_visible_or_404(
        visible,
        public_id,
        actor=Actor.from_request(request),
        context="ui:household_detail",
        subject_of=household_subject,
        lookup="public_id",
    )
    signals = list(household_signals(user, household)[:MAX_TIMELINE])
    context = {
        "household": household,
        "signals": signals,
        "open_count": sum(1 for s in signals if s.status != "closed"),
        "truncated": len(signals) == MAX_TIMELINE,
    }
    return render(request, "households/household_detail.html", context)
