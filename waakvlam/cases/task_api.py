"""Tasks (`/tasks`) and area meetings (`/area-meetings`) over the API; see api.py for the conventions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answered
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from waakvlam.cases import selectors
from waakvlam.cases.api_common import (
    ListQuery,
    check_id,
    check_public_id,
    errors,
    managed_conference,
    person,
    reader,
    task_out,
)
from waakvlam.cases.area import AreaMeetingInput, area_meeting_convene
from waakvlam.cases.models import AreaMeeting, Spike, Task
from waakvlam.cases.schemas import (
    AreaMeetingIn,
    AreaMeetingOut,
    DoneIn,
    DropIn,
    TaskIn,
    TaskOut,
    TaskPageOut,
)
from waakvlam.cases.spike import spike_explanation
from waakvlam.cases.tasks import TaskInput, task_create, task_settle
from waakvlam.cases.workflow import TaskStatus
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, Neighbourhood, Organisation, User
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_record

router = Router(tags=["tasks and area meetings"])


# --- tasks ---------------------------------------------------------------------------------------------------------


class TaskQuery(ListQuery):
    mine: bool = Field(False, description="only the open tasks of your inbox")
    overdue: bool | None = None


def _tasks(caller: User | ApiKey) -> QuerySet[Task]:
    visible = (
        selectors.tasks_visible_to_key(caller) if isinstance(caller, ApiKey) else selectors.tasks_visible_to(caller)
    )
    return visible.select_related("owner_organisation", "owner_user", "conference__household")


@router.get("/tasks", response={200: TaskPageOut, **errors(401, 403, 422)}, summary="Tasks visible to you")
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> dict[str, Any]:
    user = reader(request, scopes.TASKS_READ)
    if isinstance(user, ApiKey):  # a system's inbox: the open tasks its organisation owns
        qs = _tasks(user).filter(status=TaskStatus.OPEN) if filters.mine else _tasks(user)
    else:
        qs = selectors.tasks_for_inbox(user) if filters.mine else _tasks(user)
    qs = qs.select_related("owner_organisation", "owner_user", "conference__household").order_by("due_on", "pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue is not None:
        late = qs.filter(status=TaskStatus.OPEN, due_at__lt=timezone.now())
        qs = late if filters.overdue else qs.exclude(pk__in=late.values("pk"))
    total, rows = qs.count(), list(qs[filters.offset : filters.offset + filters.limit])
    actor = Actor.from_request(request)
    for t in rows:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="cases.task",
            object_id=t.pk,
            subject=selectors.task_subject(t),
            context="api:task_list",
        )
    today = timezone.localdate()
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [task_out(t, today) for t in rows],
    }


@router.get("/tasks/{task_id}", response={200: TaskOut, **errors(401, 403, 404)}, summary="One task")
def task_detail(request: HttpRequest, task_id: str) -> TaskOut:
    user = reader(request, scopes.TASKS_READ)
    task = get_visible_or_404(
        _tasks(user),
        check_public_id(task_id),
        actor=Actor.from_request(request),
        context="api:task_detail",
        subject_of=selectors.task_subject,
        lookup="public_id",
    )
    return task_out(task, timezone.localdate())


@router.post(
    "/tasks", response={201: TaskOut, **errors(401, 403, 404, 409, 422)}, summary="Give a task to an organisation"
)
def task_create_api(request: HttpRequest, payload: TaskIn) -> Answered[TaskOut]:
    user = person(request)
    if (payload.case_conference_id is None) == (payload.area_meeting_id is None):
        raise ValidationError(
            [
                {
                    "loc": ["body", "payload", "case_conference_id"],
                    "msg": "Geef precies één van case_conference_id en area_meeting_id.",
                    "type": "value_error",
                }
            ]
        )
    conference = managed_conference(user, payload.case_conference_id) if payload.case_conference_id else None
    meeting = None
    if payload.area_meeting_id:
        meeting = selectors.area_meetings_managed_by(user).filter(pk=payload.area_meeting_id).first()
        if meeting is None:
            raise HttpError(404, "Not found.")
    org = Organisation.objects.filter(slug=payload.owner_organisation, municipality_id=user.municipality_id).first()
    owner = User.objects.filter(username=payload.owner_user).first() if payload.owner_user else None
    if payload.owner_user and owner is None:
        raise ValidationError(
            [{"loc": ["body", "payload", "owner_user"], "msg": "Onbekende gebruiker.", "type": "value_error"}]
        )
    data = TaskInput(payload.title, payload.done_means, org, payload.due_on, owner_user=owner)
    task = task_create(
        data=data,
        conference=conference,
        area_meeting=meeting,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:task_create",
    )
    return Answered(201, task_out(task, timezone.localdate()))


def _settle(request: HttpRequest, task_id: str, to: str, note: str) -> TaskOut:
    user = person(request)
    task = selectors.tasks_actionable_by(user).filter(public_id=check_public_id(task_id)).first()
    if task is None:
        raise HttpError(404, "Not found.")
    settled = task_settle(
        task=task,
        to=to,
        note=note,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context=f"api:task_{to}",
    )
    return task_out(_tasks(user).get(pk=settled.pk), timezone.localdate())


@router.post(
    "/tasks/{task_id}/done", response={200: TaskOut, **errors(401, 403, 404, 409, 422)}, summary="Mark a task done"
)
def task_done(request: HttpRequest, task_id: str, payload: DoneIn) -> TaskOut:
    return _settle(request, task_id, TaskStatus.DONE, payload.note)


@router.post(
    "/tasks/{task_id}/drop",
    response={200: TaskOut, **errors(401, 403, 404, 409, 422)},
    summary="Drop a task, with a reason",
)
def task_drop(request: HttpRequest, task_id: str, payload: DropIn) -> TaskOut:
    return _settle(request, task_id, TaskStatus.DROPPED, payload.reason)


# --- area meetings -------------------------------------------------------------------------------------------------


def area_out(meeting: AreaMeeting) -> AreaMeetingOut:
    today = timezone.localdate()
    return AreaMeetingOut(
        id=meeting.pk,
        neighbourhood=meeting.neighbourhood.code,
        topic=meeting.topic,
        meets_on=meeting.meets_on,
        status=meeting.status,
        spike_explanation=spike_explanation(meeting.spike, meeting.neighbourhood.name) if meeting.spike else "",
        minutes=meeting.minutes,
        tasks=[task_out(t, today) for t in meeting.tasks.select_related("owner_organisation", "owner_user")],
    )


@router.get(
    "/area-meetings",
    response={200: list[AreaMeetingOut], **errors(401, 403)},
    summary="Area meetings (no personal data)",
)
def area_list(request: HttpRequest) -> list[AreaMeetingOut]:
    user = person(request)
    return [
        area_out(m) for m in selectors.area_meetings_visible_to(user).select_related("neighbourhood", "spike")[:100]
    ]


@router.get(
    "/area-meetings/{meeting_id}", response={200: AreaMeetingOut, **errors(401, 403, 404)}, summary="One area meeting"
)
def area_detail(request: HttpRequest, meeting_id: int) -> AreaMeetingOut:
    user = person(request)
    visible = selectors.area_meetings_visible_to(user).select_related("neighbourhood", "spike")
    return area_out(
        get_visible_or_404(
            visible, check_id(meeting_id), actor=Actor.from_request(request), context="api:area_meeting_detail"
        )
    )


@router.post(
    "/area-meetings", response={201: AreaMeetingOut, **errors(401, 403, 404, 422)}, summary="Convene an area meeting"
)
def area_create(request: HttpRequest, payload: AreaMeetingIn) -> Answered[AreaMeetingOut]:
    user = person(request)
    hood = Neighbourhood.objects.filter(code=payload.neighbourhood.upper()).first()
    spike = Spike.objects.filter(pk=payload.spike_id).first() if payload.spike_id else None
    data = AreaMeetingInput(hood, payload.topic, payload.meets_on, spike=spike)
    meeting = area_meeting_convene(data=data, by=user, actor=Actor.from_request(request), now=timezone.now())
    return Answered(201, area_out(meeting))
