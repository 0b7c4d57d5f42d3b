"""API shapes of contact plans, contact moments, early-warning plans and consents. Validation at the edge:
every string has a length limit and no NUL characters; numbers have bounds."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator

from waakvlam.contact.models import (
    MAX_NOTE,
    MAX_PLAN_TEXT,
    MAX_RHYTHM_DAYS,
    Basis,
    CallMoment,
    Channel,
    DataKind,
    Phase,
    PlanStatus,
    Wellbeing,
)
from waakvlam.core.api_common import MAX_ID as MAX_ID
from waakvlam.core.api_common import ErrorOut as ErrorOut


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text contains characters that are not valid Unicode.") from None
    return value


Text = Annotated[str, AfterValidator(_clean)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class AddressIn(Schema):
    postcode: Text = Field(..., max_length=10, description="Dutch postcode, e.g. `3511AB`.")
    house_number: Annotated[int, Field(ge=1, le=99999)] | Annotated[Text, Field(max_length=16)]
    house_letter: Text = Field("", max_length=2)
    house_number_addition: Text = Field("", max_length=8)


class NewResidentIn(Schema):
    name: Text = Field("", max_length=200, description="The resident's name; or give `description`.")
    description: Text = Field("", max_length=200, description="Recognisable by, e.g. 'oudere man, 2e verdieping'.")
    address: AddressIn | None = None


class ResidentOut(Schema):
    id: UUID = Field(..., description="The resident's public id (random; integer ids are not used).")
    name: str | None
    description: str
    address: str | None


class ContactPlanIn(Schema):
    resident_id: UUID | None = Field(None, description="The public id of a resident you may see; or give `resident`.")
    resident: NewResidentIn | None = Field(None, description="A new resident.")
    steward: Text | None = Field(None, max_length=150, description="Username of the steward; default: you.")
    backup: Text | None = Field(None, max_length=150, description="Username of the back-up.")
    rhythm_days: int = Field(14, ge=1, le=MAX_RHYTHM_DAYS, description="Contact at least every N days, e.g. 14 or 42.")
    starts_on: date | None = Field(None, description="Default: today.")
    ends_on: date | None = None
    basis: Basis = Field(..., description="`consent` (the resident agreed) or `legal_task`.")
    basis_note: Text = Field("", max_length=200)
    signal_id: Id | None = Field(None, description="The signal that started this contact (one you may see).")


class ContactPlanOut(Schema):
    id: UUID = Field(..., description="The contact plan's public id (random; integer ids are not used).")
    resident: ResidentOut
    organisation: str
    team: str | None
    steward: str
    backup: str | None
    rhythm_days: int
    starts_on: date
    ends_on: date | None
    basis: str
    basis_note: str
    basis_recorded_by: str | None
    basis_recorded_at: datetime
    status: PlanStatus
    signal_id: int | None
    last_contact_on: date | None
    next_contact_due: date
    failed_attempts: int
    overdue: bool
    escalated_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    may_change: bool


class PageOut(Schema):
    count: int
    limit: int
    offset: int


class ContactPlanPageOut(PageOut):
    items: list[ContactPlanOut]


class ContactIn(Schema):
    plan_id: UUID = Field(..., description="The contact plan's public id.")
    happened_on: date | None = Field(None, description="Default: today; never in the future.")
    channel: Channel
    made: bool = Field(..., description="Was there contact?")
    wellbeing: Wellbeing | None = Field(None, description="How it is going; required when `made` is true.")
    note: Text = Field("", max_length=MAX_NOTE, description="A short note, at most 500 characters. No diagnoses.")


class ContactOut(Schema):
    id: UUID = Field(..., description="The contact moment's public id (random; integer ids are not used).")
    plan_id: UUID = Field(..., description="The contact plan's public id.")
    happened_on: date
    channel: str
    made: bool
    wellbeing: str
    note: str
    recorded_by: str | None
    recorded_at: datetime


class ContactPageOut(PageOut):
    items: list[ContactOut]


class PhaseIn(Schema):
    signs: Text = Field("", max_length=MAX_PLAN_TEXT, description="The early signs of this phase.")
    resident_does: Text = Field("", max_length=MAX_PLAN_TEXT, description="What the resident does.")
    network_does: Text = Field("", max_length=MAX_PLAN_TEXT, description="What the network does.")
    professionals_do: Text = Field("", max_length=MAX_PLAN_TEXT, description="What professionals do.")


class PhaseOut(Schema):
    phase: Phase
    signs: str
    resident_does: str
    network_does: str
    professionals_do: str


class PersonIn(Schema):
    name: Text = Field(..., max_length=200)
    relation: Text = Field("", max_length=100)
    phone: Text = Field(..., max_length=40)
    call_when: CallMoment = CallMoment.ORANGE
    consent_given: bool = Field(..., description="Must be true: only people who know and agree.")


class PersonOut(Schema):
    name: str
    relation: str
    phone: str
    call_when: str


class EarlyWarningPlanIn(Schema):
    resident_id: UUID = Field(..., description="The resident's public id (random; integer ids are not used).")
    strengths: Text = Field("", max_length=MAX_PLAN_TEXT)
    green: PhaseIn | None = None
    orange: PhaseIn | None = None
    red: PhaseIn | None = None
    people: list[PersonIn] = Field(default_factory=list, max_length=10)
    agreed_on: date | None = None


class EarlyWarningPlanOut(Schema):
    id: UUID = Field(..., description="The early-warning plan's public id (random; integer ids are not used).")
    resident_id: UUID = Field(..., description="The resident's public id (random; integer ids are not used).")
    strengths: str
    phases: list[PhaseOut]
    people: list[PersonOut]
    agreed_on: date | None
    updated_at: datetime


class EarlyWarningPlanPageOut(PageOut):
    items: list[EarlyWarningPlanOut]


class ConsentIn(Schema):
    resident_id: UUID = Field(..., description="The resident's public id (random; integer ids are not used).")
    organisation: Text = Field(..., max_length=50, description="The organisation's slug, e.g. `ggz-kompas`.")
    data_kind: DataKind
    purpose: Text = Field(..., min_length=1, max_length=200)
    valid_from: date | None = Field(None, description="Default: today.")
    valid_until: date = Field(..., description="End or review date: required, at most 365 days after valid_from.")


class RevokeIn(Schema):
    reason: Text = Field("", max_length=200)


class ConsentOut(Schema):
    id: UUID = Field(..., description="The consent's public id (random; integer ids are not used).")
    resident_id: UUID = Field(..., description="The resident's public id (random; integer ids are not used).")
    organisation: str
    data_kind: str
    purpose: str
    valid_from: date
    valid_until: date
    recorded_by: str
    recorded_at: datetime
    revoked_at: datetime | None
    active: bool


class ConsentPageOut(PageOut):
    items: list[ConsentOut]
