"""Signals over the API. Thin: schemas in, a service or selector call, domain errors mapped to HTTP once.

Errors: 401 no credentials, 403 scope or role missing, 404 unknown or not visible, 409 conflict
(external_id, Idempotency-Key with another body), 413 body too large, 422 bad input (one entry per field),
429 too many public requests, 503 no team to route to (an operator's set-up is incomplete).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Header, Query, Router, Schema
from ninja import Status as Answered
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from waakvlam.core import scopes
from waakvlam.core.addresses import AddressError
from waakvlam.core.api_common import MAX_ID, body_limit
from waakvlam.core.models import ApiKey, User
from waakvlam.core.net import client_address
from waakvlam.core.pagination import PageQuery
from waakvlam.core.roles import WORK_ROLES
from waakvlam.intake.freetext import privacy_warnings
from waakvlam.intake.group_commit import Grouped, intake_writer
from waakvlam.intake.idempotency import (
    IdempotencyKeyInvalid,
    idempotency_key_check,
    idempotency_scope,
    idempotent,
    request_hash,
)
from waakvlam.intake.models import Category, Signal, Status
from waakvlam.intake.ratelimit import rate_limit_hit
from waakvlam.intake.schemas import (
    VEILIG_THUIS_NOTE,
    ErrorOut,
    PublicSignalCreatedOut,
    PublicSignalIn,
    SignalCreatedOut,
    SignalIn,
    SignalListItemOut,
    SignalOut,
    SignalPageOut,
    Text,
    TrackOut,
    ValidationErrorOut,
)
from waakvlam.intake.selectors import (
    SignalFilters,
    caller_of,
    signal_by_tracking_code,
    signal_full_text_visible,
    signal_subject,
    signals_filtered,
    signals_visible_to_caller,
)
from waakvlam.intake.services import (
    AddressInput,
    Reporter,
    SignalInput,
    signal_create,
    tracking_code_normalise,
)
from waakvlam.intake.tracking import tracking_moment
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

__all__ = ["SignalOut", "router"]

router = Router(tags=["signals"])

# 5,000 characters of description, four bytes each at worst, plus the other fields: 64 KiB is plenty.
MAX_BODY_BYTES = 64 * 1024

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


def _errors(*codes: int) -> dict[int, Any]:
    return {code: _ERRORS[code] for code in codes}


# --- shared edges -----------------------------------------------------------------------------------------


def public_rate_limited(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """429 once a client has made too many requests this minute; counted before the body is even parsed."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            decision = rate_limit_hit(scope=scope, client=client_address(request), now=timezone.now())
            if not decision.allowed:
                response = JsonResponse(
                    {
                        "detail": f"Too many requests: at most {decision.limit} a minute from one address. "
                        f"Try again in {decision.retry_after} seconds."
                    },
                    status=429,
                )
                response["Retry-After"] = str(decision.retry_after)
                return response
            return run(request, *args, **kwargs)

        return wrapped

    return decorator


def _field_error(field: str, message: str, *, prefix: tuple[str, ...] = ("body", "payload")) -> ValidationError:
    return ValidationError([{"loc": [*prefix, *field.split(".")], "msg": message, "type": "value_error"}])


def _signal_input(payload: SignalIn) -> SignalInput:
    address = None
    if payload.address is not None:
        address = AddressInput(
            postcode=payload.address.postcode,
            house_number=payload.address.house_number,
            house_letter=payload.address.house_letter,
            house_number_addition=payload.address.house_number_addition,
        )
    return SignalInput(
        category=str(payload.category.value),
        urgency=str(payload.urgency.value),
        description=payload.description,
        address=address,
        location_text=payload.location_text,
        observed_at=payload.observed_at,
        external_id=payload.external_id,
    )


def _create(*, data: SignalInput, reporter: Reporter, context: str) -> Signal:
    """signal_create; its domain errors are answered by their kind (core/errors.py), an address the
    register does not know as the `address` field's error."""
    try:
        return signal_create(data=data, reporter=reporter, now=timezone.now(), context=context)
    except AddressError as error:
        raise _field_error(f"address.{error.field}", error.message) from None


def _reporter_for(request: HttpRequest) -> Reporter:
    api_key = getattr(request, "api_key", None)
    actor = Actor.from_request(request)
    if isinstance(api_key, ApiKey):
        scopes.scope_required(api_key, scopes.SIGNALS_WRITE)
        return Reporter.for_api_key(api_key, actor=actor)
    user = request.user
    if not isinstance(user, User) or user.role not in WORK_ROLES or not user.organisation_id:
        raise HttpError(403, "Your role may not report signals through the API.")
    return Reporter.for_user(user, actor=actor)


