"""Tasks for organisations, from a case conference or an area meeting: create, mark done, drop with a
reason. Every change is checked against workflow.ALLOWED_TASK_CHANGES. The due date is set once and never
moved; escalating an overdue task is the follow-up clock's work (escalation_level, next_step_at)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from waakvlam.cases.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.cases.models import AreaMeeting, CaseConference, Decision, Participant, Task
from waakvlam.cases.selectors import area_meetings_managed_by, conference_may_manage, task_subject, tasks_actionable_by
from waakvlam.cases.services import checked_text
from waakvlam.cases.workflow import MeetingStatus, TaskStatus, task_may_become
from waakvlam.core.i18n import dutch_path
from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import WORK_ROLES, Role
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
TASK_SUBJECT, TASK_BODY = register_kind(
    "task_new",
    gettext_noop("Nieuwe taak voor je organisatie"),
    gettext_noop("Taak: %(title)s. Klaar als: %(done)s. Uiterlijk %(due)s."),
)


@dataclass(frozen=True)
class TaskInput:
    title: str
    done_means: str
    owner_organisation: Organisation | None
    due_on: date | None
    owner_user: User | None = None
    decision: Decision | None = None


def end_of_day(day: date) -> datetime:
    """The moment a task due on `day` becomes overdue: midnight after it, in the installation's zone."""
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def task_link(task: Task) -> str:
    return dutch_path("cases:task_detail", pk=task.public_id)


def _owners_to_tell(task: Task) -> list[User]:
    if task.owner_user is not None:
        return [task.owner_user]
    org_users = User.objects.filter(organisation_id=task.owner_organisation_id, is_active=True)
    coordinators = list(org_users.filter(role=Role.COORDINATOR))
    if coordinators:
        return coordinators
    if task.conference_id:
        invited = Participant.objects.filter(conference_id=task.conference_id).values("user_id")
        return list(org_users.filter(pk__in=invited))
    return list(org_users.filter(role__in=WORK_ROLES))


def _check(data: TaskInput, *, municipality_id: int, conference: CaseConference | None, today: date) -> tuple[str, str]:
    errors: dict[str, str] = {}
    org = data.owner_organisation
    if org is None or org.municipality_id != municipality_id:
        errors["owner_organisation"] = "Kies de organisatie die de taak oppakt: een taak heeft altijd een eigenaar."
    elif conference is not None and not Participant.objects.filter(conference=conference, organisation=org).exists():
        errors["owner_organisation"] = "Alleen een organisatie die aan het overleg deelneemt kan een taak krijgen."
    owner = data.owner_user
    if owner is not None and (
        org is None or owner.organisation_id != org.pk or not owner.is_active or owner.role not in WORK_ROLES
    ):
        errors["owner_user"] = "Deze persoon werkt niet bij de gekozen organisatie."
    if data.due_on is None:
        errors["due_on"] = "Geef een datum waarop de taak klaar moet zijn."
    elif data.due_on < today:
        errors["due_on"] = "De datum ligt in het verleden."
    if data.decision is not None and (conference is None or data.decision.conference_id != conference.pk):
        errors["decision"] = "Dit besluit hoort niet bij dit overleg."
    if errors:
        raise InvalidInput(errors)
    return (
        checked_text("title", data.title, max_length=200),
        checked_text("done_means", data.done_means, max_length=300),
    )


def task_create(
    *,
    data: TaskInput,
    by: User,
    actor: Actor,
    now: datetime,
    conference: CaseConference | None = None,
    area_meeting: AreaMeeting | None = None,
    context: str = "",
) -> Task:
    """A decision becomes a task: an owning organisation (always), maybe a person, a due date, what "done"
    means. Only who runs the case or area meeting gives tasks."""
    if (conference is None) == (area_meeting is None):
        raise ValueError("A task belongs to exactly one case conference or area meeting.")
    if conference is not None:
        if not conference_may_manage(by, conference):
            raise NotAllowed
        parent: Any = CaseConference.objects.filter(pk=conference.pk)
        municipality_id = conference.municipality_id
    else:
        assert area_meeting is not None
        if not area_meetings_managed_by(by).filter(pk=area_meeting.pk).exists():
            raise NotAllowed
        parent = AreaMeeting.objects.filter(pk=area_meeting.pk)
        municipality_id = area_meeting.municipality_id
    title, done_means = _check(
        data, municipality_id=municipality_id, conference=conference, today=timezone.localdate(now)
    )
    assert data.owner_organisation is not None and data.due_on is not None
    due_at = end_of_day(data.due_on)
    with transaction.atomic():
        # Locking the parent row orders this against closing it: no task slips into a closed case.
        if parent.select_for_update().values_list("status", flat=True).first() != MeetingStatus.OPEN:
            raise Conflict("Dit overleg is afgesloten.")
        task = Task.objects.create(
            municipality_id=municipality_id,
            conference=conference,
            area_meeting=area_meeting,
            decision=data.decision,
            title=title,
            done_means=done_means,
            owner_organisation=data.owner_organisation,
            owner_user=data.owner_user,
            due_on=data.due_on,
            due_at=due_at,
            next_step_at=due_at,
            created_at=now,
            created_by=by,
        )
        access_log_record(
            actor=actor,
            action=AccessAction.CREATE,
            object_type="cases.task",
            object_id=task.pk,
            subject=task_subject(task),
            context=context or "service:task_create",
            now=now,
        )
        notification_enqueue(
            municipality_id=municipality_id,
            kind="task_new",
            subject=TASK_SUBJECT,
            body=TASK_BODY % {"title": title, "done": done_means, "due": f"{data.due_on:%d-%m-%Y}"},
            dedupe_key=f"cases.task:{task.pk}:new",
            recipients=_owners_to_tell(task),
            link=task_link(task),
            now=now,
            new_event=True,
        )
    return task


def task_settle(
    *, task: Task, to: str, note: str = "", by: User, actor: Actor, now: datetime, context: str = ""
) -> Task:
    """Mark a task done, or drop it with a reason. Only the owner, their organisation, or who runs the case
    or area meeting may; a settled task stays settled (see workflow.ALLOWED_TASK_CHANGES)."""
    if not tasks_actionable_by(by).filter(pk=task.pk).exists():
        raise NotAllowed
    if to == TaskStatus.DROPPED and not (note or "").strip():
        raise InvalidInput({"reason": "Geef een reden waarom deze taak vervalt."})
    text = checked_text("reason" if to == TaskStatus.DROPPED else "note", note, max_length=300, required=False)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if not task_may_become(locked.status, to):
            raise Conflict("Deze taak is al afgerond of vervallen.")
        locked.status = to
        locked.settled_at = now
        locked.settled_by = by
        locked.settle_note = text
        locked.next_step_at = None
        locked.save(update_fields=["status", "settled_at", "settled_by", "settle_note", "next_step_at"])
        access_log_record(
            actor=actor,
            action=AccessAction.UPDATE,
            object_type="cases.task",
            object_id=locked.pk,
            subject=task_subject(locked),
            context=context or f"service:task_{to}",
            now=now,
        )
    return locked
