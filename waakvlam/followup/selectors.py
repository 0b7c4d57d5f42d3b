"""The municipality's stuck page over every kind: what reached the municipality, and what is late without
the escalation it is owed (the "stuck" figure, zero after every sweep). Non-personal metadata only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.followup.kinds import MUNICIPALITY, FollowUpKind, registered_kinds
from waakvlam.followup.sweep import pending_items


def may_see_stuck(user: User) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
        and bool(user.organisation_id)
        and user.role == Role.MUNICIPALITY
    )


def municipality_level(kind: FollowUpKind) -> int:
    """The level from which the municipality hears of an item of this kind."""
    return kind.ladder.first_level_for(MUNICIPALITY) or len(kind.ladder.steps) + 1


def escalated_to_municipality(user: User, kind: FollowUpKind) -> QuerySet[Any, dict[str, Any]]:
    """Open items of `kind` in the user's municipality at the municipality's level or above, as dicts of
    metadata only (reference, what, area, team, level, due), so a template cannot show more."""
    if not may_see_stuck(user):
        return kind.model._default_manager.none().values("pk")
    columns = kind.stuck
    named = {"s_ref": columns.ref, "s_team": columns.team, "s_area": columns.area, "s_what": columns.what}
    annotations = {alias: F(path) for alias, path in named.items() if path}
    return (
        kind.model._default_manager.filter(kind.open)
        .filter(**{kind.municipality: user.municipality_id, f"{kind.level}__gte": municipality_level(kind)})
        .annotate(level_reached=F(kind.level), due_time=F(kind.due), **annotations)
        .order_by(f"-{kind.level}", kind.due, "pk")
        .values("pk", "level_reached", "due_time", *annotations)
    )


def stuck_count(user: User, kind: FollowUpKind, now: datetime) -> int:
    """Items of `kind` in the user's municipality whose escalation is owed and not recorded (0 after a sweep)."""
    if not may_see_stuck(user):
        return 0
    return pending_items(kind, now).filter(**{kind.municipality: user.municipality_id}).count()


@dataclass
class KindSection:
    kind: FollowUpKind
    rows: QuerySet[Any, dict[str, Any]]
    stuck: int


def stuck_overview(user: User, now: datetime) -> list[KindSection]:
    return [
        KindSection(kind, escalated_to_municipality(user, kind), stuck_count(user, kind, now))
        for kind in registered_kinds()
    ]
