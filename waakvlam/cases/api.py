"""Case conferences, tasks and area meetings over the API: `/case-conferences`, `/tasks`, `/area-meetings`.
Thin: a selector or a service call, domain errors mapped to HTTP once (`run`).

People only (the web session): an API key gets 403, as these hold case content no partner system needs.
404 unknown or not visible, 409 a closed case or a settled task, 422 bad input (one entry per field).
Every read of a case or task is written to the access log, naming the resident or household."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Answered
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from waakvlam.cases import selectors
from waakvlam.cases.area import AreaMeetingInput, area_meeting_convene
from waakvlam.cases.errors import CaseError, Conflict, InvalidInput, NotAllowed
from waakvlam.cases.models import AreaMeeting, CaseConference, Participant, Scope, Spike, Task
from waakvlam.cases.schemas import (
    MAX_ID,
    AgendaItemOut,
    AreaMeetingIn,
    AreaMeetingOut,
    CaseConferenceIn,
    CaseConferenceListItemOut,
    CaseConferenceOut,
    CaseConferencePageOut,
    DecisionIn,
    DecisionOut,
    DoneIn,
    DropIn,
    ErrorOut,
    FiguresOut,
    ParticipantIn,
    ParticipantOut,
    TaskIn,
    TaskOut,
    TaskPageOut,
)
from waakvlam.cases.services import (
    ConveneInput,
    InviteInput,
    conference_close,
    conference_convene,
    decision_record,
    participant_invite,
)
from waakvlam.cases.spike import spike_explanation
from waakvlam.cases.tasks import TaskInput, task_create, task_settle
from waakvlam.cases.workflow import TaskStatus
from waakvlam.core.models import Neighbourhood, Organisation, User
from waakvlam.core.permissions import get_visible_or_404
from waakvlam.core.roles import Role
from waakvlam.households.models import Household, Resident
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

router = Router(tags=["case conferences"])
M = TypeVar("M")
ERR: dict[int, Any] = dict.fromkeys((401, 403, 404, 409, 422), ErrorOut)


def _errors(*codes: int) -> dict[int, Any]:
    return {code: ERR[code] for code in codes}


def _person(request: HttpRequest) -> User:
    if getattr(request, "api_key", None) is not None:
        raise HttpError(403, "Case conferences and tasks are for people, not for API keys.")
    user = request.user
    if not isinstance(user, User):
        raise HttpError(401, "Credentials missing or invalid.")
    return user


def run(call: Callable[[], M]) -> M:
    try:
        return call()
    except InvalidInput as error:
        raise ValidationError(
            [{"loc": ["body", "payload", key], "msg": msg, "type": "value_error"} for key, msg in error.errors.items()]
        ) from None
    except NotAllowed:
        raise HttpError(404, "Not found.") from None
    except Conflict as error:
        raise HttpError(409, error.message) from None
    except CaseError as error:
        raise HttpError(422, error.message) from None


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise HttpError(404, "Not found.")
    return value


def task_out(task: Task, today: Any) -> TaskOut:
    return TaskOut(
        id=task.pk,
        case_conference_id=task.conference_id,
        area_meeting_id=task.area_meeting_id,
        title=task.title,
        done_means=task.done_means,
        owner_organisation=task.owner_organisation.slug,
        owner_user=task.owner_user.get_username() if task.owner_user else None,
        due_on=task.due_on,
        due_at=task.due_at,
        overdue=task.is_open and task.due_on < today,
        status=task.status,
        settled_at=task.settled_at,
        settle_note=task.settle_note,
        escalation_level=task.escalation_level,
        next_step_at=task.next_step_at,
        created_at=task.created_at,
    )


def _participant_out(p: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=p.pk,
        username=p.user.get_username(),
        organisation=p.organisation.slug,
        is_director=p.is_director,
        basis=p.basis,
        basis_note=p.basis_note,
        scopes=[s for s in Scope.values if p.sees(s)],
    )


def conference_out(conference: CaseConference, user: User) -> CaseConferenceOut:
    scopes = selectors.scopes_of(user, conference)
    today = timezone.localdate()
    tasks = conference.tasks.select_related("owner_organisation", "owner_user")
    return CaseConferenceOut(
        id=conference.pk,
        household_id=conference.household_id,
        address=str(conference.household.address),
        resident_id=conference.resident_id,
        organisation=conference.organisation.slug,
        convened_by=conference.convened_by.get_username(),
        question=conference.question,
        meets_on=conference.meets_on,
        resident_takes_part=conference.resident_takes_part,
        network_takes_part=conference.network_takes_part,
        without_resident_reason=conference.without_resident_reason,
        status=conference.status,
        minutes=conference.minutes,
        created_at=conference.created_at,
        closed_at=conference.closed_at,
        your_scopes=sorted(scopes),
        participants=[_participant_out(p) for p in conference.participants.select_related("user", "organisation")],
        decisions=[DecisionOut(id=d.pk, text=d.text, decided_at=d.decided_at) for d in conference.decisions.all()],
        tasks=[task_out(t, today) for t in tasks],
        agenda=[
            AgendaItemOut(category=a.category, received_on=a.received_on, source=a.source)
            for a in conference.agenda.all()
        ]
        if Scope.SIGNALS in scopes
        else None,
    )


def _visible(user: User) -> QuerySet[CaseConference]:
    return selectors.conferences_visible_to(user).select_related("household__address", "organisation", "convened_by")


def _fetch(
    request: HttpRequest, user: User, pk: int, context: str, qs: QuerySet[CaseConference] | None = None
) -> CaseConference:
    return get_visible_or_404(
        qs if qs is not None else _visible(user),
        _id(pk),
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.conference_subject,
    )


class ListQuery(Schema):
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)
    status: str | None = Field(None, pattern="^(open|closed|done|dropped)$")


@router.get(
    "/case-conferences",
    response={200: CaseConferencePageOut, **_errors(401, 403, 422)},
    summary="Case conferences you take part in",
)
def conference_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    user = _person(request)
    qs = _visible(user).order_by("-meets_on", "-pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    total, rows = qs.count(), list(qs[filters.offset : filters.offset + filters.limit])
    actor = Actor.from_request(request)
    for c in rows:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="cases.caseconference",
            object_id=c.pk,
            subject=selectors.conference_subject(c),
            context="api:case_conference_list",
        )
    items = [
        CaseConferenceListItemOut(
            id=c.pk,
            household_id=c.household_id,
            address=str(c.household.address),
            question=c.question,
            meets_on=c.meets_on,
            status=c.status,
        )
        for c in rows
    ]
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/case-conferences/figures",
    response={200: FiguresOut, **_errors(401, 403, 404)},
    summary="Counts and lead times, never content",
)
def conference_figures(request: HttpRequest) -> Any:
    user = _person(request)
    if user.role not in {Role.MUNICIPALITY, Role.COORDINATOR} or not user.organisation_id:
        raise HttpError(404, "Not found.")
    return selectors.case_figures(user.municipality_id).__dict__


@router.get(
    "/case-conferences/{conference_id}",
    response={200: CaseConferenceOut, **_errors(401, 403, 404)},
    summary="One case conference",
)
def conference_detail(request: HttpRequest, conference_id: int) -> CaseConferenceOut:
    user = _person(request)
    return conference_out(_fetch(request, user, conference_id, "api:case_conference_detail"), user)


@router.get(
    "/case-conferences/{conference_id}/agenda",
    response={200: list[AgendaItemOut], **_errors(401, 403, 404)},
    summary="The agenda (scope `signals`)",
)
def conference_agenda(request: HttpRequest, conference_id: int) -> list[AgendaItemOut]:
    user = _person(request)
    conference = _fetch(
        request,
        user,
        conference_id,
        "api:case_conference_agenda",
        selectors.conferences_with_scope(user, Scope.SIGNALS).select_related("household"),
    )
    return [
        AgendaItemOut(category=a.category, received_on=a.received_on, source=a.source) for a in conference.agenda.all()
    ]


@router.post(
    "/case-conferences",
    response={201: CaseConferenceOut, **_errors(401, 403, 404, 422)},
    summary="Convene a case conference",
)
def conference_create(request: HttpRequest, payload: CaseConferenceIn) -> Answered[CaseConferenceOut]:
    user = _person(request)
    household = Household.objects.filter(pk=payload.household_id).first()
    if household is None:
        raise HttpError(404, "Not found.")
    resident = Resident.objects.filter(pk=payload.resident_id).first() if payload.resident_id else None
    if payload.resident_id and resident is None:
        raise ValidationError(
            [
                {
                    "loc": ["body", "payload", "resident_id"],
                    "msg": "Deze bewoner woont niet in dit huishouden.",
                    "type": "value_error",
                }
            ]
        )
    data = ConveneInput(
        payload.question,
        payload.meets_on,
        payload.resident_takes_part,
        payload.network_takes_part,
        payload.without_resident_reason,
        resident,
    )
    conference = run(
        lambda: conference_convene(
            household=household,
            data=data,
            by=user,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context="api:case_conference_create",
        )
    )
    return Answered(201, conference_out(_visible(user).get(pk=conference.pk), user))


def _managed(user: User, pk: int) -> CaseConference:
    conference = selectors.conferences_managed_by(user).select_related("household").filter(pk=_id(pk)).first()
    if conference is None:
        raise HttpError(404, "Not found.")
    return conference


@router.post(
    "/case-conferences/{conference_id}/participants",
    response={201: ParticipantOut, **_errors(401, 403, 404, 409, 422)},
    summary="Invite a participant",
)
def conference_invite(request: HttpRequest, conference_id: int, payload: ParticipantIn) -> Answered[ParticipantOut]:
    user = _person(request)
    conference = _managed(user, conference_id)
    invitee = User.objects.filter(username=payload.username).first()
    if invitee is None:
        raise ValidationError(
            [{"loc": ["body", "payload", "username"], "msg": "Onbekende gebruiker.", "type": "value_error"}]
        )
    data = InviteInput(
        user=invitee, basis=payload.basis, basis_note=payload.basis_note, scopes=frozenset(payload.scopes)
    )
    participant = run(
        lambda: participant_invite(
            conference=conference,
            data=data,
            by=user,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context="api:case_conference_invite",
        )
    )
    return Answered(201, _participant_out(participant))


@router.post(
    "/case-conferences/{conference_id}/decisions",
    response={201: DecisionOut, **_errors(401, 403, 404, 409, 422)},
    summary="Record a decision",
)
def conference_decision(request: HttpRequest, conference_id: int, payload: DecisionIn) -> Answered[DecisionOut]:
    user = _person(request)
    conference = _managed(user, conference_id)
    d = run(
        lambda: decision_record(
            conference=conference, text=payload.text, by=user, actor=Actor.from_request(request), now=timezone.now()
        )
    )
    return Answered(201, DecisionOut(id=d.pk, text=d.text, decided_at=d.decided_at))


@router.post(
    "/case-conferences/{conference_id}/close",
    response={200: CaseConferenceOut, **_errors(401, 403, 404, 409)},
    summary="Close: only when every task is done or dropped",
)
def conference_close_api(request: HttpRequest, conference_id: int) -> CaseConferenceOut:
    user = _person(request)
    conference = _managed(user, conference_id)
    run(lambda: conference_close(conference=conference, by=user, actor=Actor.from_request(request), now=timezone.now()))
    return conference_out(_visible(user).get(pk=conference.pk), user)


# --- tasks ---------------------------------------------------------------------------------------------------------


class TaskQuery(ListQuery):
    mine: bool = Field(False, description="only the open tasks of your inbox")
    overdue: bool | None = None


def _tasks(user: User) -> QuerySet[Task]:
    return selectors.tasks_visible_to(user).select_related("owner_organisation", "owner_user", "conference__household")


@router.get("/tasks", response={200: TaskPageOut, **_errors(401, 403, 422)}, summary="Tasks visible to you")
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> dict[str, Any]:
    user = _person(request)
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


@router.get("/tasks/{task_id}", response={200: TaskOut, **_errors(401, 403, 404)}, summary="One task")
def task_detail(request: HttpRequest, task_id: int) -> TaskOut:
    user = _person(request)
    task = get_visible_or_404(
        _tasks(user),
        _id(task_id),
        actor=Actor.from_request(request),
        context="api:task_detail",
        subject_of=selectors.task_subject,
    )
    return task_out(task, timezone.localdate())


@router.post(
    "/tasks", response={201: TaskOut, **_errors(401, 403, 404, 409, 422)}, summary="Give a task to an organisation"
)
def task_create_api(request: HttpRequest, payload: TaskIn) -> Answered[TaskOut]:
    user = _person(request)
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
    conference = _managed(user, payload.case_conference_id) if payload.case_conference_id else None
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
    task = run(
        lambda: task_create(
            data=data,
            conference=conference,
            area_meeting=meeting,
            by=user,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context="api:task_create",
        )
    )
    return Answered(201, task_out(task, timezone.localdate()))


def _settle(request: HttpRequest, task_id: int, to: str, note: str) -> TaskOut:
    user = _person(request)
    task = selectors.tasks_actionable_by(user).filter(pk=_id(task_id)).first()
    if task is None:
        raise HttpError(404, "Not found.")
    settled = run(
        lambda: task_settle(
            task=task,
            to=to,
            note=note,
            by=user,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context=f"api:task_{to}",
        )
    )
    return task_out(_tasks(user).get(pk=settled.pk), timezone.localdate())


@router.post(
    "/tasks/{task_id}/done", response={200: TaskOut, **_errors(401, 403, 404, 409, 422)}, summary="Mark a task done"
)
def task_done(request: HttpRequest, task_id: int, payload: DoneIn) -> TaskOut:
    return _settle(request, task_id, TaskStatus.DONE, payload.note)


@router.post(
    "/tasks/{task_id}/drop",
    response={200: TaskOut, **_errors(401, 403, 404, 409, 422)},
    summary="Drop a task, with a reason",
)
def task_drop(request: HttpRequest, task_id: int, payload: DropIn) -> TaskOut:
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
    response={200: list[AreaMeetingOut], **_errors(401, 403)},
    summary="Area meetings (no personal data)",
)
def area_list(request: HttpRequest) -> list[AreaMeetingOut]:
    user = _person(request)
    return [
        area_out(m) for m in selectors.area_meetings_visible_to(user).select_related("neighbourhood", "spike")[:100]
    ]


@router.get(
    "/area-meetings/{meeting_id}", response={200: AreaMeetingOut, **_errors(401, 403, 404)}, summary="One area meeting"
)
def area_detail(request: HttpRequest, meeting_id: int) -> AreaMeetingOut:
    user = _person(request)
    visible = selectors.area_meetings_visible_to(user).select_related("neighbourhood", "spike")
    return area_out(
        get_visible_or_404(
            visible, _id(meeting_id), actor=Actor.from_request(request), context="api:area_meeting_detail"
        )
    )


@router.post(
    "/area-meetings", response={201: AreaMeetingOut, **_errors(401, 403, 404, 422)}, summary="Convene an area meeting"
)
def area_create(request: HttpRequest, payload: AreaMeetingIn) -> Answered[AreaMeetingOut]:
    user = _person(request)
    hood = Neighbourhood.objects.filter(code=payload.neighbourhood.upper()).first()
    spike = Spike.objects.filter(pk=payload.spike_id).first() if payload.spike_id else None
    data = AreaMeetingInput(hood, payload.topic, payload.meets_on, spike=spike)
    meeting = run(
        lambda: area_meeting_convene(data=data, by=user, actor=Actor.from_request(request), now=timezone.now())
    )
    return Answered(201, area_out(meeting))
