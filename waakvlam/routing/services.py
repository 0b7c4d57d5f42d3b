"""Routing's use cases: give every new signal an owner and a due time, and let owners claim, transfer and
close signals. Each function that changes state is one transaction and takes `now`.

Picked up (the lead's definition): a person claimed the signal, so its status is assigned/in progress,
owner_user is set and picked_up_at is set. A transfer hands the signal to a new owner who has not picked it
up yet: status received, picked_up_at cleared, a fresh due time and a fresh escalation chain.
Escalation is the follow-up clock's (routing/followups.py declares the kind); rule management in routing/rule_services.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils.translation import gettext_noop

from waakvlam.core.cache import process_cached
from waakvlam.core.i18n import dutch
from waakvlam.core.models import ApiKey, Neighbourhood, Organisation, Team, User
from waakvlam.core.roles import CARE_ROLES, OrganisationKind
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.intake.announcement import local_time_text, signal_link
from waakvlam.intake.errors import NoTeamForSignal
from waakvlam.intake.lifecycle import PICKED_UP_STATUSES, Action, status_change
from waakvlam.intake.models import Outcome, Signal, SignalEvent, Status, Urgency
from waakvlam.intake.selectors import signal_subject
from waakvlam.intake.tracking import tracking_moment_notify
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.routing import rules as perms
from waakvlam.routing.errors import (
    InvalidAction,
    NotAllowed,
    ScopeMissing,
    SignalAlreadyClaimed,
    SignalAlreadyClosed,
)
from waakvlam.routing.models import RoutingRule
from waakvlam.routing.rule_services import routing_rules_seed_demo

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
TRANSFERRED_SUBJECT, TRANSFERRED_CATEGORY, TRANSFERRED_HOOD, TRANSFERRED_TEAM, TRANSFERRED_DUE = register_kind(
    "signal_transferred",
    gettext_noop("Signaal %(code)s aan je overgedragen"),
    gettext_noop("Soort: %(category)s"),
    gettext_noop("Buurt: %(hood)s"),
    gettext_noop("Team: %(team)s"),
    gettext_noop("Uiterlijk opgepakt: %(due)s"),
)

__all__ = [
    "RoutingTable",
    "routing_rules_seed_demo",
    "signal_claim",
    "signal_close",
    "signal_route",
    "signal_transfer",
]


# --- routing a new signal -------------------------------------------------------------------------------


@dataclass
class RoutingTable:
    """The active rules of one municipality, loaded once; routes any number of signals without more queries
    (a bulk import builds one table and calls `route` per row)."""

    municipality_id: int
    rules: list[RoutingRule]
    team_members: dict[int, set[int]] = field(default_factory=dict)
    _district_of: dict[int, int] = field(default_factory=dict)
    _org_kind: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, municipality_id: int) -> RoutingTable:
        rules = list(
            RoutingRule.objects.filter(municipality_id=municipality_id, active=True)
            .select_related("target_team", "target_user")
            .order_by("is_fallback", "position", "pk")
        )
        members: dict[int, set[int]] = {}
        wanted = {r.target_team_id for r in rules if r.target_user_id}
        if wanted:
            through = User.teams.through.objects.filter(team_id__in=wanted, user__is_active=True)
            for team_id, user_id in through.values_list("team_id", "user_id"):
                members.setdefault(team_id, set()).add(user_id)
        return cls(municipality_id=municipality_id, rules=rules, team_members=members)

    def _district(self, neighbourhood_id: int | None) -> int | None:
        if neighbourhood_id is None:
            return None
        if not self._district_of:
            self._district_of = dict(
                Neighbourhood.objects.filter(municipality_id=self.municipality_id).values_list("pk", "district_id")
            )
        if neighbourhood_id not in self._district_of:
            hood = Neighbourhood.objects.filter(pk=neighbourhood_id).values_list("district_id", flat=True).first()
            self._district_of[neighbourhood_id] = hood or 0
        return self._district_of[neighbourhood_id] or None

    def _district_of_signal(self, signal: Signal) -> int | None:
        # Intake hands over the signal with its neighbourhood object loaded: no query needed then.
        if signal.neighbourhood_id and Signal.neighbourhood.is_cached(signal):  # type: ignore[attr-defined]
            return signal.neighbourhood.district_id  # type: ignore[union-attr]
        return self._district(signal.neighbourhood_id)

    def _source_kind(self, organisation_id: int | None) -> str:
        if organisation_id is None:
            return ""
        if organisation_id not in self._org_kind:
            kind = Organisation.objects.filter(pk=organisation_id).values_list("kind", flat=True).first()
            self._org_kind[organisation_id] = kind or ""
        return self._org_kind[organisation_id]

    def match(self, signal: Signal) -> RoutingRule | None:
        """The first active rule whose criteria all hold for `signal`; the fallback matches everything."""
        for rule in self.rules:
            if rule.category and rule.category != signal.category:
                continue
            if rule.urgency and rule.urgency != signal.urgency:
                continue
            if rule.neighbourhood_id and rule.neighbourhood_id != signal.neighbourhood_id:
                continue
            if rule.district_id and rule.district_id != self._district_of_signal(signal):
                continue
            if rule.source_organisation_kind and rule.source_organisation_kind != self._source_kind(
                signal.reporter_organisation_id
            ):
                continue
            return rule
        return None

    def route(self, signal: Signal, now: datetime) -> RoutingRule | None:
        """Set owner_team, owner_user and due_at from the matching rule; None when no rule matched."""
        rule = self.match(signal)
        if rule is None:
            return None
        signal.owner_team = rule.target_team
        user_ok = rule.target_user_id and rule.target_user_id in self.team_members.get(rule.target_team_id, set())
        signal.owner_user = rule.target_user if user_ok else None
        signal.due_at = DEFAULT_CALENDAR.add(now, rule.response_time)
        return rule


def _route_without_rules(signal: Signal, now: datetime) -> None:
    """The first version, kept for a municipality without any rule: a social-work team serving the
    neighbourhood, else any team; due in 2 days, or 4 hours when urgent."""
    teams = Team.objects.filter(municipality_id=signal.municipality_id)
    serving = teams.filter(organisation__kind=OrganisationKind.SOCIAL_WORK)
    if signal.neighbourhood_id:
        serving = serving.filter(neighbourhoods=signal.neighbourhood_id)
    team = serving.order_by("pk").first() or teams.order_by("pk").first()
    if team is None:
        raise NoTeamForSignal(f"Municipality {signal.municipality_id} has no team to route signals to.")
    signal.owner_team = team
    signal.owner_user = None
    signal.due_at = now + (timedelta(hours=4) if signal.urgency == Urgency.HIGH else timedelta(days=2))


def signal_route(*, signal: Signal, now: datetime) -> None:
    """Set owner_team, owner_user and due_at on `signal` (saved or not); never leaves it without an owner.

    Uses this process's cached table (core/cache.py): a rule change elsewhere counts within seconds."""
    table = process_cached(("table", signal.municipality_id), lambda: RoutingTable.load(signal.municipality_id))
    if table.route(signal, now) is None:
        _route_without_rules(signal, now)


