"""The deadline sweep: no open signal stays past its due time without an escalation recorded.

Each pass escalates every open signal that nobody picked up before its due time one step up the chain:

  level 0 → 1  the coordinators of the owning team's organisation; next due time +4 working hours
  level 1 → 2  the municipality (users with the role "municipality": non-personal metadata only); +1 working day
  level 2 → 3, 3 → 4, …  "still stuck": coordinators and municipality again; +1 working day

Every step writes one SignalEvent("escalated"), moves due_at past `now` and queues the notifications with
a dedupe key, all in the batch's transaction. So after any sweep no open, unpicked signal is past its due
time (ARCHITECTURE invariant 2), and a second sweep at the same `now` finds nothing: idempotent.
On PostgreSQL batches are taken with SELECT … FOR UPDATE SKIP LOCKED, so several workers share the work
and never escalate one signal twice; on SQLite each batch's transaction takes the write lock at BEGIN
(transaction_mode IMMEDIATE), which serialises workers just as well.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, QuerySet, Value, When
from django.urls import reverse
from django.utils import translation

from waakvlam.core.bulk import insert_rows
from waakvlam.core.models import Municipality, Neighbourhood, Team, User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Category, Signal, SignalEvent, Status, Urgency
from waakvlam.notify.services import NotificationMessage, notifications_enqueue_many
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.routing.deadlines import DEFAULT_CALENDAR

BATCH_SIZE = 5000
OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)
SYSTEM_LABEL = "systeem: termijnbewaking"
# The working time until the next step, by the level just reached.
NEXT_STEP_AFTER = {1: timedelta(hours=4), 2: DEFAULT_CALENDAR.working_day}
STILL_STUCK_EVERY = DEFAULT_CALENDAR.working_day
STEP_TEXT = {
    1: "coördinator ingeschakeld",
    2: "gemeente ingeschakeld",
}
STILL_STUCK_TEXT = "nog steeds niet opgepakt; coördinator en gemeente opnieuw ingeschakeld"


def stuck_signals(now: datetime) -> QuerySet[Signal]:
    """Open signals nobody picked up whose due time has passed: exactly what the next sweep escalates.

    After a sweep at `now` this set is empty; its size is the "stuck signals" figure."""
    return Signal.objects.filter(status__in=OPEN_STATUSES, picked_up_at__isnull=True, due_at__lt=now)


def next_due(level: int, now: datetime) -> datetime:
    return DEFAULT_CALENDAR.add(now, NEXT_STEP_AFTER.get(level, STILL_STUCK_EVERY))


class _Row(NamedTuple):
    pk: int
    municipality_id: int
    owner_team_id: int
    escalation_level: int
    due_at: datetime
    tracking_code: str
    category: str
    urgency: str
    neighbourhood_id: int | None


_ROW_FIELDS = _Row._fields


@dataclass
class _Context:
    """What a sweep looks up once instead of per signal: recipients, names, due times, links."""

    now: datetime
    due: dict[int, datetime] = field(default_factory=dict)
    due_texts: dict[int, str] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: DEFAULT_CALENDAR.zone)
    coordinators: dict[int, list[User]] = field(default_factory=dict)  # by team
    municipality_users: dict[int, list[User]] = field(default_factory=dict)  # by municipality
    teams: dict[int, Team] = field(default_factory=dict)
    hoods: dict[int, str] = field(default_factory=dict)
    stuck_link: str = ""

    def due_for(self, level: int) -> datetime:
        if level not in self.due:
            self.due[level] = next_due(level, self.now)
        return self.due[level]

    def due_text(self, level: int) -> str:
        if level not in self.due_texts:
            self.due_texts[level] = _local(self.due_for(level), self.zone)
        return self.due_texts[level]

    def load(self, rows: list[_Row]) -> None:
        team_ids = {r.owner_team_id for r in rows} - self.teams.keys()
        if team_ids:
            for team in Team.objects.filter(pk__in=team_ids).select_related("organisation"):
                self.teams[team.pk] = team
        hood_ids = {r.neighbourhood_id for r in rows if r.neighbourhood_id} - self.hoods.keys()
        if hood_ids:
            self.hoods.update(Neighbourhood.objects.filter(pk__in=hood_ids).values_list("pk", "name"))

    def coordinators_of(self, team_id: int) -> list[User]:
        """The coordinators of the owning team's organisation; the team itself when it has none."""
        if team_id not in self.coordinators:
            team = self.teams[team_id]
            people = list(
                User.objects.filter(organisation_id=team.organisation_id, role=Role.COORDINATOR, is_active=True)
            )
            if not people:
                people = list(team.members.filter(is_active=True))
            self.coordinators[team_id] = people
        return self.coordinators[team_id]

    def municipality_of(self, municipality_id: int, team_id: int) -> list[User]:
        if municipality_id not in self.municipality_users:
            self.municipality_users[municipality_id] = list(
                User.objects.filter(
                    organisation__municipality_id=municipality_id, role=Role.MUNICIPALITY, is_active=True
                )
            )
        return self.municipality_users[municipality_id] or self.coordinators_of(team_id)