def _require_read_scope(request: HttpRequest) -> None:
    api_key = getattr(request, "api_key", None)
    if isinstance(api_key, ApiKey):
        scopes.scope_required(api_key, scopes.SIGNALS_READ)


# --- reference ----------------------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    label: str


@router.get(
    "/categories",
    response={200: list[CategoryOut], **_errors(401)},
    summary="Signal categories",
    description="The codes `category` takes. " + VEILIG_THUIS_NOTE,
)
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [CategoryOut(code=str(value), label=str(label)) for value, label in Category.choices]


# --- reporting ----------------------------------------------------------------------------------------------


@router.post(
    "/signals",
    response={201: SignalCreatedOut, **_errors(400, 401, 403, 409, 413, 422, 503)},
    summary="Report a signal (partner system or professional)",
    description=(
        "Takes a signal in and routes it at once: the answer names the owning team and the time by which it "
        "must be picked up. Needs an API key with scope `signals:write`, or a session of a signaller, steward, "
        "coordinator or partner professional.\n\n"
        "Send an `Idempotency-Key` header (any string of at most 200 characters) to make retries safe: a "
        "retry with the same key and the same body returns the first answer (same status and body) and "
        "creates nothing; the same key with another body is a 409. A second signal with the same "
        "`external_id` from your organisation is a 409 too.\n\n"
        "`privacy_warnings` lists the kinds of personal data of others found in `description`; only the owning "
        "team sees the text as sent, everyone else a masked copy.\n\n" + VEILIG_THUIS_NOTE
    ),
)
@decorate_view(body_limit(MAX_BODY_BYTES))
def signal_report(
    request: HttpRequest,
    response: HttpResponse,
    payload: SignalIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Makes the request safe to retry (at most 200 characters).",
    ),
) -> Answered[dict[str, Any]]:
    reporter = _reporter_for(request)
    try:
        key = idempotency_key_check(idempotency_key)
    except IdempotencyKeyInvalid as error:
        raise _field_error("Idempotency-Key", str(error), prefix=("header",)) from None
    data = _signal_input(payload)
    scope = idempotency_scope(api_key=getattr(request, "api_key", None), user=request.user)  # type: ignore[arg-type]
    hashed = request_hash(json.loads(request.body)) if key is not None else ""  # parsed once by ninja: valid
    grouped = _grouped(data=data, reporter=reporter, idempotency=(scope, key, hashed) if key else None)
    if grouped is not None:
        return grouped

    def produce() -> tuple[int, dict[str, Any], Signal]:
        signal = _create(data=data, reporter=reporter, context="api:signal_create")
        return 201, _created_body(signal), signal

    if key is None:
        status, body, _signal = produce()
        return Answered(status, body)
    answer = idempotent(scope=scope, key=key, hashed=hashed, now=timezone.now(), produce=produce)
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return Answered(answer.status, answer.body)


def _created_body(signal: Signal) -> dict[str, Any]:
    return SignalCreatedOut(
        id=signal.pk,
        tracking_code=signal.tracking_code,
        status=signal.status,
        owner=signal.owner_user.get_username() if signal.owner_user else signal.owner_team.name,
        due_at=signal.due_at,
        privacy_warnings=privacy_warnings(list(signal.privacy_flags)),
        privacy_flags=list(signal.privacy_flags),
    ).model_dump(mode="json")


def _grouped(
    *, data: SignalInput, reporter: Reporter, idempotency: tuple[str, str, str] | None
) -> Answered[dict[str, Any]] | None:
    """The answer through the server's intake writer (group commit), or None: no writer in this process
    (tests, runserver), or the signal needs the one-at-a-time path (a retry, a known external_id, …)."""
    writer = intake_writer()
    if writer is None:
        return None
    item = Grouped(
        data=data,
        reporter=reporter,
        context="api:signal_create",
        now=timezone.now(),
        answer=_created_body,
        idempotency=idempotency,
    )
    try:
        item.prepare()
    except AddressError as error:
        raise _field_error(f"address.{error.field}", error.message) from None
    if not writer.submit(item):
        raise HttpError(503, "Taking the signal in took too long. Send it again with the same Idempotency-Key.")
    if item.outcome[0] != "created":
        return None
    return Answered(item.outcome[1], item.outcome[2])


