"""Case conferences, tasks and area meetings over the API: `/case-conferences`, `/tasks`, `/area-meetings`.
Thin: a selector or a service call, domain errors answered by their kind (core/errors.py).

Changes are made by people (the web session). A partner system's API key reads with scope `cases:read` the
outline of the cases its organisation takes part in (never the agenda or plans: sharing is agreed per person)
and with `tasks:read` the tasks it owns; any other key gets 403.
404 unknown or not visible, 409 a closed case or a settled task, 422 bad input (one entry per field).
Every read of a case or task is written to the access log, naming the resident or household."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answered
from ninja.errors import HttpError, ValidationError

from waakvlam.cases import selectors
from waakvlam.cases.api_common import (
    ListQuery,
    check_public_id,
    errors,
    managed_conference,
    person,
    reader,
    task_out,
)
from waakvlam.cases.models import CaseConference, Participant, Scope
from waakvlam.cases.schemas import (
    AgendaItemOut,
    CaseConferenceIn,
    CaseConferenceListItemOut,
    CaseConferenceOut,
    CaseConferencePageOut,
    DecisionIn,
    DecisionOut,
    FiguresOut,
    ParticipantIn,
    ParticipantOut,
)
from waakvlam.cases.services import (
    ConveneInput,
    InviteInput,
    conference_close,
    conference_convene,
    decision_record,
    household_visible_for_case,
    participant_invite,
)
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import Role
from waakvlam.households.models import Household, Resident
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_record

router = Router(tags=["case conferences"])


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


def conference_out(conference: CaseConference, caller: User | ApiKey) -> CaseConferenceOut:
    scopes = selectors.scopes_of(caller, conference) if isinstance(caller, User) else set()
    today = timezone.localdate()
    tasks = conference.tasks.select_related("owner_organisation", "owner_user")
    return CaseConferenceOut(
        id=conference.public_id,
        household_id=conference.household.public_id,
        address=str(conference.household.address),
        resident_id=conference.resident.public_id if conference.resident else None,
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


def _visible(caller: User | ApiKey) -> QuerySet[CaseConference]:
    if isinstance(caller, ApiKey):
        visible = selectors.conferences_visible_to_key(caller)
    else:
        visible = selectors.conferences_visible_to(caller)
    return visible.select_related("household__address", "resident", "organisation", "convened_by")


def _fetch(
    request: HttpRequest,
    user: User | ApiKey,
    public_id: str,
    context: str,
    qs: QuerySet[CaseConference] | None = None,
) -> CaseConference:
    return get_visible_or_404(
        qs if qs is not None else _visible(user),
        check_public_id(public_id),
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.conference_subject,
        lookup="public_id",
    )


@router.get(
    "/case-conferences",
    response={200: CaseConferencePageOut, **errors(401, 403, 422)},
    summary="Case conferences you take part in",
)
def conference_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    user = reader(request, scopes.CASES_READ)
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
            id=c.public_id,
            household_id=c.household.public_id,
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
    response={200: FiguresOut, **errors(401, 403, 404)},
    summary="Counts and lead times, never content",
)
def conference_figures(request: HttpRequest) -> Any:
    user = person(request)
    if user.role not in {Role.MUNICIPALITY, Role.COORDINATOR} or not user.organisation_id:
        raise HttpError(404, "Not found.")
    return selectors.case_figures(user.municipality_id).__dict__


@router.get(
    "/case-conferences/{conference_id}",
    response={200: CaseConferenceOut, **errors(401, 403, 404)},
    summary="One case conference",
)
def conference_detail(request: HttpRequest, conference_id: str) -> CaseConferenceOut:
    user = reader(request, scopes.CASES_READ)
    return conference_out(_fetch(request, user, conference_id, "api:case_conference_detail"), user)


@router.get(
    "/case-conferences/{conference_id}/agenda",
    response={200: list[AgendaItemOut], **errors(401, 403, 404)},
    summary="The agenda (scope `signals`)",
)
def conference_agenda(request: HttpRequest, conference_id: str) -> list[AgendaItemOut]:
    user = person(request)
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
    response={201: CaseConferenceOut, **errors(401, 403, 404, 422)},
    summary="Convene a case conference",
)
def conference_create(request: HttpRequest, payload: CaseConferenceIn) -> Answered[CaseConferenceOut]:
    user = person(request)
    # A household the caller may not see answers 404 like one that does not exist, before the resident is
    # looked at: otherwise the answer about the resident would tell whether the household exists.
    household = Household.objects.filter(public_id=payload.household_id).first()
    if household is None or not household_visible_for_case(user, household):
        raise HttpError(404, "Not found.")
    resident = (
        Resident.objects.filter(public_id=payload.resident_id, household=household).first()
        if payload.resident_id
        else None
    )
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
    conference = conference_convene(
        household=household,
        data=data,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:case_conference_create",
    )
    return Answered(201, conference_out(_visible(user).get(pk=conference.pk), user))


@router.post(
    "/case-conferences/{conference_id}/participants",
    response={201: ParticipantOut, **errors(401, 403, 404, 409, 422)},
    summary="Invite a participant",
)
def conference_invite(request: HttpRequest, conference_id: str, payload: ParticipantIn) -> Answered[ParticipantOut]:
    user = person(request)
    conference = managed_conference(user, conference_id)
    invitee = User.objects.filter(username=payload.username).first()
    if invitee is None:
        raise ValidationError(
            [{"loc": ["body", "payload", "username"], "msg": "Onbekende gebruiker.", "type": "value_error"}]
        )
    data = InviteInput(
        user=invitee, basis=payload.basis, basis_note=payload.basis_note, scopes=frozenset(payload.scopes)
    )
    participant = participant_invite(
        conference=conference,
        data=data,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:case_conference_invite",
    )
    return Answered(201, _participant_out(participant))


@router.post(
    "/case-conferences/{conference_id}/decisions",
    response={201: DecisionOut, **errors(401, 403, 404, 409, 422)},
    summary="Record a decision",
)
def conference_decision(request: HttpRequest, conference_id: str, payload: DecisionIn) -> Answered[DecisionOut]:
    user = person(request)
    conference = managed_conference(user, conference_id)
    d = decision_record(
        conference=conference, text=payload.text, by=user, actor=Actor.from_request(request), now=timezone.now()
    )
    return Answered(201, DecisionOut(id=d.pk, text=d.text, decided_at=d.decided_at))


@router.post(
    "/case-conferences/{conference_id}/close",
    response={200: CaseConferenceOut, **errors(401, 403, 404, 409)},
    summary="Close: only when every task is done or dropped",
)
def conference_close_api(request: HttpRequest, conference_id: str) -> CaseConferenceOut:
    user = person(request)
    conference = managed_conference(user, conference_id)
    conference_close(conference=conference, by=user, actor=Actor.from_request(request), now=timezone.now())
    return conference_out(_visible(user).get(pk=conference.pk), user)
