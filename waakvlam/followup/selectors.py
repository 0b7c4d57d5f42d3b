"""The municipality's stuck page over every kind: what reached the municipality, and what is late without
the escalation it is owed (the "stuck" figure, zero after every sweep). Non-personal metadata only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
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


@contextmanager
def small_reads() -> Iterator[None]:
    """The stuck page's reads, in one transaction without PostgreSQL's JIT compiler and parallel workers. Each
    statement reads one municipality's items by an index, but the planner estimates the stuck count of signals
    over the whole table (the late unpicked ones by due time: hundreds of thousands at ten million signals,
    where there are none). That estimate switched JIT on (~100 ms of compiling a page) and starts two workers
    (23 ms against 0.1 ms serially for a count of no rows)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def municipality_level(kind: FollowUpKind) -> int:
    """The level from which the municipality hears of an item of this kind."""
    return kind.ladder.first_level_for(MUNICIPALITY) or len(kind.ladder.steps) + 1


def _escalated(user: User, kind: FollowUpKind) -> QuerySet[Any]:
    """Open items of `kind` in the user's municipality at the municipality's level or above, in the page's
    order (highest level, then longest late), with no join: what a count and a page of keys read."""
    if not may_see_stuck(user):
        return kind.model._default_manager.none()
    return (
        kind.model._default_manager.filter(kind.open)
        .filter(**{kind.municipality: user.municipality_id, f"{kind.level}__gte": municipality_level(kind)})
        .order_by(f"-{kind.level}", kind.due, "pk")
    )


def escalated_to_municipality(user: User, kind: FollowUpKind) -> QuerySet[Any, dict[str, Any]]:
    """The same items as dicts of metadata only (reference, what, area, team, level, due), so a template
    cannot show more."""
    columns = kind.stuck
    named = {"s_ref": columns.ref, "s_team": columns.team, "s_area": columns.area, "s_what": columns.what}
    annotations = {alias: F(path) for alias, path in named.items() if path}
    return (
        _escalated(user, kind)
        .annotate(level_reached=F(kind.level), due_time=F(kind.due), **annotations)
        .values("pk", "level_reached", "due_time", *annotations)
    )


def escalated_page(user: User, kind: FollowUpKind, number: int | str | None, per_page: int) -> Page:
    """One page of `escalated_to_municipality`: counted and cut from the keys alone (for signals an index-only
    scan of intake's signal_at_top, however deep the page), then only the page's rows read with their names.
    At ten million signals a municipality may have tens of thousands at the top; the joins for the names
    would otherwise run for every row skipped before the page."""
    page = Paginator(_escalated(user, kind).values_list("pk", flat=True), per_page).get_page(number)
    keys = list(page.object_list) if page.paginator.count else []  # nothing at the top: no second statement
    chosen = escalated_to_municipality(user, kind).filter(pk__in=keys).order_by() if keys else []
    rows = {row["pk"]: row for row in chosen}
    page.object_list = [rows[key] for key in keys if key in rows]  # a row closed in between is left out
    return page


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