def response_time_for(signal: Signal) -> timedelta:
    """The working time the rules give this signal to be picked up (used again after a transfer)."""
    rule = RoutingTable.load(signal.municipality_id).match(signal)
    if rule is not None:
        return rule.response_time
    return timedelta(hours=4) if signal.urgency == Urgency.HIGH else DEFAULT_CALENDAR.working_day * 2


# --- acting on a signal ---------------------------------------------------------------------------------

Caller = User | ApiKey


def actor_for(by: Caller) -> Actor:
    """The access-log identity of a caller when no request is at hand (views pass Actor.from_request)."""
    if isinstance(by, ApiKey):
        return Actor(organisation=by.organisation.slug, api_key_prefix=by.prefix, role="api")
    return Actor(
        user_id=by.pk,
        username=by.get_username(),
        role=by.role,
        organisation=by.organisation.slug if by.organisation_id and by.organisation else "",
    )


def _lock(signal: Signal) -> Signal:
    """Re-read the signal inside the transaction, locked on PostgreSQL, so two clicks never both win."""
    qs = Signal.objects.select_related("owner_team__organisation", "municipality")
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=signal.pk)
    except Signal.DoesNotExist:
        raise NotAllowed from None


def _check_may_act(by: Caller, signal: Signal) -> None:
    if isinstance(by, ApiKey):
        if not perms.api_key_may_read(by, signal):
            raise NotAllowed
        if not perms.api_key_may_write(by, signal):
            raise ScopeMissing
        return
    if not perms.user_may_act(by, signal):
        raise NotAllowed