_CATEGORY_LABELS: dict[str, str] = {}


def _category_label(code: str) -> str:
    if not _CATEGORY_LABELS:
        with translation.override("nl"):
            _CATEGORY_LABELS.update({str(value): str(label) for value, label in Category.choices})
    return _CATEGORY_LABELS.get(code, code)


def _local(moment: datetime, zone: ZoneInfo | None = None) -> str:
    return moment.astimezone(zone or DEFAULT_CALENDAR.zone).strftime("%d-%m-%Y %H:%M")


def _metadata(row: _Row, ctx: _Context, level: int) -> str:
    """The notification text: non-personal metadata only (never description, address or reporter)."""
    return (
        f"Volgcode: {row.tracking_code}\n"
        f"Soort: {_category_label(row.category)}\n"
        f"Buurt: {ctx.hoods.get(row.neighbourhood_id or 0, '-')}\n"
        f"Team: {ctx.teams[row.owner_team_id].name}\n"
        f"Had uiterlijk opgepakt moeten zijn: {_local(row.due_at, ctx.zone)}\n"
        f"Escalatieniveau: {level}; volgende stap als het niet is opgepakt: {ctx.due_text(level)}"
    )


KIND = "signal_escalated"


SUMMARY_AFTER = 3  # more escalations than this for one person in one batch become one summary


def _per_recipient(messages: list[NotificationMessage], now: datetime) -> list[NotificationMessage]:
    """One message per escalated signal, unless one person would get a flood of them in one pass (a team
    that fell far behind): then that person gets one summary listing the signals instead."""
    by_user: dict[int, list[NotificationMessage]] = defaultdict(list)
    users: dict[int, User] = {}
    for message in messages:
        for user in message.recipients:
            by_user[user.pk].append(message)
            users[user.pk] = user
    result: list[NotificationMessage] = []
    for user_pk, own in by_user.items():
        if len(own) <= SUMMARY_AFTER:
            result += [m._replace(recipients=[users[user_pk]]) for m in own]
            continue
        codes = [m.subject.split()[1] for m in own]
        listed = "\n".join(f"- {code}" for code in codes[:50])
        more = f"\n… en nog {len(codes) - 50}" if len(codes) > 50 else ""
        result.append(
            NotificationMessage(
                municipality_id=own[0].municipality_id,
                kind=KIND,
                subject=f"{len(own)} signalen niet op tijd opgepakt",
                body=f"Deze signalen zijn niet op tijd opgepakt en naar jou geëscaleerd:\n{listed}{more}",
                dedupe_key=f"escalate-summary:{user_pk}:{now.isoformat()}:{own[0].dedupe_key}",
                recipients=[users[user_pk]],
                urgent=any(m.urgent for m in own),
                link=own[0].link if all(m.link == own[0].link for m in own) else "",
            )
        )
    return result


