"""The case conference, task and area meeting API's bodies and answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from waakvlam.core.api_common import MAX_ID as MAX_ID


class ErrorOut(Schema):
    detail: str | list[dict[str, object]]


class ParticipantOut(Schema):
    id: int
    username: str
    organisation: str
    is_director: bool
    basis: str
    basis_note: str
    scopes: list[str]


class AgendaItemOut(Schema):
    category: str
    received_on: date
    source: str


class DecisionOut(Schema):
    id: int
    text: str
    decided_at: datetime


class TaskOut(Schema):
    id: UUID = Field(..., description="The task's public id")
    case_conference_id: UUID | None = Field(..., description="The case conference's public id")
    area_meeting_id: int | None
    title: str
    done_means: str
    owner_organisation: str
    owner_user: str | None
    due_on: date
    due_at: datetime
    overdue: bool
    status: str
    settled_at: datetime | None
    settle_note: str
    escalation_level: int
    next_step_at: datetime | None
    created_at: datetime


class TaskPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class CaseConferenceOut(Schema):
    id: UUID = Field(..., description="The case conference's public id")
    household_id: UUID = Field(..., description="The household's public id")
    address: str
    resident_id: UUID | None = Field(..., description="The resident's public id")
    organisation: str
    convened_by: str
    question: str
    meets_on: date
    resident_takes_part: bool
    network_takes_part: bool
    without_resident_reason: str
    status: str
    minutes: str
    created_at: datetime
    closed_at: datetime | None
    your_scopes: list[str]
    participants: list[ParticipantOut]
    decisions: list[DecisionOut]
    tasks: list[TaskOut]
    agenda: list[AgendaItemOut] | None = Field(None, description="Only with the `signals` scope")


class CaseConferenceListItemOut(Schema):
    id: UUID = Field(..., description="The case conference's public id")
    household_id: UUID = Field(..., description="The household's public id")
    address: str
    question: str
    meets_on: date
    status: str


class CaseConferencePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseConferenceListItemOut]


class CaseConferenceIn(Schema):
    household_id: UUID = Field(..., description="The household's public id")
    resident_id: UUID | None = Field(None, description="The public id of a resident of that household")
    question: str = Field(..., max_length=300)
    meets_on: date
    resident_takes_part: bool
    network_takes_part: bool
    without_resident_reason: str = Field("", max_length=300)


class ParticipantIn(Schema):
    username: str = Field(..., max_length=150)
    basis: str = Field(..., max_length=20, description="consent | legal_task")
    basis_note: str = Field("", max_length=200)
    scopes: list[str] = Field(
        default_factory=list, max_length=3, description="signals, contact_plan, early_warning_plan"
    )


class DecisionIn(Schema):
    text: str = Field(..., max_length=500)


class MinutesIn(Schema):
    minutes: str = Field(..., max_length=2000)


class TaskIn(Schema):
    case_conference_id: UUID | None = Field(None, description="The case conference's public id")
    area_meeting_id: int | None = Field(None, ge=1, le=MAX_ID)
    title: str = Field(..., max_length=200)
    done_means: str = Field(..., max_length=300)
    owner_organisation: str = Field(..., max_length=50, description="organisation slug")
    owner_user: str | None = Field(None, max_length=150, description="username")
    due_on: date


class DoneIn(Schema):
    note: str = Field("", max_length=300)


class DropIn(Schema):
    reason: str = Field(..., max_length=300)


class FiguresOut(Schema):
    conferences_open: int
    conferences_closed: int
    tasks_open: int
    tasks_overdue: int
    tasks_done: int
    tasks_dropped: int
    median_days_to_done: float | None
    median_days_case_open: float | None


class AreaMeetingOut(Schema):
    id: int
    neighbourhood: str
    topic: str
    meets_on: date
    status: str
    spike_explanation: str
    minutes: str
    tasks: list[TaskOut]


class AreaMeetingIn(Schema):
    neighbourhood: str = Field(..., max_length=20, description="CBS code BU…")
    topic: str = Field(..., max_length=300)
    meets_on: date
    spike_id: int | None = Field(None, ge=1, le=MAX_ID)
