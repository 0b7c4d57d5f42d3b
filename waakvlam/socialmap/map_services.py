"""Keeping the map current: a keeper proposes a change to their own entry, the functional admin approves or
rejects it; only an approved change goes public. Each change is one transaction."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.socialmap import models as m
from waakvlam.socialmap.errors import Conflict, NotAllowed

EDITABLE = ("name", "description", "byday", "opens_at", "closes_at", "capacity", "alert")


def _plain(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list):
        return ",".join(value)
    return value


def service_change_propose(*, service: m.Service, by: User, changes: dict[str, Any], now: datetime) -> m.ServiceChange:
    """A keeper's change waits for moderation; an earlier pending one is replaced by it."""
    if by.role != Role.ACTIVITY_KEEPER or service.keeper_id != by.pk:
        raise NotAllowed()
    proposed = {k: _plain(v) for k, v in changes.items() if k in EDITABLE}
    with transaction.atomic():
        service.changes.filter(state=m.ServiceChange.State.PENDING).delete()
        return m.ServiceChange.objects.create(service=service, proposed=proposed, proposed_by=by, proposed_at=now)


def service_change_decide(
    *, change: m.ServiceChange, by: User, approve: bool, now: datetime, reason: str = ""
) -> m.ServiceChange:
    """The functional admin lets a change through (it is applied) or rejects it (with a reason)."""
    if by.role != Role.ADMIN:
        raise NotAllowed()
    with transaction.atomic():
        locked = m.ServiceChange.objects.select_for_update().select_related("service").get(pk=change.pk)
        if locked.state != m.ServiceChange.State.PENDING:
            raise Conflict(_("Over deze wijziging is al besloten."))
        locked.state = m.ServiceChange.State.APPROVED if approve else m.ServiceChange.State.REJECTED
        locked.decided_by, locked.decided_at, locked.reason = by, now, reason[:250]
        locked.save()
        if approve:
            _apply(locked.service, locked.proposed, now)
    return locked


def _apply(service: m.Service, proposed: dict[str, Any], now: datetime) -> None:
    for key in ("name", "description", "alert"):
        if key in proposed:
            setattr(service, key, proposed[key])
    if "capacity" in proposed:
        capacity = proposed["capacity"]
        service.capacity = None if capacity in (None, "") else max(int(capacity), service.places_taken)
    service.moderation = m.Moderation.PUBLISHED
    service.last_modified = now
    service.save()
    if {"byday", "opens_at", "closes_at"} & proposed.keys():
        schedule = service.schedules.order_by("pk").first() or m.Schedule(service=service, freq="WEEKLY")
        schedule.byday = proposed.get("byday", schedule.byday)
        for key in ("opens_at", "closes_at"):
            if proposed.get(key):
                setattr(schedule, key, time.fromisoformat(proposed[key]))
        schedule.save()


def pending_changes() -> Any:
    return m.ServiceChange.objects.filter(state=m.ServiceChange.State.PENDING).select_related("service", "proposed_by")