def _escalate_batch(rows: list[_Row], ctx: _Context, counts: dict[str, int]) -> None:
    ctx.load(rows)
    now = ctx.now
    levels: set[int] = set()
    events: list[dict[str, object]] = []
    messages: list[NotificationMessage] = []
    with translation.override("nl"):
        detail_path = reverse("intake:signal_detail", kwargs={"pk": 0}).replace("/0/", "/{pk}/")
    for row in rows:
        level = row.escalation_level + 1
        levels.add(level)
        text = STEP_TEXT.get(level, STILL_STUCK_TEXT)
        events.append(
            {
                "signal_id": row.pk,
                "at": now,
                "kind": "escalated",
                "team_id": row.owner_team_id,
                "actor_label": SYSTEM_LABEL,
                "note": f"Niveau {level}: {text}.",
            }
        )
        subject = f"Signaal {row.tracking_code} niet op tijd opgepakt (niveau {level})"
        body = _metadata(row, ctx, level)
        key = f"escalate:{row.pk}:{level}:{row.due_at.isoformat()}"
        urgent = row.urgency == Urgency.HIGH
        if level == 1 or level >= 3:
            people = ctx.coordinators_of(row.owner_team_id)
            link = detail_path.format(pk=row.pk)
            messages.append(NotificationMessage(row.municipality_id, KIND, subject, body, key, people, urgent, link))
        if level >= 2:
            people = ctx.municipality_of(row.municipality_id, row.owner_team_id)
            messages.append(
                NotificationMessage(row.municipality_id, KIND, subject, body, key, people, urgent, ctx.stuck_link)
            )
        counts["to_coordinator" if level == 1 else "to_municipality" if level == 2 else "still_stuck"] += 1
    # One UPDATE for the batch: every row goes up one level, its next due time chosen by the level it had.
    # The rows are locked (PostgreSQL) or the database is (SQLite), so the level read is the level updated.
    next_due_by_old_level = Case(
        *(When(escalation_level=level - 1, then=Value(ctx.due_for(level))) for level in levels),
        output_field=DateTimeField(),
    )
    Signal.objects.filter(pk__in=[row.pk for row in rows]).update(
        escalation_level=F("escalation_level") + 1, due_at=next_due_by_old_level, updated_at=now
    )
    insert_rows(SignalEvent, events)
    counts["notifications"] += notifications_enqueue_many(_per_recipient(messages, now), now=now)
    counts["escalated"] += len(rows)


def _batches(now: datetime) -> QuerySet[Signal, tuple[Any, ...]]:
    """The query for the next batch: any stuck signals, in no particular order. Escalated rows leave the
    set (their due time moves past `now`), so repeating the query walks through all of them without a
    cursor, and without ORDER BY the database stops after BATCH_SIZE matches instead of sorting them all."""
    qs = stuck_signals(now).order_by()
    if connection.vendor == "postgresql":
        # Rows another worker holds are skipped, not waited for: that worker escalates them.
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.values_list(*_ROW_FIELDS)[:BATCH_SIZE]


def deadlines_sweep(now: datetime) -> dict[str, int]:
    """Escalate every open signal that was not picked up by its due time, one step; see the module doc."""
    counts = {"escalated": 0, "to_coordinator": 0, "to_municipality": 0, "still_stuck": 0, "notifications": 0}
    batch_query = _batches(now)
    ctx: _Context | None = None
    escalated_in: dict[int, int] = defaultdict(int)
    done: set[int] = set()
    while True:
        with transaction.atomic():
            rows = [_Row(*values) for values in batch_query.all()]
            if not rows:
                break
            if any(row.pk in done for row in rows):
                # Cannot happen while every escalation moves due_at past `now`; never loop forever if it does.
                raise RuntimeError("deadlines sweep: a signal came back after its escalation; stopping this pass")
            if ctx is None:
                with translation.override("nl"):
                    ctx = _Context(now=now, stuck_link=reverse("routing:stuck"))
            _escalate_batch(rows, ctx, counts)
            for row in rows:
                done.add(row.pk)
                escalated_in[row.municipality_id] += 1
    if escalated_in:
        codes = dict(Municipality.objects.filter(pk__in=escalated_in).values_list("pk", "code"))
        for municipality_id, n in escalated_in.items():
            # The sweep changes signals (owner chain, due time), so it is logged — once per municipality and
            # pass, with the count, as SECURITY.md asks of sweeps; the signals' histories hold the details.
            # Stamped with the real time, not `now`: a pass run "as if" another moment happened today.
            access_log_record(
                actor=Actor.system("deadlines_sweep"),
                action=AccessAction.UPDATE,
                object_type="intake.signal",
                municipality_code=codes.get(municipality_id, ""),
                context="sweep:deadlines",
                reason=f"{n} signalen geëscaleerd",
            )
    return counts


def signal_escalate(*, signal: Signal, now: datetime) -> bool:
    """Escalate one signal if it is stuck at `now` (what the sweep does for each); False when it is not."""
    with transaction.atomic():
        qs = stuck_signals(now).filter(pk=signal.pk)
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = [_Row(*values) for values in qs.values_list(*_ROW_FIELDS)]
        if not rows:
            return False
        counts: dict[str, int] = defaultdict(int)
        with translation.override("nl"):
            ctx = _Context(now=now, stuck_link=reverse("routing:stuck"))
        _escalate_batch(rows, ctx, counts)
        access_log_record(
            actor=Actor.system("deadlines_sweep"),
            action=AccessAction.UPDATE,
            object_type="intake.signal",
            object_id=signal.pk,
            context="sweep:deadlines",
            reason="1 signaal geëscaleerd",
        )
        return True
