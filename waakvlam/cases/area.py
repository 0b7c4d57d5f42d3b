"""Area meetings (gebiedsoverleg): convened by a coordinator or the municipality about a neighbourhood, often
after a spike; no residents, no addresses, only the neighbourhood, the category and counts. Its tasks are
the same Task rows as a case's, settled the same way (tasks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from waakvlam.cases.errors import Conflict, InvalidInput, NotAllowed, TasksUnsettled
from waakvlam.cases.models import MAX_MINUTES, AreaMeeting, Spike
from waakvlam.cases.selectors import AREA_ROLES, area_meetings_managed_by
from waakvlam.cases.services import checked_text
from waakvlam.cases.workflow import SETTLED, MeetingStatus
from waakvlam.core.models import Neighbourhood, User
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record


@dataclass(frozen=True)
class AreaMeetingInput:
    neighbourhood: Neighbourhood | None
    topic: str
    meets_on: date | None
    spike: Spike | None = None


def _log(actor: Actor, action: str, meeting: AreaMeeting, context: str, now: datetime) -> None:
    # No subject: an area meeting is about a neighbourhood, never about a person.
    access_log_record(
        actor=actor, action=action, object_type="cases.areameeting", object_id=meeting.pk, context=context, now=now
    )


def area_meeting_convene(*, data: AreaMeetingInput, by: User, actor: Actor, now: datetime) -> AreaMeeting:
    if by.role not in AREA_ROLES or not by.organisation_id:
        raise NotAllowed
    errors: dict[str, str] = {}
    hood = data.neighbourhood
    if hood is None or hood.municipality_id != by.municipality_id:
        errors["neighbourhood"] = "Kies een buurt van je eigen gemeente."
    if data.meets_on is None:
        errors["meets_on"] = "Geef de datum van het overleg."
    if data.spike is not None and (hood is None or data.spike.neighbourhood_id != hood.pk):
        errors["spike"] = "Deze piek hoort bij een andere buurt."
    if errors:
        raise InvalidInput(errors)
    topic = checked_text("topic", data.topic, max_length=300)
    assert hood is not None and data.meets_on is not None
    with transaction.atomic():
        meeting = AreaMeeting.objects.create(
            municipality_id=hood.municipality_id,
            neighbourhood=hood,
            spike=data.spike,
            organisation_id=by.organisation_id,
            convened_by=by,
            topic=topic,
            meets_on=data.meets_on,
            created_at=now,
        )
        _log(actor, AccessAction.CREATE, meeting, "service:area_meeting_convene", now)
    return meeting


def area_minutes_save(*, meeting: AreaMeeting, text: str, by: User, actor: Actor, now: datetime) -> AreaMeeting:
    if not area_meetings_managed_by(by).filter(pk=meeting.pk).exists():
        raise NotAllowed
    meeting.minutes = checked_text("minutes", text, max_length=MAX_MINUTES, required=False)
    with transaction.atomic():
        meeting.save(update_fields=["minutes"])
        _log(actor, AccessAction.UPDATE, meeting, "service:area_minutes_save", now)
    return meeting


def area_meeting_close(*, meeting: AreaMeeting, by: User, actor: Actor, now: datetime) -> AreaMeeting:
    """Like a case: closes only when every task is done or dropped with a reason."""
    if not area_meetings_managed_by(by).filter(pk=meeting.pk).exists():
        raise NotAllowed
    with transaction.atomic():
        locked = AreaMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.CLOSED:
            raise Conflict("Dit overleg is al afgesloten.")
        unsettled = list(locked.tasks.exclude(status__in=SETTLED).values_list("title", flat=True))
        if unsettled:
            raise TasksUnsettled(unsettled)
        if not locked.tasks.exists() and not locked.minutes:
            raise InvalidInput({"minutes": "Leg kort vast wat is afgesproken voordat je het overleg afsluit."})
        locked.status = MeetingStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        _log(actor, AccessAction.UPDATE, locked, "service:area_meeting_close", now)
    return locked
