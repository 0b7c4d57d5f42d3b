"""The API's input and output shapes for signals. Validation at the edge: every string has a length limit
and no control characters, so nothing a client sends reaches the database in a form it would refuse."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

from waakvlam.intake.codes import CATEGORY_CODES, URGENCY_CODES
from waakvlam.intake.errors import unknown_category_message, unknown_urgency_message
from waakvlam.intake.models import Category, Signal, Status, Urgency

VEILIG_THUIS_NOTE = (
    "Domestic violence and child abuse are not taken in: report them to Veilig Thuis (0800-2000). "
    "Acute danger is refused with a 422: call 112."
)


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text contains characters that are not valid Unicode.") from None
    return value


Text = Annotated[str, AfterValidator(_clean)]


class AddressIn(Schema):
    postcode: Text = Field(..., max_length=10, description="Dutch postcode, e.g. `3511AB`; spaces and case tolerated.")
    house_number: Annotated[int, Field(ge=1, le=99999)] | Annotated[Text, Field(max_length=16)] = Field(
        ..., description="House number, e.g. `12`; `12A` or `12-2` is read as number with letter/addition."
    )
    house_letter: Text = Field("", max_length=2, description="Optional letter, e.g. `A`.")
    house_number_addition: Text = Field("", max_length=8, description="Optional addition, e.g. `bis` or `2`.")


class SignalIn(Schema):
    category: Category = Field(..., description="A code from `GET /api/v1/categories`. " + VEILIG_THUIS_NOTE)
    urgency: Urgency = Field(
        Urgency.NORMAL,
        description=(
            "`normal` (shown as Normaal / Normal: within a few working days) or `high` (shown as Urgent: the same "
            "day). Acute danger is not handled here: call 112."
        ),
    )
    description: Text = Field("", max_length=5000, description="What was seen, at most 5,000 characters.")
    address: AddressIn | None = Field(None, description="The address; give this or `location_text`.")
    location_text: Text = Field("", max_length=200, description="A place without an address, e.g. a park.")
    observed_at: datetime | None = Field(None, description="When it was seen (ISO 8601); not in the future.")
    external_id: Text = Field(
        "", max_length=100, description="Your own reference; unique per organisation (a repeat is a 409)."
    )

    @field_validator("category", mode="before")
    @classmethod
    def _known_category(cls, value: Any) -> Any:
        if value not in CATEGORY_CODES:
            raise ValueError(unknown_category_message(value))
        return value

    @field_validator("urgency", mode="before")
    @classmethod
    def _known_urgency(cls, value: Any) -> Any:
        if value not in URGENCY_CODES:
            raise ValueError(unknown_urgency_message(value))
        return value

    @field_validator("observed_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class ReporterIn(Schema):
    name: Text = Field("", max_length=200)
    phone: Text = Field("", max_length=40)
    email: Text = Field(
        "", max_length=254, description="Receives the three status e-mails (received, picked up, closed)."
    )
    may_contact: bool = Field(
        False, description="Whether the team may contact the reporter (name and phone are kept only then)."
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Not a valid e-mail address.") from None
        return value


class PublicSignalIn(SignalIn):
    external_id: Text = Field("", max_length=0, description="Not used on the public endpoint.")
    reporter: ReporterIn | None = None


class SignalCreatedOut(Schema):
    id: int
    tracking_code: str
    status: str
    owner: str = Field(..., description="The owning team (or person) the signal was routed to.")
    due_at: datetime = Field(..., description="When it must be picked up at the latest.")
    privacy_warnings: list[str] = Field(
        ...,
        description="Personal data of others the free-text check found in `description` (names, phone numbers, "
        "BSNs, e-mail addresses). Only the owning team sees the text as sent; everyone else a masked copy.",
    )
    privacy_flags: list[str] = Field(
        default_factory=list, description="The same, as codes: `name`, `phone`, `bsn`, `email`."
    )


class PublicSignalCreatedOut(Schema):
    tracking_code: str = Field(..., description="Follow the report at /volgen/<tracking_code>/ or GET /api/v1/track/.")


class TrackOut(Schema):
    status: Literal["received", "picked_up", "closed"]
    updated_at: datetime = Field(..., description="When the signal reached this status.")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] = Field(..., description="One entry per offending field: `loc`, `msg`, `type`.")


class SignalEventOut(Schema):
    at: datetime
    kind: str
    note: str


class ReporterOut(Schema):
    name: str
    phone: str
    email: str


class SignalListItemOut(Schema):
    id: int
    tracking_code: str
    category: str
    urgency: str
    status: str
    neighbourhood: str | None = Field(..., description="CBS neighbourhood code (BU…), if known.")
    owner: str
    owner_team_id: int
    received_at: datetime
    due_at: datetime
    overdue: bool

    @staticmethod
    def from_signal(signal: Signal, *, now: datetime) -> SignalListItemOut:
        """Loads neighbourhood, owner_team and owner_user: select them along."""
        return SignalListItemOut(
            id=signal.pk,
            tracking_code=signal.tracking_code,
            category=signal.category,
            urgency=signal.urgency,
            status=signal.status,
            neighbourhood=signal.neighbourhood.code if signal.neighbourhood else None,
            owner=signal.owner_user.get_username() if signal.owner_user else signal.owner_team.name,
            owner_team_id=signal.owner_team_id,
            received_at=signal.received_at,
            due_at=signal.due_at,
            overdue=signal.picked_up_at is None and signal.status != Status.CLOSED and signal.due_at < now,
        )


class SignalPageOut(Schema):
    count: int = Field(..., description="How many signals match, counting only those visible to you.")
    limit: int
    offset: int
    items: list[SignalListItemOut]


class SignalOut(Schema):
    id: int
    tracking_code: str
    category: str
    urgency: str
    status: str
    outcome: str
    description: str = Field(..., description="As sent for the owning team; masked for anyone else.")
    description_masked: bool
    privacy_flags: list[str]
    address: str | None
    location_text: str
    neighbourhood: str | None
    owner: str
    due_at: datetime
    received_at: datetime
    escalation_level: int
    reporter: ReporterOut | None = Field(
        ..., description="A public reporter's contact details, only when they allowed contact."
    )
    history: list[SignalEventOut]

    @staticmethod
    def from_signal(signal: Signal, *, full_text: bool = True) -> SignalOut:
        """`full_text`: the caller belongs to the owning team (or is its organisation's coordinator or API
        key) and sees the description and the reporter's contact details as given; others get the masked text."""
        reporter = None
        if full_text and signal.reporter_may_contact:
            reporter = ReporterOut(
                name=signal.reporter_name or "", phone=signal.reporter_phone or "", email=signal.reporter_email or ""
            )
        return SignalOut(
            id=signal.pk,
            tracking_code=signal.tracking_code,
            category=signal.category,
            urgency=signal.urgency,
            status=signal.status,
            outcome=signal.outcome,
            description=signal.description if full_text else signal.description_masked,
            description_masked=not full_text and signal.description != signal.description_masked,
            privacy_flags=list(signal.privacy_flags or []),
            address=str(signal.address) if signal.address_id and signal.address else None,
            location_text=signal.location_text,
            neighbourhood=signal.neighbourhood.code if signal.neighbourhood else None,
            owner=signal.owner_user.get_username() if signal.owner_user else signal.owner_team.name,
            due_at=signal.due_at,
            received_at=signal.received_at,
            escalation_level=signal.escalation_level,
            reporter=reporter,
            history=[SignalEventOut(at=e.at, kind=e.kind, note=e.note) for e in signal.events.all()],
        )
