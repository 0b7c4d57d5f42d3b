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
from tests.factories import address_in, signal_for, team, user
from tests.socialmap import factories as socialmap_factories
from waakvlam.attention.models import AttentionItem
from waakvlam.cases.models import AreaMeeting, CaseConference, Task
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.followup.kinds import FollowUpKind, registered_kinds
from waakvlam.followup.sweep import pending_items
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.models import Household
from waakvlam.households.services import AddressInput
from waakvlam.notify.models import Notification
from waakvlam.socialmap.referral_models import Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

AMS = ZoneInfo("Europe/Amsterdam")
# A Monday morning in the working week, far from holidays and clock changes.
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
TICK = timedelta(microseconds=1)

# Far from tests.factories.address_in's own counter, which numbers addresses on the same postcode.
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
            discharge_on=discharge, address=AddressInput("9901AB", 50_000 + next(_numbers)), resident_name="Piet Bos"
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


def _household(code: str, at: datetime) -> Household:
    hood = Neighbourhood.objects.get(code=code)
    return Household.objects.create(
        municipality=hood.municipality, address=address_in(hood), neighbourhood=hood, created_at=at
    )


def late_task(rng: random.Random, base: datetime) -> Model:
    """A task from a case conference or an area meeting, for woonstede (no coordinators: the fallback) or
    buurtwerk, with or without an owning person, open or settled, due around `base`."""
    due = base - timedelta(minutes=rng.randint(-2 * 24 * 60, 6 * 24 * 60))
    org, person = rng.choice([("woonstede", "signaleerder"), ("buurtwerk", "waakvlammer")])
    organisation = Organisation.objects.get(slug=org)
    convener = user("waakvlammer")
    created = due - timedelta(days=7)
    parent: dict[str, object]
    if rng.random() < 0.5:
        household = _household("BU99990100", created)
        parent = {
            "conference": CaseConference.objects.create(
                municipality_id=household.municipality_id,
                household=household,
                organisation=convener.organisation,
                convened_by=convener,
                question="Wie doet wat?",
                meets_on=created.date(),
                resident_takes_part=True,
                network_takes_part=True,
                created_at=created,
            )
        }
    else:
        parent = {
            "area_meeting": AreaMeeting.objects.create(
                municipality=organisation.municipality,
                neighbourhood=Neighbourhood.objects.get(code="BU99990300"),
                organisation=convener.organisation,
                convened_by=convener,
                topic="Overlast rond het plein",
                meets_on=created.date(),
                created_at=created,
            )
        }
    status = rng.choice(["open", "open", "open", "done", "dropped"])
    return Task.objects.create(
        municipality=organisation.municipality,
        title="Trapverlichting repareren",
        done_means="Lamp werkt",
        owner_organisation=organisation,
        owner_user=user(person) if rng.random() < 0.6 else None,
        due_on=(due - TICK).astimezone(AMS).date(),
        due_at=due,
        next_step_at=due,
        status=status,
        settled_at=None if status == "open" else due - timedelta(hours=2),
        settle_note="Niet meer nodig" if status == "dropped" else "",
        created_at=created,
        **parent,
    )


def late_attention_item(rng: random.Random, base: datetime) -> Model:
    """An attention item for one of the two stewarding teams, open or decided or lapsed, to decide around `base`."""
    decide_by = base - timedelta(minutes=rng.randint(-2 * 24 * 60, 6 * 24 * 60))
    raised = decide_by - timedelta(days=5)
    status = rng.choice(["open", "open", "open", "taken_up", "dismissed", "lapsed"])
    return AttentionItem.objects.create(
        municipality=Neighbourhood.objects.get(code="BU99990100").municipality,
        household=_household("BU99990100", raised),
        owner_team=team(rng.choice(["Waakvlam Centrum-Oost", "Waakvlam West"])),
        status=status,
        rule_names="nuisance_and_arrears",
        raised_at=raised,
        updated_at=raised,
        checked_on=raised.date(),
        decide_by=decide_by,
        take_up="outreach" if status == "taken_up" else "",
        decision_note="Geen zorgen" if status == "dismissed" else "",
    )


FACTORIES: dict[str, Callable[[random.Random, datetime], Model]] = {
    "signal_pickup": late_signal,
    "contact_overdue": late_plan,
    "handover_first_contact": late_handover,
    "referral_answer": late_referral,
    "case_task": late_task,
    "attention_decision": late_attention_item,
}


def first_late_moment(kind: FollowUpKind, item: Model) -> datetime:
    """The first whole hour since 1 January 2026 at which the item is late (its kind's `late`).

    Once late, an item stays late as time goes on, so the hour is found by doubling and then halving:
    a few dozen queries instead of one per hour of the year (stepping hour by hour took minutes on a
    loaded machine by late November)."""
    start = datetime.combine(date(2026, 1, 1), datetime.min.time(), tzinfo=AMS)

    def late_after(hours: int) -> bool:
        moment = start + timedelta(hours=hours)
        return kind.model._default_manager.filter(kind.late(moment), pk=item.pk).exists()

    if late_after(0):
        return start
    early, late = 0, 1
    while not late_after(late):
        early, late = late, late * 2
        assert late < 24 * 365 * 20, f"{kind.name} item {item.pk} is never late"
    while late - early > 1:
        middle = (early + late) // 2
        early, late = (early, middle) if late_after(middle) else (middle, late)
    return start + timedelta(hours=late)


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
