"""Errors, once: the domain's error vocabulary, its one mapping to an API answer (INTERFACE.md's
{"detail": …}), its one mapping onto a form, and the error pages.

Services raise a subclass of `DomainError` (each app keeps its own names, deriving from the kinds here);
`config/api.py` answers every one of them through `api_answer`; views run a service call inside
`form_attempt`, which puts the error on the form or the page, and whatever a view lets through is answered
by `view_refusal` (core/middleware.py's DomainErrorMiddleware). So a status code is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

NOT_FOUND = "Not found."
# Where a field named by a service sits in the API's request (pydantic's `loc`).
BODY = ("body", "payload")


class DomainError(Exception):
    """A service refuses: `message` is fit to show to the user; `status` is the API's answer."""

    status: ClassVar[int] = 422
    message = "Dit kan niet."

    def __init__(self, message: str = "") -> None:
        self.message = str(message or type(self).message)
        super().__init__(self.message)

    def detail(self) -> str:
        """The API's `detail`: the message, unless a kind must say less."""
        return self.message


class Forbidden(DomainError):
    """The caller sees the object but may not do this: 403."""

    status = 403


class NotFound(DomainError):
    """The caller may not see the object (or it does not exist; the two look the same): 404."""

    status = 404
    message = "Niet gevonden."

    def detail(self) -> str:
        return NOT_FOUND


class Conflict(DomainError):
    """The object is in a state where this cannot happen (closed, taken, already decided): 409."""

    status = 409


class Invalid(DomainError):
    """Bad input per field (field name → message; a dotted name is a nested field; "" the input as a
    whole): 422 with one entry per field in the API, field errors on a form."""

    status = 422

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = {field: str(message) for field, message in errors.items()}
        super().__init__(" ".join(self.errors.values()))

    def renamed(self, names: Mapping[str, str]) -> Invalid:
        """The same errors under the API's names for the fields (the form's `team` is the API's `team_id`)."""
        return Invalid({names.get(field, field): message for field, message in self.errors.items()})


class Unavailable(DomainError):
    """The installation cannot do this yet (an operator must set something up): 503."""

    status = 503


# --- the API -------------------------------------------------------------------------------------------------


def field_entries(errors: Mapping[str, str], prefix: tuple[str, ...] = BODY) -> list[dict[str, Any]]:
    """pydantic-style entries, one per field, as ninja's own 422 answers carry them."""
    return [
        {"loc": [*prefix, *(field.split(".") if field else [])], "msg": message, "type": "value_error"}
        for field, message in errors.items()
    ]


@contextmanager
def fields_named(names: Mapping[str, str]) -> Iterator[None]:
    """Inside, bad input names its fields as the API's request does (a service's `team` is the API's
    `team_id`)."""
    try:
        yield
    except Invalid as error:
        raise error.renamed(names) from None


def api_answer(error: DomainError) -> tuple[int, dict[str, Any]]:
    """The one mapping of a domain error to an API answer: (status, body)."""
    if isinstance(error, Invalid):
        return error.status, {"detail": field_entries(error.errors)}
    return error.status, {"detail": error.detail()}


# --- the views -----------------------------------------------------------------------------------------------


@dataclass
class Attempt:
    """What a service call inside `form_attempt` came to: `error` is None when it went through."""

    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def invalid(self) -> bool:
        return isinstance(self.error, Invalid)


def form_errors_add(form: forms.BaseForm, error: DomainError, names: Mapping[str, str] | None = None) -> None:
    """A domain error onto a form: each field's message on that field (named as the form names it, through
    `names`) when the form has it, the rest on the form as a whole."""
    errors = error.errors if isinstance(error, Invalid) else {"": error.message}
    for field, message in errors.items():
        name = (names or {}).get(field, field)
        form.add_error(name if name in form.fields else None, message)


@contextmanager
def form_attempt(request: HttpRequest, form: forms.BaseForm | None = None) -> Iterator[Attempt]:
    """Run a view's service call: a `NotFound` answers 404; bad input goes onto the form (or, without a form,
    into the page's messages); any other refusal into the page's messages. Look at the `Attempt` after."""
    attempt = Attempt()
    try:
        yield attempt
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        attempt.error = error
        if form is not None and isinstance(error, Invalid):
            form_errors_add(form, error)
        else:
            messages.error(request, error.message)


def view_refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The one mapping of a domain error a view lets through to a page: `NotFound` is the 404 page,
    `Forbidden` the 403 page (Django's own handlers render both); any other refusal is a message on the
    page the user came from. A view whose refusal has a flow of its own (the form again, another page)
    catches it itself, through `form_attempt` where it can."""
    if isinstance(error, NotFound):
        raise Http404 from error
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message) from error
    messages.error(request, error.message)
    return HttpResponseRedirect(_back(request))


def _back(request: HttpRequest) -> str:
    """The page the user came from when it is ours; else the form's own page (a POST), or the start page
    (a GET, which must not redirect to itself)."""
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if referer and ours and not (request.method == "GET" and referer == request.build_absolute_uri()):
        return referer
    return request.get_full_path() if request.method == "POST" else reverse("core:home")


# --- error pages -----------------------------------------------------------------------------------------------


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
    return render(request, "core/500.html", status=500)
