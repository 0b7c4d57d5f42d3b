"""The attention list over the API: list, one item with its explanation, take up, dismiss.

For stewards and coordinators in a session (need to know per team and organisation, as in the UI); an API
key with scope `attention:read` reads its organisation's items (a key never decides: 403, as does a key
without the scope), anything not visible 404, an item already decided 409,
bad input 422 with one entry per field. Every item shown, in lists too, leaves an access-log entry naming
its household; every decision one more, written by the service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from waakvlam.attention import selectors
from waakvlam.attention.definitions import RULES_BY_NAME
from waakvlam.attention.models import MAX_REASON, AttentionItem, ItemStatus, TakeUp
from waakvlam.attention.services import item_dismiss, item_take_up
from waakvlam.attention.views import items_reads_record
from waakvlam.core import scopes
from waakvlam.core.api_common import MAX_ID, body_limit
from waakvlam.core.models import ApiKey, User
from waakvlam.core.public_ids import public_id_or_404
from waakvlam.intake.schemas import ErrorOut, ValidationErrorOut
from waakvlam.intake.selectors import caller_of
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

router = Router(tags=["attention"])
_ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413), ErrorOut) | {422: ValidationErrorOut}


def _errors(*codes: int) -> dict[int, Any]:
    return {code: _ERRORS[code] for code in codes}


class SignalRefOut(Schema):
    id: int
    tracking_code: str
    date: str = Field(..., description="The day the signal was received (YYYY-MM-DD).")
    source: str = Field(..., description="Kind of reporter: an organisation kind or the signal's source kind.")
    category: str


class FactOut(Schema):
    kind: str = Field(..., description="`contact_plan` or `handover`.")
    id: UUID | None = Field(..., description="The plan's or handover's public id; null once it is erased.")
    date: str = Field(..., description="The contact or first contact that was due.")


class ReasonOut(Schema):
    rule: str
    version: int
    title: str
    description: str
    signals: list[SignalRefOut]
    facts: list[FactOut]


class AttentionItemOut(Schema):
    id: UUID = Field(..., description="The attention item's public id")
    household_id: UUID = Field(..., description="The household's public id")
    address: str
    owner_team: str
    status: ItemStatus
    config_version: int
    reasons: list[ReasonOut] = Field(..., description="Why this household is here: the rules that fired.")
    raised_at: datetime
    decide_by: datetime
    escalation_level: int
    next_step_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None
    take_up: str | None
    decision_note: str


class AttentionPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AttentionItemOut]


class AttentionQuery(Schema):
    status: ItemStatus = ItemStatus.OPEN
    team: int | None = Field(None, ge=1, le=MAX_ID, description="An owning team's id.")
    rule: str = Field("", max_length=40, description="Only items where this rule fired.")
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)


class TakeUpIn(Schema):
    how: TakeUp = Field(..., description="`outreach`, `contact_plan` or `case_conference`.")
    note: str = Field("", max_length=MAX_REASON)


class DismissIn(Schema):
    reason: str = Field(..., min_length=1, max_length=MAX_REASON, description="Why no action is needed.")


def _person(request: HttpRequest) -> User:
    caller = caller_of(request)
    if isinstance(caller, ApiKey) or caller is None:
        raise HttpError(403, "Only stewards and coordinators decide about attention items; an API key only reads.")
    if not selectors.may_see_attention(caller):
        raise HttpError(403, "Your role does not work with the attention list.")
    return caller


def _reader(request: HttpRequest) -> User | ApiKey:
    caller = caller_of(request)
    if isinstance(caller, ApiKey):
        scopes.scope_required(caller, scopes.ATTENTION_READ)
        return caller
    return _person(request)


def _visible(caller: User | ApiKey) -> QuerySet[AttentionItem]:
    if isinstance(caller, ApiKey):
        return selectors.items_visible_to_key(caller)
    return selectors.items_visible_to(caller)


def item_out(item: AttentionItem) -> AttentionItemOut:
    language = get_language() or "nl"
    reasons = selectors.explanation(item, language=language)
    return AttentionItemOut(
        id=item.public_id,
        household_id=item.household.public_id,
        address=str(item.household.address),
        owner_team=item.owner_team.name,
        status=ItemStatus(item.status),
        config_version=item.config_version,
        reasons=[
            ReasonOut(
                rule=r["rule"],
                version=r["version"],
                title=r["title"],
                description=r["description"],
                signals=[
                    SignalRefOut(**{k: s[k] for k in ("id", "tracking_code", "date", "source", "category")})
                    for s in r["signals"]
                ],
                facts=[FactOut(**f) for f in r["facts"]],
            )
            for r in reasons
        ],
        raised_at=item.raised_at,
        decide_by=item.decide_by,
        escalation_level=item.escalation_level,
        next_step_at=item.next_step_at,
        decided_at=item.decided_at,
        decided_by=item.decided_by_label or None,
        take_up=item.take_up or None,
        decision_note=item.decision_note,
    )


def _one(request: HttpRequest, caller: User | ApiKey, item_id: str, context: str) -> AttentionItem:
    return get_visible_or_404(
        _visible(caller).select_related("household__address", "owner_team"),
        public_id_or_404(item_id),
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.item_subject,
        lookup="public_id",
    )


@router.get(
    "/attention",
    response={200: AttentionPageOut, **_errors(401, 403, 422)},
    summary="The attention list of your teams",
    description=(
        "Households where signals come together, for the teams you may see (a steward: their teams; a "
        "coordinator: their organisation's teams). Default: open items, the one to decide first on top. "
        f"Known rules: {', '.join(RULES_BY_NAME)}. Every item listed is written to the access log."
    ),
)
def attention_list(request: HttpRequest, filters: Query[AttentionQuery]) -> dict[str, Any]:
    caller = _reader(request)
    if filters.rule and filters.rule not in RULES_BY_NAME:
        raise ValidationError([{"loc": ["query", "rule"], "msg": "unknown rule", "type": "value_error"}])
    qs = selectors.items_filtered(
        _visible(caller),
        selectors.ItemFilters(status=filters.status, team=filters.team, rule=filters.rule),
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    items_reads_record(items=rows, actor=Actor.from_request(request), context="api:attention_list")
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [item_out(i) for i in rows]}


@router.get(
    "/attention/{item_id}",
    response={200: AttentionItemOut, **_errors(401, 403, 404)},
    summary="One attention item with why it is there",
)
def attention_detail(request: HttpRequest, item_id: str) -> AttentionItemOut:
    return item_out(_one(request, _reader(request), item_id, "api:attention_detail"))


@router.post(
    "/attention/{item_id}/take-up",
    response={200: AttentionItemOut, **_errors(400, 401, 403, 404, 409, 413, 422)},
    summary="Take an item up: outreach, a contact plan or a case conference",
    description="Records the decision; it starts nothing by itself. 409 when the item was already decided.",
)
@decorate_view(body_limit(4096))
def attention_take_up(request: HttpRequest, item_id: str, payload: TakeUpIn) -> AttentionItemOut:
    user = _person(request)
    item = _one(request, user, item_id, "api:attention_take_up")
    done = item_take_up(
        item=item,
        how=payload.how,
        note=payload.note,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
    )
    return item_out(done)


@router.post(
    "/attention/{item_id}/dismiss",
    response={200: AttentionItemOut, **_errors(400, 401, 403, 404, 409, 413, 422)},
    summary="Dismiss an item with a reason",
    description="The household comes back on the list only when a new signal about it arrives.",
)
@decorate_view(body_limit(4096))
def attention_dismiss(request: HttpRequest, item_id: str, payload: DismissIn) -> AttentionItemOut:
    user = _person(request)
    item = _one(request, user, item_id, "api:attention_dismiss")
    done = item_dismiss(
        item=item, reason=payload.reason, by=user, actor=Actor.from_request(request), now=timezone.now()
    )
    return item_out(done)
