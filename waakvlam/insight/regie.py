"""Putting a stuck signal on an area meeting: the one regie action that needs both routing and cases.

Insight sits above both, so it joins them in one transaction: the signal's history says it went on the
meeting (routing/regie.py), and the meeting gets a task for the owning organisation (cases' own task_create,
which notifies the organisation's coordinators and is escalated by the follow-up clock if it runs late).
The task names the signal by its reference and category only, never its content.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from waakvlam.cases.models import AreaMeeting, Task
from waakvlam.cases.tasks import TaskInput, task_create
from waakvlam.cases.workflow import MeetingStatus
from waakvlam.intake.models import Signal
from waakvlam.privacy.services import Actor
from waakvlam.routing.errors import InvalidAction
from waakvlam.routing.regie import signal_regie_note_meeting


def open_meetings_for(signal: Signal, by_municipality_id: int) -> list[AreaMeeting]:
    """The open area meetings of the signal's municipality, its own neighbourhood's first."""
    meetings = AreaMeeting.objects.filter(municipality_id=by_municipality_id, status=MeetingStatus.OPEN).select_related(
        "neighbourhood"
    )
    return sorted(meetings, key=lambda m: (m.neighbourhood_id != signal.neighbourhood_id, m.meets_on, m.pk))


def stuck_signal_to_area_meeting(
    *, signal: Signal, meeting: AreaMeeting | None, due_on: date | None, by: object, now: datetime, actor: Actor
) -> Task:
    """Put a stuck signal on an open area meeting: a history entry on the signal and a task on the meeting
    for the organisation that owns the signal, due on `due_on`."""
    if meeting is None or meeting.municipality_id != signal.municipality_id or meeting.status != MeetingStatus.OPEN:
        raise InvalidAction({"meeting": "Kies een open gebiedsoverleg van je gemeente."})
    with transaction.atomic():
        event_text = f"Op gebiedsoverleg {meeting.pk} ({meeting.neighbourhood.name}, {meeting.meets_on:%d-%m-%Y})."
        signal_regie_note_meeting(signal=signal, by=by, meeting_text=event_text, now=now, actor=actor)  # type: ignore[arg-type]
        return task_create(
            data=TaskInput(
                title=f"Vastgelopen signaal {signal.tracking_code} ({signal.get_category_display()}) bespreken",
                done_means="Het signaal is opgepakt, of met een reden overgedragen aan wie het wel oppakt.",
                owner_organisation=signal.owner_team.organisation,
                due_on=due_on,
            ),
            by=by,  # type: ignore[arg-type]
            actor=actor,
            now=now,
            area_meeting=meeting,
            context="service:signal_on_area_meeting",
        )
