"""A steward leaves: nothing drastic by one click. The coordinator first sees what will change (which
residents go to whom, which stay, where a back-up lapses), confirms that exact preview with a signed token,
and may undo the move for `UNDO_MINUTES` afterwards. `plans_hand_to_backup` (services.py) does the move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.db.models import Q

from waakvlam.contact.errors import NotAllowed
from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.contact.services import HandToBackupResult, _event, log_plan
from waakvlam.core.models import Team, User
from waakvlam.core.people import person_name
from waakvlam.core.roles import Role
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor

UNDO_MINUTES = 10
CONFIRM_MINUTES = 30
_CONFIRM_SALT = "waakvlam.contact.departure.confirm"
_UNDO_SALT = "waakvlam.contact.departure.undo"

State = tuple[int, int, int | None, int | None]  # plan, steward, backup, team


class DepartureChanged(Exception):
    """The preview that was confirmed no longer matches the plans: show a fresh preview instead."""


@dataclass(frozen=True)
class DepartureRow:
    plan: ContactPlan
    change: str  # "moves", "backup_lapses" or "stays"
    to: User | None = None


def departure_preview(*, steward: User, fallback: User | None, by: User) -> list[DepartureRow]:
    """What `plans_hand_to_backup` would do, without doing it: the same rules, read only."""
    if not (by.role == Role.COORDINATOR and by.organisation_id and by.organisation_id == steward.organisation_id):
        raise NotAllowed
    plans = (
        ContactPlan.objects.filter(Q(steward=steward) | Q(backup=steward), status=PlanStatus.ACTIVE)
        .select_related("resident__household__address", "backup", "steward")
        .order_by("pk")
    )
    rows = []
    for plan in plans:
        if plan.backup_id == steward.pk:
            rows.append(DepartureRow(plan, "backup_lapses"))
        elif plan.backup is not None or fallback is not None:
            rows.append(DepartureRow(plan, "moves", plan.backup or fallback))
        else:
            rows.append(DepartureRow(plan, "stays"))
    return rows


def departure_preview_log(rows: list[DepartureRow], *, actor: Actor, now: datetime) -> None:
    """The preview names residents: each one shown is a read."""
    with transaction.atomic():
        for row in rows:
            log_plan(actor=actor, action=AccessAction.VIEW, plan=row.plan, context="ui:hand_to_backup_preview", now=now)


def _fingerprint(steward: User, fallback: User | None, by: User, rows: list[DepartureRow]) -> dict[str, object]:
    return {
        "s": steward.pk,
        "f": fallback.pk if fallback else None,
        "b": by.pk,
        "p": [[r.plan.pk, r.change, r.to.pk if r.to else None] for r in rows],
    }


def departure_confirmation(*, steward: User, fallback: User | None, by: User, rows: list[DepartureRow]) -> str:
    """A signed token for exactly this preview; confirming needs it, so no POST moves plans unseen."""
    return signing.dumps(_fingerprint(steward, fallback, by, rows), salt=_CONFIRM_SALT, compress=True)


def departure_confirmed(
    token: str, *, steward: User, fallback: User | None, by: User, rows: list[DepartureRow]
) -> bool:
    """True when the token confirms this very preview (and is fresh); raises DepartureChanged when it
    confirmed another one (plans changed since), False when there is no valid token at all."""
    if not token:
        return False
    try:
        seen = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MINUTES * 60)
    except signing.BadSignature:
        return False
    if seen != _fingerprint(steward, fallback, by, rows):
        raise DepartureChanged
    return True


def departure_undo_token(result: HandToBackupResult, *, by: User, now: datetime) -> str:
    return signing.dumps(
        {"b": by.pk, "before": result.before, "after": result.after, "at": now.timestamp()},
        salt=_UNDO_SALT,
        compress=True,
    )


def departure_undo_load(token: str, *, by: User, now: datetime) -> tuple[list[State], list[State]] | None:
    """The move an undo token describes, while it is the same coordinator's and younger than UNDO_MINUTES."""
    try:
        data = signing.loads(token, salt=_UNDO_SALT)
    except signing.BadSignature:
        return None
    if data.get("b") != by.pk or now.timestamp() - float(data.get("at", 0)) > UNDO_MINUTES * 60:
        return None
    return [tuple(s) for s in data["before"]], [tuple(s) for s in data["after"]]  # type: ignore[misc]


@dataclass
class UndoResult:
    restored: list[int]
    skipped: list[int]  # changed again since the move: left as they are


@transaction.atomic
def departure_undo(
    *, before: list[State], after: list[State], by: User, actor: Actor, now: datetime, context: str
) -> UndoResult:
    """Put each plan back as it was, but only where nobody changed it since the move."""
    if by.role != Role.COORDINATOR or not by.organisation_id:
        raise NotAllowed
    was = {state[0]: state for state in before}
    expected = {state[0]: state for state in after}
    plans = ContactPlan.objects.select_for_update(of=("self",)).filter(
        pk__in=list(was), organisation_id=by.organisation_id
    )
    people = {u.pk: u for u in User.objects.filter(pk__in={s[1] for s in before} | {s[2] for s in before if s[2]})}
    teams = {t.pk: t for t in Team.objects.filter(pk__in={s[3] for s in before if s[3]})}
    result = UndoResult([], [])
    for plan in plans.order_by("pk"):
        now_state = (plan.pk, plan.steward_id, plan.backup_id, plan.team_id)
        _, steward_id, backup_id, team_id = was[plan.pk]
        if plan.status != PlanStatus.ACTIVE or now_state != expected.get(plan.pk) or steward_id not in people:
            result.skipped.append(plan.pk)
            continue
        plan.steward = people[steward_id]
        plan.backup = people.get(backup_id) if backup_id else None
        plan.team = teams.get(team_id) if team_id else None
        plan.updated_at = now
        plan.save(update_fields=["steward", "backup", "team", "updated_at"])
        name = person_name(plan.steward)
        _event(plan, "handover_undone", by=by, now=now, note=f"Terug naar {name}.")
        log_plan(
            actor=actor, action=AccessAction.UPDATE, plan=plan, context=context, now=now, reason="ongedaan gemaakt"
        )
        result.restored.append(plan.pk)
    return result