def _record(
    *, signal: Signal, kind: str, by: Caller, now: datetime, actor: Actor | None, context: str, note: str = ""
) -> SignalEvent:
    """The history entry and the one access-log entry every action writes."""
    who = actor or actor_for(by)
    event = SignalEvent.objects.create(
        signal=signal,
        at=now,
        kind=kind,
        actor=by if isinstance(by, User) else None,
        actor_label=who.username or f"api:{who.api_key_prefix}",
        team=signal.owner_team,
        note=note[:500],
    )
    access_log_record(
        actor=who,
        action=AccessAction.UPDATE,
        object_type="intake.signal",
        object_id=signal.pk,
        subject=signal_subject(signal),
        municipality_code=signal.municipality.code,
        context=context or f"service:signal_{kind}",
        reason=kind,
        now=now,
    )
    return event


def _tracking(signal: Signal, moment: str, now: datetime) -> None:
    tracking_moment_notify(signal=signal, moment=moment, now=now)


@transaction.atomic
def signal_claim(*, signal: Signal, by: User, now: datetime, actor: Actor | None = None, context: str = "") -> Signal:
    """`by` takes the signal: it is now picked up, and the reporter hears so through the tracking code."""
    locked = _lock(signal)
    _check_may_act(by, locked)
    if locked.status == Status.CLOSED:
        raise SignalAlreadyClosed
    if locked.status in PICKED_UP_STATUSES or locked.picked_up_at is not None:
        mine = locked.owner_user_id == by.pk
        raise SignalAlreadyClaimed("Je hebt dit signaal al opgepakt." if mine else SignalAlreadyClaimed.message)
    status_change(locked, action=Action.CLAIM, to=Status.ASSIGNED)
    locked.owner_user = by
    locked.picked_up_at = now
    locked.updated_at = now
    locked.save(update_fields=["status", "owner_user", "picked_up_at", "updated_at"])
    _record(signal=locked, kind="claimed", by=by, now=now, actor=actor, context=context)
    _tracking(locked, "picked_up", now)
    return locked


def _transfer_target(signal: Signal, team: Team | None, user: User | None) -> tuple[Team, User | None]:
    if (team is None) == (user is None):
        raise InvalidAction({"team": "Kies een team óf een persoon om het signaal aan over te dragen."})
    if team is not None:
        if team.municipality_id != signal.municipality_id:
            raise InvalidAction({"team": "Dit team bestaat niet in deze gemeente."})
        return team, None
    assert user is not None
    teams = list(user.teams.filter(municipality_id=signal.municipality_id).order_by("name", "pk"))
    if not user.is_active or user.role not in CARE_ROLES or not teams:
        raise InvalidAction({"user": "Deze persoon kan geen signalen in deze gemeente aannemen."})
    own_team = next((t for t in teams if t.pk == signal.owner_team_id), teams[0])
    return own_team, user


