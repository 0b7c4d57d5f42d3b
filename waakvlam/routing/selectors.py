"""Permission-scoped reads for routing: the inboxes and the rules (the stuck page is the follow-up clock's).

Every signal list starts from intake's `signals_visible_to`, so counts never include hidden signals.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from waakvlam.core.models import Team, User
from waakvlam.core.roles import Role
from waakvlam.intake.lifecycle import OPEN_STATUSES
from waakvlam.intake.models import Signal, Status
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.routing import rules as perms
from waakvlam.routing.models import RoutingRule

INBOX_TABS = ("new", "mine", "overdue", "escalated")


def inbox_teams(user: User) -> QuerySet[Team]:
    """The teams whose inbox the user may open: their own; a coordinator all teams of their organisation."""
    if not perms.uses_inbox(user):
        return Team.objects.none()
    if user.role == Role.COORDINATOR:
        return Team.objects.filter(organisation=user.organisation).order_by("name")
    return user.teams.order_by("name")


def inbox_signals(user: User, *, team: Team | None = None) -> QuerySet[Signal]:
    """Open signals the user may see: of one team, or (team=None) of the user's own teams and their own."""
    if not perms.uses_inbox(user):
        return Signal.objects.none()
    visible = Signal.objects.filter(pk__in=signals_visible_to(user).values("pk"), status__in=OPEN_STATUSES)
    if team is not None:
        return visible.filter(owner_team=team)
    return visible.filter(Q(owner_team__in=user.teams.all()) | Q(owner_user=user))


def late_and_waiting(now: datetime) -> Q:
    """Past the original pickup time and not picked up: late on every screen until someone claims it."""
    return Q(picked_up_at__isnull=True, due_at__lt=now)


def escalated_and_waiting() -> Q:
    """Escalated and still nobody has picked it up. A claim ends the escalation: the level stays as history
    (the "escalatie N" badge on the signal), but the signal no longer counts as escalated anywhere."""
    return Q(escalation_level__gt=0, picked_up_at__isnull=True)


def _tab_filter(tab: str, user: User, now: datetime) -> Q:
    if tab == "new":
        return Q(status=Status.RECEIVED, picked_up_at__isnull=True)
    if tab == "mine":
        return Q(owner_user=user)
    if tab == "overdue":
        return late_and_waiting(now)
    if tab == "escalated":
        return escalated_and_waiting()
    raise ValueError(f"Unknown inbox tab {tab!r}")


def inbox_tab(signals: QuerySet[Signal], tab: str, user: User, now: datetime) -> QuerySet[Signal]:
    ordering = ("-escalation_level", "due_at", "pk") if tab == "escalated" else ("due_at", "pk")
    return (
        signals.filter(_tab_filter(tab, user, now))
        .select_related("neighbourhood", "owner_team", "owner_user")
        .order_by(*ordering)
    )


def inbox_counts(signals: QuerySet[Signal], user: User, now: datetime) -> dict[str, int]:
    """One query for all four tab counts."""
    return signals.aggregate(**{tab: Count("pk", filter=_tab_filter(tab, user, now)) for tab in INBOX_TABS})


def rules_for(user: User) -> QuerySet[RoutingRule]:
    """The rules of the user's municipality, in evaluation order (fallback last), for those who manage them."""
    if not perms.may_manage_rules(user):
        return RoutingRule.objects.none()
    return (
        RoutingRule.objects.filter(municipality_id=user.municipality_id)
        .select_related("target_team", "target_user", "district", "neighbourhood")
        .order_by("is_fallback", "position", "pk")
    )