@router.post(
    "/public/signals",
    auth=None,
    response={201: PublicSignalCreatedOut, **_errors(400, 409, 413, 422, 429, 503)},
    summary="A resident's report (no credentials; rate limited)",
    description=(
        "For residents and neighbours, without an account. At most 10 requests a minute from one address "
        "(429 with Retry-After beyond that). Returns only the tracking code; follow it with "
        "`GET /api/v1/track/{tracking_code}` or at /volgen/. A reporter who leaves an e-mail address gets an "
        "e-mail when the report is received, picked up and closed; name and phone number are kept only "
        "when `may_contact` is true.\n\n" + VEILIG_THUIS_NOTE
    ),
)
@decorate_view(body_limit(MAX_BODY_BYTES), public_rate_limited("public_signal"))
def public_signal_report(request: HttpRequest, payload: PublicSignalIn) -> Answered[dict[str, Any]]:
    contact = payload.reporter
    reporter = Reporter.for_public(
        name=contact.name if contact else "",
        phone=contact.phone if contact else "",
        email=contact.email if contact else "",
        may_contact=contact.may_contact if contact else False,
        actor=Actor.from_request(request),
    )
    signal = _create(data=_signal_input(payload), reporter=reporter, context="api:public_signal_create")
    return Answered(201, {"tracking_code": signal.tracking_code})


@router.get(
    "/track/{tracking_code}",
    auth=None,
    response={200: TrackOut, **_errors(404, 429)},
    summary="Follow a report by its tracking code (public)",
    description=(
        "Only the status (`received`, `picked_up` or `closed`) and when it was reached; never who owns the "
        "signal, what was reported, where, or how it ended. An unknown code is a 404."
    ),
)
@decorate_view(public_rate_limited("track"))
def track(request: HttpRequest, tracking_code: str) -> TrackOut:
    signal = signal_by_tracking_code(tracking_code_normalise(tracking_code))
    if signal is None:
        raise Http404
    status, moment = tracking_moment(signal)
    return TrackOut(status=status, updated_at=moment)  # type: ignore[arg-type]


# --- reading ------------------------------------------------------------------------------------------------


class SignalListQuery(PageQuery):
    status: Status | None = Field(None, description="received, assigned, in_progress or closed")
    category: Category | None = None
    # Text refuses NUL: PostgreSQL cannot compare text with it, so the query would fail with a 500.
    neighbourhood: Text | None = Field(None, max_length=10, description="CBS neighbourhood code, e.g. BU99990101")
    owner: Text | None = Field(None, max_length=150, description="owning team id, or the owner's username")
    overdue: bool | None = Field(None, description="true: not picked up and past its due time")
    received_from: date | None = Field(
        None, alias="from", description="received on or after this day (YYYY-MM-DD, in the municipality's time zone)"
    )
    received_to: date | None = Field(None, alias="to", description="received on or before this day (YYYY-MM-DD)")
    q: Text | None = Field(None, max_length=100, description="a tracking code, or your own reference (external_id)")


@router.get(
    "/signals",
    response={200: SignalPageOut, **_errors(401, 403, 422)},
    summary="Signals visible to the caller, filtered and paginated",
    description=(
        "Only signals you may see (an API key: those its organisation owns, with scope `signals:read`). "
        "`count` counts visible signals only. Newest first. No address or description in the list: open one "
        "signal for those (that read is logged)."
    ),
)
def signal_list(request: HttpRequest, filters: Query[SignalListQuery]) -> dict[str, Any]:
    _require_read_scope(request)
    now = timezone.now()
    chosen = SignalFilters(
        status=filters.status.value if filters.status else "",
        category=filters.category.value if filters.category else "",
        neighbourhood=filters.neighbourhood or "",
        owner=filters.owner or "",
        overdue=filters.overdue,
        received_from=filters.received_from,
        received_to=filters.received_to,
        text=filters.q or "",
    )
    if chosen.received_from and chosen.received_to and chosen.received_from > chosen.received_to:
        raise _field_error("to", "`to` lies before `from`.", prefix=("query",))
    visible = signals_filtered(signals_visible_to_caller(request), chosen, now=now)
    total = visible.count()
    rows = visible.select_related("neighbourhood", "owner_team", "owner_user").order_by("-received_at", "-pk")[
        filters.offset : filters.offset + filters.limit
    ]
    items = [SignalListItemOut.from_signal(s, now=now) for s in rows]
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/signals/{signal_id}",
    response={200: SignalOut, **_errors(401, 403, 404)},
    summary="One signal with its history",
    description=(
        "404 when it does not exist or you may not see it (the two look the same). The owning team sees the "
        "description as sent and a public reporter's contact details when they allowed contact; anyone else "
        "sees the masked description. Every read is written to the access log."
    ),
)
def signal_detail(request: HttpRequest, signal_id: int) -> SignalOut:
    _require_read_scope(request)
    if not 0 < signal_id <= MAX_ID:
        raise Http404
    visible = signals_visible_to_caller(request).select_related("address", "neighbourhood", "owner_team", "owner_user")
    signal = get_visible_or_404(
        visible, signal_id, actor=Actor.from_request(request), context="api:signal_detail", subject_of=signal_subject
    )
    return SignalOut.from_signal(signal, full_text=signal_full_text_visible(caller_of(request), signal))