@transaction.atomic
def signal_transfer(
    *,
    signal: Signal,
    by: Caller,
    reason: str,
    now: datetime,
    to_team: Team | None = None,
    to_user: User | None = None,
    actor: Actor | None = None,
    context: str = "",
) -> Signal:
    """Hand the signal to another team or person, with a reason. The new owner gets a fresh response time
    (from the rules) and has to pick it up; the escalation chain starts again for them."""
    locked = _lock(signal)
    _check_may_act(by, locked)
    return transfer_locked(
        locked, by=by, reason=reason, now=now, to_team=to_team, to_user=to_user, actor=actor, context=context
    )


def transfer_locked(
    locked: Signal,
    *,
    by: Caller,
    reason: str,
    now: datetime,
    to_team: Team | None,
    to_user: User | None,
    actor: Actor | None,
    context: str,
    kind: str = "transferred",
) -> Signal:
    """The one transfer, on a signal `_lock`ed in the caller's transaction after the caller checked who may:
    the owners (signal_transfer) or the municipality's regie at the top of the ladder (routing/regie.py)."""
    if locked.status == Status.CLOSED:
        raise SignalAlreadyClosed
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAction({"reason": "Geef een reden voor de overdracht."})
    team, user = _transfer_target(locked, to_team, to_user)
    if team.pk == locked.owner_team_id and (user.pk if user else None) == locked.owner_user_id:
        raise InvalidAction({"team" if user is None else "user": "Het signaal ligt hier al."})
    locked.owner_team = team
    locked.owner_user = user
    status_change(locked, action=Action.TRANSFER, to=Status.RECEIVED)
    locked.picked_up_at = None
    locked.escalation_level = 0
    locked.next_step_at = None  # a new owner, a new due time: the follow-up clock starts over
    locked.due_at = DEFAULT_CALENDAR.add(now, response_time_for(locked))
    locked.updated_at = now
    locked.save(
        update_fields=[
            "owner_team",
            "owner_user",
            "status",
            "picked_up_at",
            "escalation_level",
            "next_step_at",
            "due_at",
            "updated_at",
        ]
    )
    event = _record(signal=locked, kind=kind, by=by, now=now, actor=actor, context=context, note=reason)
    recipients = [user] if user else list(team.members.filter(is_active=True, role__in=CARE_ROLES))
    notification_enqueue(
        municipality_id=locked.municipality_id,
        kind="signal_transferred",
        subject=TRANSFERRED_SUBJECT % {"code": locked.tracking_code},
        body="\n".join(
            (
                TRANSFERRED_CATEGORY % {"category": dutch(locked.get_category_display)},
                TRANSFERRED_HOOD % {"hood": locked.neighbourhood.name if locked.neighbourhood else "-"},
                TRANSFERRED_TEAM % {"team": team.name},
                TRANSFERRED_DUE % {"due": local_time_text(locked.due_at)},
            )
        ),
        dedupe_key=f"transfer:{locked.pk}:{event.pk}",
        now=now,
        recipients=recipients,
        urgent=locked.urgency == Urgency.HIGH,
        link=signal_link(locked),
    )
    return locked


@transaction.atomic
def signal_close(
    *,
    signal: Signal,
    by: Caller,
    outcome: str,
    now: datetime,
    note: str = "",
    actor: Actor | None = None,
    context: str = "",
    action: Action = Action.CLOSE,
) -> Signal:
    """Close with one of INTERFACE.md's outcomes; the reporter hears it is closed (never the outcome).
    `action`: MERGE when households/duplicates.py closes a duplicate (intake/lifecycle.py)."""
    locked = _lock(signal)
    _check_may_act(by, locked)
    if locked.status == Status.CLOSED:
        raise SignalAlreadyClosed
    if outcome not in Outcome.values:
        raise InvalidAction({"outcome": "Kies een uitkomst."})
    status_change(locked, action=action, to=Status.CLOSED)
    locked.outcome = outcome
    locked.closed_at = now
    locked.updated_at = now
    locked.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    label = dutch(Outcome(outcome).label)
    text = f"{label}. {note.strip()}" if note.strip() else label
    _record(signal=locked, kind="closed", by=by, now=now, actor=actor, context=context, note=text)
    _tracking(locked, "closed", now)
    return locked
