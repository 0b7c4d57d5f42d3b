"""Claim, transfer and close over the API. Thin: find the signal among those the caller may see, call the
service, map its errors (not visible → 404, already closed/claimed → 409, bad body → 422)."""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import model_validator

from waakvlam.core.errors import fields_named
from waakvlam.core.models import ApiKey, Team, User
from waakvlam.intake.models import Outcome, Signal
from waakvlam.intake.schemas import ErrorOut, SignalOut
from waakvlam.intake.selectors import caller_of, signal_full_text_visible, signals_visible_to_caller
from waakvlam.privacy.services import Actor
from waakvlam.routing.services import Caller, signal_claim, signal_close, signal_transfer

router = Router(tags=["signals"])

OutcomeCode = Literal["contact_made", "referred", "existing_support", "no_concern", "unreachable", "duplicate"]
assert set(OutcomeCode.__args__) == set(Outcome.values)  # type: ignore[attr-defined]


class TransferIn(Schema):
    team_id: int | None = Field(None, description="the team to hand the signal to; or give `username`")
    username: str | None = Field(None, max_length=150, description="the person to hand the signal to")
    reason: str = Field(..., min_length=1, max_length=500, description="why; required")

    @model_validator(mode="after")
    def one_target(self) -> TransferIn:
        if (self.team_id is None) == (self.username is None):
            raise ValueError("Give either team_id or username.")
        if not self.reason.strip():
            raise ValueError("reason must not be blank.")
        return self


class CloseIn(Schema):
    outcome: OutcomeCode
    note: str = Field("", max_length=500)


def _caller(request: HttpRequest) -> Caller:
    api_key = getattr(request, "api_key", None)
    return api_key if isinstance(api_key, ApiKey) else request.user  # type: ignore[return-value]


def _visible(request: HttpRequest) -> QuerySet[Signal]:
    return signals_visible_to_caller(request).select_related(
        "owner_team", "owner_team__organisation", "owner_user", "neighbourhood", "municipality"
    )


def _find(request: HttpRequest, signal_id: int) -> Signal:
    signal = _visible(request).filter(pk=signal_id).first()
    if signal is None:
        raise Http404
    return signal


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": message, "type": "value_error"}])


def _answer(request: HttpRequest, signal: Signal) -> SignalOut:
    """The signal as the action left it (also after a transfer the caller can no longer see: they made it,
    and get the masked text then); part of the action, so no second access-log entry."""
    fresh = Signal.objects.select_related(
        "address", "neighbourhood", "owner_team", "owner_team__organisation", "owner_user"
    ).get(pk=signal.pk)
    return SignalOut.from_signal(fresh, full_text=signal_full_text_visible(caller_of(request), fresh))


# 409: the signal is closed, or already someone else's (claim); listed so clients know to expect it.
_CONFLICT = {409: ErrorOut}


@router.post(
    "/signals/{signal_id}/claim",
    response={200: SignalOut, **_CONFLICT},
    summary="Take ownership of a signal (pick it up)",
)
def claim(request: HttpRequest, signal_id: int) -> SignalOut:
    signal = _find(request, signal_id)
    by = _caller(request)
    if not isinstance(by, User):
        raise HttpError(
            403, "Alleen een persoon kan een signaal oppakken; een API-sleutel kan overdragen of afsluiten."
        )
    done = signal_claim(
        signal=signal, by=by, now=timezone.now(), actor=Actor.from_request(request), context="api:signal_claim"
    )
    return _answer(request, done)


@router.post(
    "/signals/{signal_id}/transfer",
    response={200: SignalOut, **_CONFLICT},
    summary="Hand a signal to another team or person, with reason",
)
def transfer(request: HttpRequest, signal_id: int, payload: TransferIn) -> SignalOut:
    signal = _find(request, signal_id)
    to_team = to_user = None
    if payload.team_id is not None:
        to_team = Team.objects.filter(pk=payload.team_id, municipality_id=signal.municipality_id).first()
        if to_team is None:
            raise _field_error("team_id", "Onbekend team in deze gemeente.")
    else:
        to_user = User.objects.filter(
            username=payload.username, organisation__municipality_id=signal.municipality_id
        ).first()
        if to_user is None:
            raise _field_error("username", "Onbekende medewerker in deze gemeente.")
    with fields_named({"team": "team_id", "user": "username"}):
        done = signal_transfer(
            signal=signal,
            by=_caller(request),
            reason=payload.reason,
            to_team=to_team,
            to_user=to_user,
            now=timezone.now(),
            actor=Actor.from_request(request),
            context="api:signal_transfer",
        )
    return _answer(request, done)


@router.post(
    "/signals/{signal_id}/close", response={200: SignalOut, **_CONFLICT}, summary="Close a signal with an outcome"
)
def close(request: HttpRequest, signal_id: int, payload: CloseIn) -> SignalOut:
    signal = _find(request, signal_id)
    done = signal_close(
        signal=signal,
        by=_caller(request),
        outcome=payload.outcome,
        note=payload.note,
        now=timezone.now(),
        actor=Actor.from_request(request),
        context="api:signal_close",
    )
    return _answer(request, done)
