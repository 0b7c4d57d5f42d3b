"""The API's edges every app's router shares: who is calling, ids and pages within bounds, a body-size
limit, and the error responses an operation declares. Each app's api.py stays thin on top of these."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import HttpError

from waakvlam.core.models import ApiKey, User
from waakvlam.core.pagination import PageQuery

# The largest id the database's bigint holds: a larger one in a path is a 404, never a 500.
MAX_ID = 2**63 - 1


class ErrorOut(Schema):
    """INTERFACE.md's error body: a message, or one entry per offending field."""

    detail: Any


ERRORS: dict[int, Any] = dict.fromkeys((401, 403, 404, 409, 422), ErrorOut)


def errors(*codes: int) -> dict[int, Any]:
    """The error responses an operation declares, for its `response=` (the OpenAPI document)."""
    return {code: ERRORS[code] for code in codes}


def api_key_of(request: HttpRequest) -> ApiKey | None:
    key = getattr(request, "api_key", None)
    return key if isinstance(key, ApiKey) else None


def user_of(request: HttpRequest) -> User:
    """The session's user (the API's auth let the request through, so there is one)."""
    user = request.user
    assert isinstance(user, User)
    return user


def person_of(request: HttpRequest, refusal: str) -> User:
    """Writes need a person: an API key gets 403 with `refusal`, no session 401 (a role without the right
    gets 404 from the service)."""
    if api_key_of(request) is not None:
        raise HttpError(403, refusal)
    user = request.user
    if not isinstance(user, User):
        raise HttpError(401, "Credentials missing or invalid.")
    return user


def check_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise HttpError(404, "Not found.")
    return value


class ListQuery(PageQuery):
    """A list's paging (bounds in core.pagination)."""


def page(qs: QuerySet[Any], query: PageQuery) -> tuple[int, list[Any]]:
    """The total and one page of rows."""
    return qs.count(), list(qs[query.offset : query.offset + query.limit])


def body_limit(max_bytes: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """413 before the body is read, so a huge body costs nothing (Django's own limit answers 400)."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_bytes:
                return JsonResponse({"detail": f"Request body too large: at most {max_bytes} bytes."}, status=413)
            return run(request, *args, **kwargs)

        return wrapped

    return decorator
