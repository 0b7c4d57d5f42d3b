"""What the case conference, task and area meeting endpoints share: the caller (people only) and the task's
answer. Domain errors are answered by their kind (core/errors.py, config/api.py)."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

from waakvlam.cases import selectors
from waakvlam.cases.models import CaseConference, Task
from waakvlam.cases.schemas import (
    MAX_ID,
    ErrorOut,
    TaskOut,
)
from waakvlam.core import scopes
from waakvlam.core.api_common import person_of
from waakvlam.core.models import ApiKey, User

M = TypeVar("M")
ERR: dict[int, Any] = dict.fromkeys((401, 403, 404, 409, 422), ErrorOut)


def errors(*codes: int) -> dict[int, Any]:
    return {code: ERR[code] for code in codes}


def person(request: HttpRequest) -> User:
    return person_of(request, "Only people change case conferences and tasks; an API key may only read them.")


def reader(request: HttpRequest, scope: str) -> User | ApiKey:
    """A person, or a partner system's key that holds `scope` (read-only: every change is a person's)."""
    api_key = getattr(request, "api_key", None)
    if isinstance(api_key, ApiKey):
        scopes.scope_required(api_key, scope)
        return api_key
    return person(request)


def check_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise HttpError(404, "Not found.")
    return value


def check_public_id(value: str | UUID) -> UUID:
    """A path parameter naming a case conference or task by its public id; an old integer id, or anything else
    that is no UUID, answers 404 as an object that does not exist (ADR 0009)."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(value)
    except ValueError:
        raise HttpError(404, "Not found.") from None


def task_out(task: Task, today: Any) -> TaskOut:
    """The task's answer; `task.conference` must be fetched with it (its public id names the case)."""
    return TaskOut(
        id=task.public_id,
        case_conference_id=task.conference.public_id if task.conference_id else None,  # type: ignore[union-attr]
        area_meeting_id=task.area_meeting_id,
        title=task.title,
        done_means=task.done_means,
        owner_organisation=task.owner_organisation.slug,
        owner_user=task.owner_user.get_username() if task.owner_user else None,
        due_on=task.due_on,
        due_at=task.due_at,
        overdue=task.is_open and task.due_on < today,
        status=task.status,
        settled_at=task.settled_at,
        settle_note=task.settle_note,
        escalation_level=task.escalation_level,
        next_step_at=task.next_step_at,
        created_at=task.created_at,
    )


class ListQuery(Schema):
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)
    status: str | None = Field(None, pattern="^(open|closed|done|dropped)$")


def managed_conference(user: User, public_id: str | UUID) -> CaseConference:
    conference = (
        selectors.conferences_managed_by(user)
        .select_related("household")
        .filter(public_id=check_public_id(public_id))
        .first()
    )
    if conference is None:
        raise HttpError(404, "Not found.")
    return conference
