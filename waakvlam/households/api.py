"""Households over the API: list, detail, and get-or-create by address. Thin: a selector or a service call.

A household is visible to whoever may see at least one of its signals, and shows them only those; any
other household answers 404, the same as one that does not exist. 401 no credentials, 403 an API key
without `households:read` (or any key writing) or a role that may not register households, 422 bad input
(one entry per field). Every household shown leaves one access-log entry, in lists too.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answered
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError

from waakvlam.core import scopes
from waakvlam.core.addresses import AddressError, normalise_postcode
from waakvlam.core.api_common import body_limit
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.households.linking import household_subject, households_visible_to
from waakvlam.households.models import Household
from waakvlam.households.schemas import (
    AddressOut,
    HouseholdIn,
    HouseholdListItemOut,
    HouseholdListQuery,
    HouseholdOut,
    HouseholdPageOut,
    HouseholdRegisteredOut,
)
from waakvlam.households.selectors import (
    MAX_TIMELINE,
    household_timeline,
    households_filtered,
    households_visible_to_caller,
)
from waakvlam.households.services import AddressInput, household_reads_record, household_register
from waakvlam.intake.schemas import ErrorOut, SignalListItemOut, ValidationErrorOut
from waakvlam.intake.selectors import caller_of
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

router = Router(tags=["households"])

MAX_BODY_BYTES = 4 * 1024  # four short address fields
# The roles that work with households: they visit them and start contact plans for their residents.
_ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 413), ErrorOut) | {422: ValidationErrorOut}


def _errors(*codes: int) -> dict[int, Any]:
    return {code: _ERRORS[code] for code in codes}


def _field_error(loc: list[str], message: str) -> ValidationError:
    return ValidationError([{"loc": loc, "msg": message, "type": "value_error"}])


def _reader(request: HttpRequest) -> User | ApiKey:
    caller = caller_of(request)
    if caller is None:  # the router's auth let the request through, so this does not happen
        raise HttpError(401, "Credentials missing or invalid.")
    if isinstance(caller, ApiKey):
        scopes.scope_required(caller, scopes.HOUSEHOLDS_READ)
    return caller


def _registrar(request: HttpRequest) -> User:
    if isinstance(caller_of(request), ApiKey):
        raise HttpError(403, "API keys may not register households; a steward or coordinator does.")
    user = request.user
    if not isinstance(user, User) or user.role not in KEEPER_ROLES or not user.organisation_id:
        raise HttpError(403, "Your role may not register households.")
    return user


def _item(household: Household) -> HouseholdListItemOut:
    return HouseholdListItemOut(
        id=household.public_id,
        address=AddressOut.from_address(household.address),
        neighbourhood=household.neighbourhood.code if household.neighbourhood else None,
        created_at=household.created_at,
    )


def _detail(caller: User | ApiKey, household: Household) -> HouseholdOut:
    now = timezone.now()
    signals = household_timeline(caller, household)
    return HouseholdOut(
        **_item(household).model_dump(),
        timeline=[SignalListItemOut.from_signal(s, now=now) for s in signals[:MAX_TIMELINE]],
        timeline_truncated=len(signals) > MAX_TIMELINE,
    )


@router.get(
    "/households",
    response={200: HouseholdPageOut, **_errors(401, 403, 422)},
    summary="Households visible to the caller, filtered and paginated",
    description=(
        "Households of which you may see at least one signal (an API key with scope `households:read`: those "
        "where its organisation owns a signal). `count` counts visible households only. Newest first. Every "
        "household listed is written to the access log."
    ),
)
def household_list(request: HttpRequest, filters: Query[HouseholdListQuery]) -> dict[str, Any]:
    caller = _reader(request)
    postcode = ""
    if filters.postcode:
        try:
            postcode = normalise_postcode(filters.postcode)
        except AddressError as error:
            raise _field_error(["query", "postcode"], error.message) from None
    visible = households_filtered(
        households_visible_to_caller(caller), neighbourhood=filters.neighbourhood or "", postcode=postcode
    )
    total = visible.count()
    rows = list(
        visible.select_related("address", "neighbourhood").order_by("-created_at", "-pk")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    household_reads_record(
        households=rows, actor=Actor.from_request(request), context="api:household_list", now=timezone.now()
    )
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [_item(h) for h in rows]}


@router.get(
    "/households/{household_id}",
    response={200: HouseholdOut, **_errors(401, 403, 404)},
    summary="One household with its timeline",
    description=(
        "`household_id` is the household's public id (a UUID; integer ids answer 404). "
        f"The address and the signals about it that you may see, newest first (at most {MAX_TIMELINE}). 404 "
        "when it does not exist or you may see none of its signals (the two look the same). Every read is "
        "written to the access log."
    ),
)
def household_detail(request: HttpRequest, household_id: str) -> HouseholdOut:
    caller = _reader(request)
    try:
        public_id = UUID(household_id)
    except ValueError:
        raise Http404 from None  # an old integer id, or anything else that is no public id
    household = get_visible_or_404(
        households_visible_to_caller(caller).select_related("address", "neighbourhood"),
        public_id,
        actor=Actor.from_request(request),
        context="api:household_detail",
        subject_of=household_subject,
        lookup="public_id",
    )
    return _detail(caller, household)


@router.post(
    "/households",
    response={200: HouseholdOut, 201: HouseholdRegisteredOut, **_errors(400, 401, 403, 413, 422)},
    summary="The household at an address, registered when there is none yet",
    description=(
        "For stewards and coordinators (sessions only: no API key scope allows it). The address is normalised "
        "first, so `3511 ab` and `3511AB` give the same household.\n\n"
        "200 with the household as `GET /households/{id}` shows it, when you could already see it. 201 with "
        "only the normalised `address` otherwise (no id, whose value would tell a new household from an old "
        "one): for a new household, and equally for one that exists but of which you may see no signal, so "
        "the answer never tells that someone has reported about an address. Such a "
        "household stays invisible in `GET /households` until you may see one of its signals. Every call is "
        "written to the access log."
    ),
)
@decorate_view(body_limit(MAX_BODY_BYTES))
def household_create(request: HttpRequest, payload: HouseholdIn) -> Answered[HouseholdOut | HouseholdRegisteredOut]:
    user = _registrar(request)
    assert user.organisation is not None
    data = AddressInput(payload.postcode, payload.house_number, payload.house_letter, payload.house_number_addition)
    try:
        household, _created = household_register(
            data=data,
            municipality=user.organisation.municipality,
            actor=Actor.from_request(request),
            now=timezone.now(),
            context="api:household_create",
        )
    except AddressError as error:
        raise _field_error(["body", "payload", error.field], error.message) from None
    seen = households_visible_to(user).select_related("address", "neighbourhood").filter(pk=household.pk).first()
    if seen is None:
        return Answered(201, HouseholdRegisteredOut(address=AddressOut.from_address(household.address)))
    return Answered(200, _detail(user, seen))
