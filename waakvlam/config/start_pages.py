"""The start page of each role, composed from the apps' permission-scoped selectors.
This lives in config, the composition root, because it reads from every app; core depends on none of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waakvlam.cases.selectors import tasks_for_inbox
from waakvlam.contact.selectors import contact_plans_due_for
from waakvlam.core.models import Neighbourhood, Organisation, Team, User
from waakvlam.core.roles import Role
from waakvlam.handover.selectors import handovers_in_hand, may_announce
from waakvlam.households.services import resident_subject
from waakvlam.insight.home import signals_per_neighbourhood
from waakvlam.intake import selectors as intake_selectors
from waakvlam.intake.models import Status, TrackingStatus
from waakvlam.intake.tracking import tracking_status
from waakvlam.privacy import selectors as privacy_selectors
from waakvlam.privacy.services import Actor, access_log_reads
from waakvlam.routing.selectors import escalated_and_waiting, late_and_waiting
from waakvlam.socialmap.referral_models import Referral, ReferralStatus
from waakvlam.socialmap.referral_selectors import receiver_q

SMALL_NUMBER_THRESHOLD = 5
HANDOVERS_SHOWN = 10  # counts below this are shown as "< 5" to the municipality


def suppress_small(count: int) -> str:
    return f"< {SMALL_NUMBER_THRESHOLD}" if 0 < count < SMALL_NUMBER_THRESHOLD else str(count)


def start_page_for(user: User) -> dict[str, Any]:
    builder = _BUILDERS.get(Role(user.role), _empty)
    return {"role_label": user.get_role_display(), **builder(user)}


def _empty(user: User) -> dict[str, Any]:
    return {}


def _signaller(user: User) -> dict[str, Any]:
    # Only the three tracking steps, never internal statuses: the reporter's view stops at "picked up".
    reports = list(intake_selectors.signals_reported_by(user)[:10])
    for report in reports:
        report.tracking_label = TrackingStatus(tracking_status(report)).label  # type: ignore[attr-defined]
    return {"my_reports": reports, "open_tasks": tasks_for_inbox(user).count()}


def _inbox_worker(user: User) -> dict[str, Any]:
    now = timezone.now()
    visible = intake_selectors.signals_visible_to(user)
    open_signals = visible.exclude(status=Status.CLOSED)
    return {
        "teams": user.teams.all(),
        "count_new": open_signals.filter(status=Status.RECEIVED).count(),
        "count_mine": open_signals.filter(owner_user=user).count(),
        "count_overdue": open_signals.filter(late_and_waiting(now)).count(),
        "count_escalated": open_signals.filter(escalated_and_waiting()).count(),
        "contact_due": contact_plans_due_for(user, now),
        "open_tasks": tasks_for_inbox(user).count(),
        "recent": open_signals.select_related("neighbourhood", "owner_team").order_by("due_at")[:8],
        **_handovers(user, now),
    }


def _handovers(user: User, now: datetime) -> dict[str, Any]:
    """The warm handovers the user takes part in: the sending clinician's, or the receiving team's."""
    in_hand = handovers_in_hand(user, now)
    rows = list(in_hand.select_related("resident", "receiving_team", "steward", "from_organisation")[:HANDOVERS_SHOWN])
    return {
        "handovers": rows,
        "handovers_total": in_hand.count() if len(rows) == HANDOVERS_SHOWN else len(rows),
        "may_announce": may_announce(user),
        "today": timezone.localdate(now),
    }


def _municipality(user: User) -> dict[str, Any]:
    # From the insight rollups (as of the worker's last pass): counting the signals table per neighbourhood
    # on every visit grew with every signal ever received.
    counts = signals_per_neighbourhood(user.municipality_id)
    rows = (
        Neighbourhood.objects.filter(municipality_id=user.municipality_id)
        .select_related("district")
        .only("name", "code", "district__name", "district__code")
        .order_by("district__code", "code")
    )
    return {"neighbourhoods": [{"n": n, "open_signals": suppress_small(counts.get(n.pk, 0))} for n in rows]}


def _privacy_officer(user: User) -> dict[str, Any]:
    return {"log_summary": privacy_selectors.access_log_summary(user)}


def _admin(user: User) -> dict[str, Any]:
    organisations = Organisation.objects.filter(municipality_id=user.municipality_id).annotate(
        user_count=Count("users", distinct=True), team_count=Count("teams", distinct=True)
    )
    return {
        "organisations": organisations,
        "team_count": Team.objects.filter(municipality_id=user.municipality_id).count(),
    }


def _activity_keeper(user: User) -> dict[str, Any]:
    # Counts only: the names are on "Mijn activiteiten", where each shown referral is logged.
    return {
        "activity_count": user.kept_services.count(),  # type: ignore[attr-defined]
        "referrals_waiting": Referral.objects.filter(receiver_q(user), status=ReferralStatus.SENT).count(),
    }


_BUILDERS = {
    Role.SIGNALLER: _signaller,
    Role.STEWARD: _inbox_worker,
    Role.COORDINATOR: _inbox_worker,
    Role.PARTNER: _inbox_worker,
    Role.MUNICIPALITY: _municipality,
    Role.PRIVACY_OFFICER: _privacy_officer,
    Role.ADMIN: _admin,
    Role.ACTIVITY_KEEPER: _activity_keeper,
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.INFORMAL_SUPPORTER:  # type: ignore[union-attr]
        # A light role with one screen: their start page is the people linked to them.
        return redirect("network:my_people")
    context = start_page_for(request.user)  # type: ignore[arg-type]
    due = context.get("contact_due")
    if due is not None and due.rows:
        # The block names residents and their addresses: a read of personal data like any list of them.
        access_log_reads(
            actor=Actor.from_request(request),
            object_type="contact.contactplan",
            reads=[(plan.pk, f"resident:{plan.resident_id}") for plan in due.rows],
            context="ui:start_page",
            reason="startpagina",
        )
    handovers = context.get("handovers")
    if handovers:
        access_log_reads(
            actor=Actor.from_request(request),
            object_type="handover.handover",
            reads=[(h.pk, resident_subject(h.resident_id)) for h in handovers],
            context="ui:start_page",
            reason="startpagina",
        )
    return render(request, f"core/home/{request.user.role}.html", context)  # type: ignore[union-attr]
