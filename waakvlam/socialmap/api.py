"""Referrals and provisions over the API (INTERFACE.md: `/api/v1/referrals`, `/api/v1/provisions`).

A steward sends a referral from a web session; the receiving organisation answers from a session or with
an API key (scopes `referrals:read`, `referrals:write`); a keeper answers from a session. What the
receiving side gets is what the resident agreed to share. Every referral shown is logged, naming the
resident; anything not visible answers 404."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Answered
from ninja.errors import HttpError
from pydantic import Field

from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core import scopes
from waakvlam.core.api_common import ERRORS, api_key_of
from waakvlam.core.models import ApiKey, User
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.services import Actor
from waakvlam.socialmap import models as m
from waakvlam.socialmap import referral_selectors as rs
from waakvlam.socialmap.referral_models import Referral, ReferralStatus, Shared
from waakvlam.socialmap.referral_services import (
    ReferralInput,
    may_answer,
    may_answer_by_key,
    referral_send,
    referral_transition,
)
from waakvlam.socialmap.search import schedule_text
from waakvlam.socialmap.selectors import public_services

router = Router(tags=["referrals"])
MAX_ID = 2**53


def _errors(*codes: int) -> dict[int, Any]:
    return {code: ERRORS[code] for code in codes}


class ReferralOut(Schema):
    id: uuid.UUID = Field(description="The referral's public id")
    service_id: uuid.UUID
    service: str
    collective: bool
    status: ReferralStatus
    shared: Shared
    name: str = Field(description="The name as the resident agreed to share it.")
    phone: str | None
    note: str | None
    resident_id: uuid.UUID | None = Field(description="The resident's public id; only for the sending side.")
    warm_introduction: bool
    decline_reason: str
    owner_keeper: str | None
    owner_organisation: str | None
    answer_due_at: datetime
    answered_at: datetime | None
    escalation_level: int
    created_at: datetime
    signal_id: int | None = Field(description="Only for the sending side.")
    history: list[dict[str, Any]]


class ReferralPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReferralOut]


class ReferralIn(Schema):
    service_id: uuid.UUID
    resident_id: uuid.UUID = Field(..., description="The resident's public id")
    shared: Shared
    shared_name: str = Field(..., min_length=1, max_length=200)
    shared_phone: str = Field("", max_length=40)
    shared_note: str = Field("", max_length=300)
    consent: bool = Field(..., description="The resident agreed to share this; must be true.")
    warm_introduction: bool = False
    signal_id: int | None = Field(None, ge=1, le=MAX_ID, description="The signal this answers, if you may see it.")


class AnswerIn(Schema):
    status: Literal["accepted", "declined", "connected", "no_show", "ended"]
    reason: str = Field("", max_length=300)


class ListQuery(Schema):
    status: ReferralStatus | None = None
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)


def _caller(request: HttpRequest) -> tuple[User | None, ApiKey | None]:
    key = api_key_of(request)
    if key is not None:
        return None, key
    user = request.user
    return (user if isinstance(user, User) else None), None


def _visible(request: HttpRequest) -> QuerySet[Referral]:
    user, key = _caller(request)
    if key is not None:
        return rs.referrals_visible_to_api_key(key)
    return rs.referrals_visible_to(user) if user else Referral.objects.none()


def _out(referral: Referral, whole: bool) -> dict[str, Any]:
    return {
        "id": referral.public_id,
        "service_id": referral.service_id,
        "service": referral.service.name,
        "collective": referral.collective,
        "status": referral.status,
        "shared": referral.shared,
        "name": referral.shared_name or "",
        "phone": referral.shared_phone,
        "note": referral.shared_note,
        "resident_id": referral.resident.public_id if whole else None,
        "signal_id": referral.signal_id if whole else None,
        "warm_introduction": referral.warm_introduction,
        "decline_reason": referral.decline_reason,
        "owner_keeper": referral.owner_keeper.username if referral.owner_keeper else None,
        "owner_organisation": referral.owner_organisation.slug if referral.owner_organisation else None,
        "answer_due_at": referral.answer_due_at,
        "answered_at": referral.answered_at,
        "escalation_level": referral.escalation_level,
        "created_at": referral.created_at,
        "history": [
            {"at": e.at, "from": e.from_status, "to": e.to_status, "by": e.actor_label, "note": e.note}
            for e in referral.events.all()
        ],
    }


def _whole(request: HttpRequest, referral: Referral) -> bool:
    user, key = _caller(request)
    return rs.sees_whole(referral, user=user, api_key=key)


def _fetch(request: HttpRequest, referral_id: str | uuid.UUID) -> Referral:
    """A referral by its public id; an old integer id, or anything else that is no UUID, is one that does not
    exist (404), as is one the caller may not see."""
    try:
        public_id = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(referral_id)
    except ValueError:
        raise HttpError(404, "Not found.") from None
    referral = (
        _visible(request)
        .select_related("service", "resident", "owner_keeper", "owner_organisation")
        .prefetch_related("events")
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        raise HttpError(404, "Not found.")
    return referral


@router.get("/referrals", response={200: ReferralPageOut, **_errors(401, 422)}, summary="Referrals you send or answer")
def referral_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    qs = (
        _visible(request)
        .select_related("service", "resident", "owner_keeper", "owner_organisation")
        .prefetch_related("events")
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    count = qs.count()
    items = list(qs[filters.offset : filters.offset + filters.limit])
    rs.referrals_log_view(Actor.from_request(request), items, "api:referral_list")
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(r, _whole(request, r)) for r in items],
    }


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **_errors(401, 404)}, summary="One referral")
def referral_detail(request: HttpRequest, referral_id: str) -> dict[str, Any]:
    referral = _fetch(request, referral_id)
    rs.referrals_log_view(Actor.from_request(request), [referral], "api:referral_detail")
    return _out(referral, _whole(request, referral))


@router.post(
    "/referrals", response={201: ReferralOut, **_errors(401, 403, 404, 409, 422)}, summary="Connect a resident"
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> Answered[dict[str, Any]]:
    user, key = _caller(request)
    if key is not None or user is None:
        raise HttpError(403, "A person sends a referral, from a web session.")
    resident = residents_writable_by(user).select_related("household").filter(public_id=payload.resident_id).first()
    service = (
        public_services(user.municipality_id)
        .select_related("organization", "keeper")
        .filter(pk=payload.service_id)
        .first()
    )
    signal = signals_visible_to(user).filter(pk=payload.signal_id).first() if payload.signal_id else None
    if resident is None or service is None or (payload.signal_id and signal is None):
        raise HttpError(404, "Not found.")
    referral = referral_send(
        sender=user,
        resident=resident,
        service=service,
        data=ReferralInput(
            shared=payload.shared,
            shared_name=payload.shared_name,
            shared_phone=payload.shared_phone,
            shared_note=payload.shared_note,
            consent_given=payload.consent,
            warm_introduction=payload.warm_introduction,
        ),
        now=timezone.now(),
        actor=Actor.from_request(request),
        signal=signal,
    )
    return Answered(201, _out(_fetch(request, referral.public_id), True))


@router.post(
    "/referrals/{referral_id}/answer",
    response={200: ReferralOut, **_errors(401, 403, 404, 409, 422)},
    summary="Answer: accepted, declined (with reason), connected, no_show, ended",
)
def referral_answer(request: HttpRequest, referral_id: str, payload: AnswerIn) -> dict[str, Any]:
    user, key = _caller(request)
    if key is not None:
        scopes.scope_required(key, scopes.REFERRALS_WRITE)
    referral = _fetch(request, referral_id)
    if key is not None:
        allowed = (
            may_answer_by_key(key.organisation_id, referral) or referral.sender_organisation_id == key.organisation_id
        )
    else:
        allowed = user is not None and (may_answer(user, referral) or rs.sees_whole(referral, user=user))
    referral_transition(
        referral=referral,
        to=payload.status,
        by=user,
        allowed=allowed,
        now=timezone.now(),
        actor=Actor.from_request(request),
        reason=payload.reason,
    )
    return _out(_fetch(request, referral.public_id), _whole(request, referral))


# --- provisions: the social map in Waakvlam's own terms ------------------------------------------------------


class ProvisionOut(Schema):
    id: uuid.UUID
    name: str
    organization: str
    description: str
    collective: bool
    free: bool
    access: m.Access
    capacity: int | None
    places_free: int | None
    needs: list[str]
    neighbourhoods: list[str]
    schedules: list[str]
    last_modified: datetime


class ProvisionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvisionOut]


class ProvisionQuery(Schema):
    need: str = Field("", max_length=100, description="Taxonomy term code, e.g. `ontmoeting`.")
    neighbourhood: str = Field("", max_length=10, pattern=r"^(BU\d{8})?$")
    collective: bool | None = None
    free: bool | None = None
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)


def _provision(service: m.Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "name": service.name,
        "organization": service.organization.name,
        "description": service.description,
        "collective": service.collective,
        "free": service.free,
        "access": service.access,
        "capacity": service.capacity,
        "places_free": service.places_free,
        "needs": [a.taxonomy_term.code or a.taxonomy_term.name for a in service.attributes.all()],
        "neighbourhoods": sorted(
            {s.location.neighbourhood.code for s in service.service_at_locations.all() if s.location.neighbourhood}
        ),
        "schedules": [schedule_text(s) for s in service.schedules.all()],
        "last_modified": service.last_modified,
    }


def _provisions(request: HttpRequest) -> QuerySet[m.Service]:
    user, key = _caller(request)
    municipality_id = key.organisation.municipality_id if key else (user.municipality_id if user else 0)
    return (
        public_services(municipality_id)
        .select_related("organization")
        .prefetch_related("attributes__taxonomy_term", "service_at_locations__location__neighbourhood", "schedules")
    )


@router.get(
    "/provisions", response={200: ProvisionPageOut, **_errors(401, 422)}, tags=["provisions"], summary="The social map"
)
def provision_list(request: HttpRequest, filters: Query[ProvisionQuery]) -> dict[str, Any]:
    qs = _provisions(request)
    if filters.need:
        qs = qs.filter(attributes__taxonomy_term__code=filters.need)
    if filters.neighbourhood:
        qs = qs.filter(service_at_locations__location__neighbourhood__code=filters.neighbourhood)
    if filters.collective is not None:
        qs = qs.filter(collective=filters.collective)
    if filters.free is not None:
        qs = qs.filter(free=filters.free)
    qs = qs.distinct().order_by("-collective", "name", "pk")
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_provision(s) for s in items],
    }


@router.get(
    "/provisions/{provision_id}",
    response={200: ProvisionOut, **_errors(401, 404)},
    tags=["provisions"],
    summary="One provision",
)
def provision_detail(request: HttpRequest, provision_id: uuid.UUID) -> dict[str, Any]:
    service = _provisions(request).filter(pk=provision_id).first()
    if service is None:
        raise HttpError(404, "Not found.")
    return _provision(service)
