"""Items of every registered kind, made late on purpose, and the invariant every sweep must leave behind.

A new kind adds its factory to FACTORIES: the invariant test fails for a registered kind without one."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model

from tests.contact.helpers import actor_of, plan_for
from tests.factories import signal_for, team, user
from tests.socialmap import factories as socialmap_factories
from waakvlam.core.models import Municipality, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.followup.kinds import FollowUpKind, registered_kinds
from waakvlam.followup.sweep import pending_items
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.services import AddressInput
from waakvlam.notify.models import Notification
from waakvlam.socialmap.referral_models import Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

AMS = ZoneInfo("Europe/Amsterdam")
# A Monday morning in the working week, far from holidays and clock changes.
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
TICK = timedelta(microseconds=1)

_numbers = iter(range(100, 10_000))


def late_signal(rng: random.Random, base: datetime) -> Model:
    due = base - timedelta(minutes=rng.randint(-2 * 24 * 60, 5 * 24 * 60))
    status = rng.choice(["received", "received", "assigned", "closed"])
    extra: dict[str, object] = {"status": status}
    if status == "assigned":
        extra["picked_up_at"] = due - timedelta(hours=1)
    if status == "closed":
        extra.update(outcome="no_concern", closed_at=due)
    name = rng.choice(["Waakvlam Centrum-Oost", "Waakvlam West", "Vroegsignalering"])
    return signal_for(team(name), received_at=due - timedelta(days=2), due_at=due, **extra)


def late_plan(rng: random.Random, base: datetime) -> Model:
    starts = base.date() - timedelta(days=rng.randint(0, 40))
    return plan_for(starts_on=starts, now=datetime.combine(starts, datetime.min.time(), tzinfo=AMS))


def late_handover(rng: random.Random, base: datetime) -> Model:
    discharge = base.date() - timedelta(days=rng.randint(0, 14))
    return handover_announce(
        data=HandoverInput(
            discharge_on=discharge, address=AddressInput("9901AB", next(_numbers)), resident_name="Piet Bos"
        ),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=datetime.combine(discharge, datetime.min.time(), tzinfo=AMS),
    )


def late_referral(rng: random.Random, base: datetime) -> Model:
    """A keeper's activity, so the ladder has a named owner; sent some days before `base`."""
    town = Municipality.objects.get(code="GM9999")
    keeper = User.objects.filter(username="buurtkamer").first() or User.objects.create(
        username="buurtkamer", role=Role.ACTIVITY_KEEPER, organisation=Organisation.objects.get(slug="buurtkamer")
    )
    activity = socialmap_factories.service(town, name=f"Koffieochtend {next(_numbers)}", keeper=keeper)
    plan = plan_for("waakvlammer")
    sent = base - timedelta(days=rng.randint(0, 10))
    return referral_send(
        sender=user("waakvlammer"),
        resident=plan.resident,
        service=activity,
        data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", consent_given=True),
        now=sent,
        actor=actor_of("waakvlammer"),
    )


FACTORIES: dict[str, Callable[[random.Random, datetime], Model]] = {
    "signal_pickup": late_signal,
    "contact_overdue": late_plan,
    "handover_first_contact": late_handover,
    "referral_answer": late_referral,
}


def first_late_moment(kind: FollowUpKind, item: Model) -> datetime:
    """The first moment at which the item is late (its kind's `late`), found by stepping through time."""
    moment = datetime.combine(date(2026, 1, 1), datetime.min.time(), tzinfo=AMS)
    while not kind.model._default_manager.filter(kind.late(moment), pk=item.pk).exists():
        moment += timedelta(hours=1)
    return moment


def escalations(kind: FollowUpKind, pk: int) -> int:
    rows = kind.history.model._default_manager.filter(**{kind.history.item_field: pk, "kind": kind.history.kind})
    return rows.count()


def heard(kind: FollowUpKind, pk: int, level: int) -> set[str]:
    prefix = f"{kind.dedupe_prefix or kind.name}:{pk}:{level}:"
    rows = Notification.objects.filter(
        kind=kind.notification_kind or kind.name, channel="in_app", dedupe_key__startswith=prefix
    )
    return set(rows.values_list("recipient__username", flat=True))


def levels(kind: FollowUpKind) -> dict[int, Any]:
    return dict(kind.model._default_manager.values_list("pk", kind.level))


def assert_invariant(now: datetime) -> None:
    """After a sweep at `now`, for every registered kind: nothing open is late without an escalation (the
    stuck set is empty, every late open item is at level ≥ 1 with its next step after `now`), each item's
    level is the number of escalation steps written, and nothing open is without an owner."""
    for kind in registered_kinds():
        manager = kind.model._default_manager
        assert pending_items(kind, now).count() == 0, kind.name
        late_open = manager.filter(kind.open & kind.late(now))
        for pk, level, next_step in late_open.values_list("pk", kind.level, kind.next_step):
            assert level >= 1 and next_step is not None and next_step > now, (kind.name, pk, level, next_step)
            assert escalations(kind, pk) == level, (kind.name, pk)
        assert not manager.filter(kind.open).filter(kind.ownerless()).exists(), kind.name
