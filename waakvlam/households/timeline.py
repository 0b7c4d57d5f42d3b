"""The household page: one timeline of what happened at one address — signals, and what the apps above
add (contact plans and moments, early-warning plans, warm handovers; reach.py) — so the steward sees a
household rather than loose reports.

Only someone who may see at least one of the household's signals, or reaches it through a registered part
(an active contact plan, an open handover), sees the household; and then only what they may see on it (no
counts of the rest: that would tell there is more). The page logs the household (its address) and every
part logs the residents it shows.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Min, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.core.templatetags.ui import is_overdue
from waakvlam.households.linking import household_subject, households_visible_to
from waakvlam.households.models import Household
from waakvlam.households.reach import TimelineEntry, timeline_sources
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


def signal_entry(signal: Signal) -> TimelineEntry:
    source = signal.get_source_kind_display()
    if signal.reporter_organisation:
        source = f"{source} · {signal.reporter_organisation.name}"
    owner = signal.owner_team.name if signal.owner_team else ""
    if signal.owner_user:
        owner = f"{owner} · {person_name(signal.owner_user)}"
    status = str(signal.get_status_display())
    if signal.outcome:
        status = f"{status} — {signal.get_outcome_display()}"
    if signal.merged_into_id:
        merged = _("samengevoegd")
        status = f"{status} ({merged})"
    badges = []
    if signal.urgency == "high":
        badges.append(("badge--high", str(signal.get_urgency_display())))
    if is_overdue(signal):
        badges.append(("badge--overdue", _("te laat")))
    return TimelineEntry(
        when=signal.received_at,
        kind=_("Signaal"),
        title=str(signal.get_category_display()),
        url=reverse("intake:signal_detail", args=[signal.pk]),
        detail=source,
        who=owner,
        status=status,
        badges=tuple(badges),
    )


def household_timeline_entries(
    user: User, household: Household, signals: list[Signal], *, actor: Actor, now: datetime
) -> list[TimelineEntry]:
    """The signals and every registered part's entries, newest first."""
    entries = [signal_entry(s) for s in signals]
    for source in timeline_sources():
        entries.extend(source(user, household, actor=actor, now=now))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


@login_required
def household_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    now = timezone.now()
    actor = Actor.from_request(request)
    visible = households_visible_to(user, now).select_related("address", "neighbourhood", "municipality")
    household = get_visible_or_404(
        visible,
        public_id,
        actor=actor,
        context="ui:household_detail",
        subject_of=household_subject,
        lookup="public_id",
    )
    signals_qs = household_signals(user, household)
    signals = list(signals_qs[:MAX_TIMELINE])
    context = {
        "household": household,
        # The first signal the reader may see, as the timeline shows it (not when the household was linked).
        "first_signal_at": signals_qs.aggregate(first=Min("received_at"))["first"],
        "entries": household_timeline_entries(user, household, signals, actor=actor, now=now),
        "open_count": sum(1 for s in signals if s.status != "closed"),
        "truncated": len(signals) == MAX_TIMELINE,
    }
    return render(request, "households/household_detail.html", context)
