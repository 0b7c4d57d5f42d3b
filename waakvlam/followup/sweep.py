"""The one follow-up sweep: every registered kind, one step up its ladder for each item whose step has come.

For each kind, in batches of BATCH_SIZE, each batch one transaction:
- select the items that are open, late, and whose next step has come (`FollowUpKind.pending`), taken with
  SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL so several workers share the work and never escalate an
  item twice (on SQLite each transaction takes the write lock at BEGIN, which serialises workers as well);
- one UPDATE for the batch: the level goes up by one and the next step is set in working time from `now`
  by the level reached; the original due time is never touched ("late stays late");
- one history row per item, the notifications through the outbox in one statement (a person who would
  get more than SUMMARY_AFTER in one batch gets one summary instead), each with a dedupe key per item,
  level and due time, so a replayed step never notifies twice.
Then one access-log entry per kind and municipality with the count. After a pass at `now` the pending
set of every kind is empty (ARCHITECTURE invariant 2), and a second pass at the same `now` finds nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, QuerySet, Value, When
from django.urls import reverse

from waakvlam.core.bulk import insert_rows
from waakvlam.core.i18n import in_dutch
from waakvlam.core.models import Municipality, User
from waakvlam.followup.kinds import MUNICIPALITY, Context, FollowUpKind, Message, Step, get_kind, registered_kinds
from waakvlam.followup.recipients import Recipients, names
from waakvlam.notify.services import NotificationMessage, notifications_enqueue_many
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

logger = logging.getLogger("waakvlam.followup")

BATCH_SIZE = 5000
SUMMARY_AFTER = 3  # more escalations than this for one person in one batch become one summary


def _paths(kind: FollowUpKind) -> list[str]:
    wanted = ["pk", kind.municipality, kind.level, kind.due, *kind.owner.paths(), *kind.fields]
    if kind.link_field not in wanted:
        wanted.append(kind.link_field)
    return list(dict.fromkeys(wanted))


def _row(kind: FollowUpKind, paths: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(paths, values, strict=True))
    row["municipality"] = row[kind.municipality]
    row["level"] = row[kind.level]
    row["due"] = row[kind.due]
    return row


def pending_items(kind: FollowUpKind, now: datetime) -> QuerySet[Any]:
    """Open, late, next step due: what the next sweep escalates; empty after a sweep at `now`."""
    return kind.model._default_manager.filter(kind.pending(now))


class _Pass:
    """What one pass of one kind looks up once: recipients, names, next-step times, links."""

    def __init__(self, kind: FollowUpKind, now: datetime) -> None:
        self.kind = kind
        self.now = now
        self.recipients = Recipients(kind)
        self.next_step: dict[int, datetime] = {}
        self.context = Context(now, self.next_step_for, names)
        with in_dutch():
            self.stuck_link = reverse("followup:stuck")
            placeholder = "0" if kind.link_field == "pk" else str(uuid.UUID(int=0))
            self.item_link = (
                reverse(kind.link_name, kwargs={"pk": placeholder}).replace(f"/{placeholder}/", "/{pk}/")
                if kind.link_name
                else ""
            )
        self.counts: dict[str, int] = dict.fromkeys([*kind.count_names, "notifications"], 0)
        self.per_municipality: dict[int, int] = defaultdict(int)

    def next_step_for(self, level: int) -> datetime:
        if level not in self.next_step:
            self.next_step[level] = self.kind.calendar.add(self.now, self.kind.ladder.step(level).next_after)
        return self.next_step[level]

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def link_for(self, audience: object, pk: object) -> str:
        if audience == MUNICIPALITY:
            return self.stuck_link  # the municipality sees metadata only, on its own page
        return self.item_link.format(pk=pk) if self.item_link else ""


def _escalate_batch(rows: list[dict[str, Any]], run: _Pass) -> None:
    kind, now = run.kind, run.now
    steps: dict[int, Step] = {}
    for row in rows:
        level = row["level"] + 1
        steps[level] = kind.ladder.step(level)
    run.recipients.prefetch_people(rows, steps.values())
    for what, path in kind.prefetch:
        run.context.prefetch(what, {row[path] for row in rows if row.get(path)})
    events: list[dict[str, Any]] = []
    heard_items: list[tuple[_Heard, list[User]]] = []
    prefix = kind.dedupe_prefix or kind.name
    for row in rows:
        level = row["level"] + 1
        step = steps[level]
        events.append(
            {
                kind.history.item_field: row["pk"],
                "at": now,
                "kind": kind.history.kind,
                "actor_label": kind.history.actor_label,
                "note": f"Niveau {level}: {step.note}."[: kind.history.max_note],
                **kind.history.columns(row),
            }
        )
        key = f"{prefix}:{row['pk']}:{level}:{kind.chain(row)}"
        heard = run.recipients.for_step(step, row)
        if not heard:
            run.count("unnotified")
            logger.warning("follow-up %s %s: nobody to notify at level %s", kind.name, row["pk"], level)
        for audience, people in heard:
            heard_items.append((_Heard(row, level, key, run.link_for(audience, row[kind.link_field])), people))
        run.count("escalated")
        if step.count_as:
            run.count(step.count_as)
        for name in kind.counts(row):
            run.count(name)
        run.per_municipality[row["municipality"]] += 1
    # One UPDATE for the batch: one level up, the next step chosen by the level reached. The rows are locked
    # (PostgreSQL) or the database is (SQLite), so the level read is the level updated.
    next_step_by_old_level = Case(
        *(When(**{kind.level: level - 1}, then=Value(run.next_step_for(level))) for level in steps),
        output_field=DateTimeField(),
    )
    kind.model._default_manager.filter(pk__in=[row["pk"] for row in rows]).update(
        **{kind.level: F(kind.level) + 1, kind.next_step: next_step_by_old_level, **kind.on_escalate(now)}
    )
    insert_rows(kind.history.model, events)
    run.count("notifications", notifications_enqueue_many(_per_recipient(heard_items, run), now=now))


class _Heard(NamedTuple):
    """One escalated item as one audience hears it: its message is built only if it is sent on its own."""

    row: dict[str, Any]
    level: int
    dedupe_key: str
    link: str


def _per_recipient(heard: list[tuple[_Heard, list[User]]], run: _Pass) -> list[NotificationMessage]:
    """One message per escalated item, unless one person would get a flood of them in one batch (a team
    that fell far behind): then that person gets one summary listing the items instead. An item's own
    message (kind.message) is built only when someone gets it on its own: when a team fell far behind,
    nearly every item ends up in a summary, which lists refs only."""
    by_user: dict[int, list[_Heard]] = defaultdict(list)
    users: dict[int, User] = {}
    for item, people in heard:
        for user in people:
            by_user[user.pk].append(item)
            users[user.pk] = user
    kind = run.kind
    notification_kind = kind.notification_kind or kind.name
    built: dict[tuple[int, int], Message] = {}

    def message_of(item: _Heard) -> Message:
        key = (item.row["pk"], item.level)
        if key not in built:
            built[key] = kind.message(item.row, item.level, run.context)
        return built[key]

    def urgent(item: _Heard) -> bool:
        return kind.urgent(item.row) if kind.urgent is not None else message_of(item).urgent

    result: list[NotificationMessage] = []
    for user_pk, own in by_user.items():
        if len(own) <= SUMMARY_AFTER:
            for item in own:
                message = message_of(item)
                result.append(
                    NotificationMessage(
                        item.row["municipality"],
                        notification_kind,
                        message.subject,
                        message.body,
                        item.dedupe_key,
                        [users[user_pk]],
                        message.urgent,
                        item.link,
                    )
                )
            continue
        refs = [kind.ref(item.row, run.context) for item in own]
        listed = "\n".join(f"- {ref}" for ref in refs[:50])
        more = f"\n… en nog {len(refs) - 50}" if len(refs) > 50 else ""
        first = own[0]
        result.append(
            NotificationMessage(
                municipality_id=first.row["municipality"],
                kind=notification_kind,
                subject=kind.summary_subject.format(n=len(own)),
                body=f"{kind.summary_intro}\n{listed}{more}",
                dedupe_key=f"{kind.dedupe_prefix or kind.name}-summary:{user_pk}:{run.now.isoformat()}:{first.dedupe_key}",
                recipients=[users[user_pk]],
                urgent=any(urgent(item) for item in own),
                link=first.link if all(item.link == first.link for item in own) else "",
            )
        )
    return result


def _batch(kind: FollowUpKind, now: datetime, paths: list[str], after: int) -> QuerySet[Any, tuple[Any, ...]]:
    """The next batch: pending items after primary key `after`, in key order. The key is the cursor: an
    escalated item stays late (its due time does not move), so without one each batch would read past all
    the items escalated before it again; walking the primary key reads each row once."""
    qs = pending_items(kind, now).filter(pk__gt=after).order_by("pk")
    if connection.vendor == "postgresql":
        # Rows another worker holds are skipped, not waited for: that worker escalates them.
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.values_list(*paths)[:BATCH_SIZE]


def _log(run: _Pass, object_id: int | None = None) -> None:
    kind = run.kind
    codes = dict(Municipality.objects.filter(pk__in=run.per_municipality).values_list("pk", "code"))
    for municipality_id, n in run.per_municipality.items():
        # The sweep changes the items (level, next step), so it is logged — once per kind, municipality and
        # pass, with the count, as SECURITY.md asks of sweeps; the items' histories hold the details.
        # Stamped with the real time, not `now`: a pass run "as if" another moment happened today.
        access_log_record(
            actor=Actor.system(kind.log_actor or f"{kind.name}_sweep"),
            action=AccessAction.UPDATE,
            object_type=kind.object_type,
            object_id=object_id,
            municipality_code=codes.get(municipality_id, ""),
            context=kind.log_context or f"sweep:{kind.name}",
            reason=f"{n} {kind.label} geëscaleerd",
        )


def sweep_kind(kind: FollowUpKind | str, now: datetime) -> dict[str, int]:
    """One pass of one kind; its counts ("escalated", the steps' counts, the kind's own, "notifications")."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    paths = _paths(kind)
    run = _Pass(kind, now)
    after = 0
    while True:
        with transaction.atomic():
            rows = [_row(kind, paths, values) for values in _batch(kind, now, paths, after)]
            if not rows:
                break
            _escalate_batch(rows, run)
            after = rows[-1]["pk"]
    if run.per_municipality:
        _log(run)
    return run.counts


def followup_sweep(now: datetime) -> dict[str, int]:
    """The worker's sweep: every registered kind, counts as "<kind>.<count>". A kind that fails is logged
    and retried on the next pass; the others still run."""
    result: dict[str, int] = {}
    for kind in registered_kinds():
        try:
            counts = sweep_kind(kind, now)
        except Exception:
            logger.exception("follow-up kind %s failed; it will be retried on the next pass", kind.name)
            counts = {"failed": 1}
        result.update({f"{kind.name}.{name}": n for name, n in counts.items()})
    return result


def followup_escalate_item(kind: FollowUpKind | str, *, pk: int, now: datetime) -> bool:
    """Escalate one item if its step has come at `now` (what the sweep does for each); False when not."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    paths = _paths(kind)
    with transaction.atomic():
        qs = pending_items(kind, now).filter(pk=pk)
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = [_row(kind, paths, values) for values in qs.values_list(*paths)]
        if not rows:
            return False
        run = _Pass(kind, now)
        _escalate_batch(rows, run)
        _log(run, object_id=pk)
        return True
