"""The informal network over the API: `/supporter-links` (list, create) and a supporter's one-step report
(`/supporter-links/{id}/reports`). People only: an API key gets 403. A supporter sees their own links with
the resident's first name only; a steward or coordinator the links of the residents they keep contact with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja import Status as Answered
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core.api_common import person_of
from waakvlam.core.models import User
from waakvlam.core.public_ids import public_id_or_404
from waakvlam.core.roles import Role
from waakvlam.households.services import resident_subject
from waakvlam.network.models import SupporterLink
from waakvlam.network.selectors import first_name, links_managed_by, links_of_supporter, supporters_for
from waakvlam.network.services import LinkInput, supporter_link_create, visit_report
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

router = Router(tags=["informal network"])


class ErrorOut(Schema):
    detail: str | list[dict[str, object]]


class SupporterLinkOut(Schema):
    id: UUID = Field(..., description="The link's public id (random; integer ids are not used)")
    resident_id: UUID = Field(..., description="The resident's public id")
    first_name: str
    kind: str
    what_to_know: str
    supporter: str
    consent_note: str | None = Field(None, description="Only for the steward who keeps the contact")
    valid_until: date | None


class SupporterLinkIn(Schema):
    resident_id: UUID = Field(..., description="The resident's public id")
    supporter: str = Field(..., max_length=150, description="username of an informal supporter")
    kind: str = Field(..., max_length=12)
    consent_note: str = Field(..., max_length=200)
    what_to_know: str = Field("", max_length=300)
    valid_until: date | None = None


class ReportIn(Schema):
    outcome: str = Field(..., pattern="^(fine|worried)$")
    note: str = Field("", max_length=300)


class ReportOut(Schema):
    id: int
    outcome: str
    at: datetime
    signal_created: bool


ERR: dict[int, Any] = dict.fromkeys((401, 403, 404, 422), ErrorOut)


def _person(request: HttpRequest) -> User:
    return person_of(request, "The informal network is for people, not for API keys.")


def _out(link: SupporterLink, *, keeper: bool) -> SupporterLinkOut:
    return SupporterLinkOut(
        id=link.public_id,
        resident_id=link.resident.public_id,
        first_name=first_name(link),
        kind=link.kind,
        what_to_know=link.what_to_know,
        supporter=link.supporter.get_username(),
        consent_note=link.consent_note if keeper else None,
        valid_until=link.valid_until,
    )


@router.get("/supporter-links", response={200: list[SupporterLinkOut], **ERR}, summary="Links of the informal network")
def link_list(request: HttpRequest) -> list[SupporterLinkOut]:
    user = _person(request)
    keeper = user.role != Role.INFORMAL_SUPPORTER
    links = links_managed_by(user) if keeper else links_of_supporter(user)
    rows = list(links.select_related("resident", "supporter").order_by("pk")[:200])
    actor = Actor.from_request(request)
    for link in rows:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="network.supporterlink",
            object_id=link.pk,
            subject=resident_subject(link.resident_id),
            context="api:supporter_link_list",
        )
    return [_out(link, keeper=keeper) for link in rows]


@router.post("/supporter-links", response={201: SupporterLinkOut, **ERR}, summary="Link a supporter, with consent")
def link_create(request: HttpRequest, payload: SupporterLinkIn) -> Answered[SupporterLinkOut]:
    user = _person(request)
    resident = residents_writable_by(user).filter(public_id=payload.resident_id).first()
    if resident is None:
        raise HttpError(404, "Not found.")
    supporter = supporters_for(resident.municipality_id).filter(username=payload.supporter).first()
    if supporter is None:
        raise ValidationError([{"loc": ["body", "payload", "supporter"], "msg": "Onbekend.", "type": "value_error"}])
    data = LinkInput(supporter, payload.kind, payload.consent_note, payload.what_to_know, None, payload.valid_until)
    link = supporter_link_create(
        resident=resident, data=data, by=user, actor=Actor.from_request(request), now=timezone.now()
    )
    return Answered(201, _out(link, keeper=True))


@router.post(
    "/supporter-links/{link_id}/reports", response={201: ReportOut, **ERR}, summary="Visited, all fine / I am worried"
)
def report_create(request: HttpRequest, link_id: str, payload: ReportIn) -> Answered[ReportOut]:
    user = _person(request)
    public_id = public_id_or_404(link_id)
    link = links_of_supporter(user).select_related("resident__household__address").filter(public_id=public_id).first()
    if link is None:
        raise HttpError(404, "Not found.")
    report = visit_report(
        link=link,
        outcome=payload.outcome,
        note=payload.note,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
    )
    return Answered(
        201, ReportOut(id=report.pk, outcome=report.outcome, at=report.at, signal_created=report.signal_id is not None)
    )
