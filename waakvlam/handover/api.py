"""Warm handovers over the API: list, detail, announce (a person, or a clinic's system with scope
`handovers:write`), accept, checklist items, close. Errors as in contact/api.py; closing with open items
is a 409 naming them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as Answered
from ninja.errors import HttpError
from pydantic import Field

from waakvlam.contact.api import log_list, resident_out, session_user
from waakvlam.contact.models import Basis
from waakvlam.contact.schemas import AddressIn, ResidentOut, Text
from waakvlam.core import scopes
from waakvlam.core.api_common import ERRORS, ListQuery, api_key_of, page, user_of
from waakvlam.core.models import User
from waakvlam.core.public_ids import public_id_or_404
from waakvlam.handover import selectors
from waakvlam.handover.models import MAX_ITEM_TEXT, ChecklistTopic, Handover, HandoverStatus, ItemState
from waakvlam.handover.services import (
    HandoverInput,
    ItemInput,
    handover_accept,
    handover_announce,
    handover_close,
    handover_item_set,
)
from waakvlam.households.services import AddressInput, resident_subject
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

router = Router(tags=["handovers"])


def _errors(*codes: int) -> dict[int, Any]:
    return {code: ERRORS[code] for code in codes}


class ItemIn(Schema):
    state: ItemState = ItemState.OPEN
    note: Text = Field("", max_length=MAX_ITEM_TEXT)
    skip_reason: Text = Field("", max_length=MAX_ITEM_TEXT, description="Required when state is `skipped`.")


class ItemOut(Schema):
    topic: str
    state: str
    note: str
    skip_reason: str


class NewResidentIn(Schema):
    name: Text = Field("", max_length=200)
    description: Text = Field("", max_length=200)


class HandoverIn(Schema):
    resident_id: UUID | None = Field(None, description="The public id of a resident you may see; or give `resident`.")
    resident: NewResidentIn | None = None
    discharge_on: date
    address: AddressIn = Field(..., description="The future address; its neighbourhood decides the receiving team.")
    first_contact_within_days: int | None = Field(None, ge=1, le=60, description="Default 5.")
    note: Text = Field("", max_length=500)
    checklist: dict[ChecklistTopic, ItemIn] = Field(
        default_factory=dict, description="What is arranged: housing, income, daytime, gp, network, early_warning_plan."
    )


class HandoverOut(Schema):
    id: UUID = Field(..., description="The handover's public id (random; integer ids are not used).")
    resident: ResidentOut
    from_organisation: str
    discharge_on: date
    address: str
    receiving_team: str
    steward: str | None
    status: HandoverStatus
    escalated: bool
    escalated_at: datetime | None
    first_contact_within_days: int
    first_contact_due: date
    first_contact_on: date | None
    overlap_until: date
    contact_plan_id: UUID | None = Field(..., description="The contact plan's public id")
    housing_informed_at: datetime | None
    note: str
    checklist: list[ItemOut]
    created_at: datetime
    closed_at: datetime | None


class HandoverPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[HandoverOut]


class AcceptIn(Schema):
    steward: Text = Field(..., max_length=150, description="Username of the steward who takes over.")
    backup: Text | None = Field(None, max_length=150)
    basis: Basis = Basis.CONSENT
    rhythm_days: int = Field(14, ge=1, le=365)


def _visible(request: HttpRequest) -> QuerySet[Handover]:
    key = api_key_of(request)
    qs = selectors.handovers_visible_to_api_key(key) if key else selectors.handovers_visible_to(user_of(request))
    return qs.select_related(
        "resident__household__address", "from_organisation", "receiving_team", "steward", "address", "contact_plan"
    ).prefetch_related("items")


def handover_out(h: Handover) -> HandoverOut:
    return HandoverOut(
        id=h.public_id,
        resident=resident_out(h.resident),
        from_organisation=h.from_organisation.slug,
        discharge_on=h.discharge_on,
        address=str(h.address),
        receiving_team=h.receiving_team.name,
        steward=h.steward.get_username() if h.steward else None,
        status=HandoverStatus(h.status),
        escalated=h.escalated_at is not None,
        escalated_at=h.escalated_at,
        first_contact_within_days=h.first_contact_within_days,
        first_contact_due=h.first_contact_due,
        first_contact_on=h.first_contact_on,
        overlap_until=h.overlap_until,
        contact_plan_id=h.contact_plan.public_id if h.contact_plan else None,
        housing_informed_at=h.housing_informed_at,
        note=h.note,
        checklist=[
            ItemOut(topic=i.topic, state=i.state, note=i.note, skip_reason=i.skip_reason) for i in h.items.all()
        ],
        created_at=h.created_at,
        closed_at=h.closed_at,
    )


class HandoverListQuery(ListQuery):
    status: HandoverStatus | None = None
    escalated: bool | None = None
    resident_id: UUID | None = Field(None, description="The resident's public id")


@router.get(
    "/handovers", response={200: HandoverPageOut, **_errors(401, 422)}, summary="Handovers visible to the caller"
)
def handover_list(request: HttpRequest, filters: Query[HandoverListQuery]) -> dict[str, Any]:
    qs = _visible(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.escalated is not None:
        qs = qs.filter(escalated_at__isnull=not filters.escalated)
    if filters.resident_id:
        qs = qs.filter(resident__public_id=filters.resident_id)
    total, rows = page(qs.order_by("discharge_on", "pk"), filters)
    log_list(request, "handover.handover", "api:handover_list", rows)
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [handover_out(h) for h in rows]}


@router.get(
    "/handovers/{handover_id}",
    response={200: HandoverOut, **_errors(401, 404)},
    summary="One handover with its checklist",
)
def handover_detail(request: HttpRequest, handover_id: str) -> HandoverOut:
    handover = get_visible_or_404(
        _visible(request),
        public_id_or_404(handover_id),
        actor=Actor.from_request(request),
        context="api:handover_detail",
        subject_of=lambda h: resident_subject(h.resident_id),
        lookup="public_id",
    )
    return handover_out(handover)


@router.post(
    "/handovers",
    response={201: HandoverOut, **_errors(401, 403, 404, 422)},
    summary="Announce a discharge",
    description=(
        "For a clinic or shelter professional (role partner in a mental-health-care or shelter organisation), or "
        "that organisation's system with an API key with scope `handovers:write`. The receiving team is the steward "
        "team serving the future address's neighbourhood."
    ),
)
def handover_create(request: HttpRequest, payload: HandoverIn) -> Answered[HandoverOut]:
    key = api_key_of(request)
    user: User | None = None
    if key is not None:
        scopes.scope_required(key, scopes.HANDOVERS_WRITE)
    else:
        user = request.user if isinstance(request.user, User) else None
        if user is None or not selectors.may_announce(user):
            raise HttpError(403, "Only a clinic or shelter professional may announce a discharge.")
    a = payload.address
    data = HandoverInput(
        discharge_on=payload.discharge_on,
        address=AddressInput(a.postcode, a.house_number, a.house_letter, a.house_number_addition),
        resident_id=payload.resident_id,
        resident_name=payload.resident.name if payload.resident else "",
        resident_description=payload.resident.description if payload.resident else "",
        first_contact_within_days=payload.first_contact_within_days,
        note=payload.note,
        items={
            str(topic.value): ItemInput(i.state.value, i.note, i.skip_reason) for topic, i in payload.checklist.items()
        },
    )
    handover = handover_announce(
        data=data,
        by=user,
        api_key=key,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:handover_create",
    )
    return Answered(
        201,
        handover_out(
            Handover.objects.select_related(
                "resident__household__address",
                "from_organisation",
                "receiving_team",
                "steward",
                "address",
                "contact_plan",
            ).get(pk=handover.pk)
        ),
    )


def _changeable(request: HttpRequest, handover_id: str) -> tuple[User, Handover]:
    user = session_user(request)
    handover = (
        selectors.handovers_changeable_by(user)
        .select_related("receiving_team", "resident")
        .filter(public_id=public_id_or_404(handover_id))
        .first()
    )
    if handover is None:
        raise HttpError(404, "Not found.")
    return user, handover


def _fresh(pk: int) -> HandoverOut:
    return handover_out(
        Handover.objects.select_related(
            "resident__household__address", "from_organisation", "receiving_team", "steward", "address", "contact_plan"
        ).get(pk=pk)
    )


@router.post(
    "/handovers/{handover_id}/accept",
    response={200: HandoverOut, **_errors(401, 403, 404, 409, 422)},
    summary="Accept and assign a steward",
)
def handover_accept_endpoint(request: HttpRequest, handover_id: str, payload: AcceptIn) -> HandoverOut:
    user, handover = _changeable(request, handover_id)
    org = handover.receiving_team.organisation_id
    steward = User.objects.filter(username=payload.steward, organisation_id=org).first()
    if steward is None:
        raise HttpError(422, "No steward with this username in the receiving team's organisation.")
    backup = User.objects.filter(username=payload.backup, organisation_id=org).first() if payload.backup else None
    handover_accept(
        handover=handover,
        steward=steward,
        backup=backup,
        basis=payload.basis.value,
        rhythm_days=payload.rhythm_days,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:handover_accept",
    )
    return _fresh(handover.pk)


@router.post(
    "/handovers/{handover_id}/checklist/{topic}",
    response={200: HandoverOut, **_errors(401, 403, 404, 409, 422)},
    summary="Set one checklist item: open, done, or skipped with a reason",
)
def handover_item_endpoint(
    request: HttpRequest, handover_id: str, topic: ChecklistTopic, payload: ItemIn
) -> HandoverOut:
    user, handover = _changeable(request, handover_id)
    handover_item_set(
        handover=handover,
        topic=topic.value,
        item=ItemInput(payload.state.value, payload.note, payload.skip_reason),
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:handover_item",
    )
    return _fresh(handover.pk)


@router.post(
    "/handovers/{handover_id}/close",
    response={200: HandoverOut, **_errors(401, 403, 404, 409)},
    summary="Close: only when every checklist item is done or skipped with a reason (else 409)",
)
def handover_close_endpoint(request: HttpRequest, handover_id: str) -> HandoverOut:
    user, handover = _changeable(request, handover_id)
    handover_close(
        handover=handover,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:handover_close",
    )
    return _fresh(handover.pk)
