"""One error vocabulary, mapped once: each app's errors are of a kind in core/errors.py, and that kind alone
decides the API's status and body (INTERFACE.md: {"detail": …}, one entry per field) and where a view shows it.

The end-to-end answers are held by each app's API tests; this pins the mapping itself, kind by kind."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from waakvlam.administration.services import AdminInvalid, AdminNotAllowed
from waakvlam.attention.services import InvalidDecision, ItemAlreadyDecided
from waakvlam.cases import errors as cases
from waakvlam.contact import errors as contact
from waakvlam.core.errors import (
    NOT_FOUND,
    DomainError,
    Invalid,
    api_answer,
    fields_named,
    form_attempt,
    form_errors_add,
)
from waakvlam.core.middleware import DomainErrorMiddleware
from waakvlam.intake import errors as intake
from waakvlam.network.services import NetworkError
from waakvlam.network.services import NotAllowed as NetworkNotAllowed
from waakvlam.routing import errors as routing
from waakvlam.socialmap import errors as socialmap


def _entry(*loc: str, msg: str) -> dict[str, Any]:
    return {"loc": ["body", "payload", *loc], "msg": msg, "type": "value_error"}


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        # may not see: 404 that never says more (except where the social map always told why)
        (contact.NotAllowed(), 404, NOT_FOUND),
        (cases.NotAllowed(), 404, NOT_FOUND),
        (routing.NotAllowed(), 404, NOT_FOUND),
        (NetworkNotAllowed(), 404, NOT_FOUND),
        (AdminNotAllowed(), 404, NOT_FOUND),
        (socialmap.NotAllowed(), 404, NOT_FOUND),
        (socialmap.NotAllowed("Alleen een waakvlammer verwijst."), 404, "Alleen een waakvlammer verwijst."),
        # sees it, may not do this: 403 with the reason
        (routing.ScopeMissing(), 403, routing.ScopeMissing.message),
        (contact.NotResponsible(), 403, contact.NotResponsible.message),
        # the state does not allow it: 409
        (routing.SignalAlreadyClosed(), 409, "Dit signaal is al afgesloten."),
        (routing.SignalAlreadyClaimed(), 409, "Dit signaal is al opgepakt."),
        (routing.FallbackRequired(), 409, routing.FallbackRequired.message),
        (contact.Conflict("Al afgesloten."), 409, "Al afgesloten."),
        (contact.ChecklistIncomplete(["huisarts"]), 409, contact.ChecklistIncomplete(["huisarts"]).message),
        (cases.TasksUnsettled(["bellen"]), 409, cases.TasksUnsettled(["bellen"]).message),
        (socialmap.Conflict("Geen plaats."), 409, "Geen plaats."),
        (ItemAlreadyDecided("Al opgepakt."), 409, "Al opgepakt."),
        (intake.ExternalIdConflict(), 409, intake.ExternalIdConflict.message),
        (intake.IdempotencyKeyReused(), 409, intake.IdempotencyKeyReused.message),
        # nothing can be taken in yet: 503 with the operator's hint, not the internal reason
        (intake.NoMunicipality(), 503, intake.NOT_TAKEN_IN),
        (intake.NoTeamForSignal("Municipality 3 has no team."), 503, intake.NOT_TAKEN_IN),
    ],
)
def test_each_kind_answers_its_status_and_detail(error: DomainError, status: int, detail: str) -> None:
    assert api_answer(error) == (status, {"detail": detail})


@pytest.mark.parametrize(
    ("error", "entries"),
    [
        (contact.InvalidInput({"resident.address.postcode": "Onbekend."}), [_entry("resident", "address", "postcode", msg="Onbekend.")]),
        (cases.InvalidInput({"title": "Vul dit in.", "due_on": "Te vroeg."}), [_entry("title", msg="Vul dit in."), _entry("due_on", msg="Te vroeg.")]),
        (routing.InvalidAction({"reason": "Geef een reden."}), [_entry("reason", msg="Geef een reden.")]),
        (intake.SignalRefused("address.house_number", "Onbekend."), [_entry("address", "house_number", msg="Onbekend.")]),
        (InvalidDecision("Kies.", field="how"), [_entry("how", msg="Kies.")]),
        (InvalidDecision("Dit kan niet."), [_entry(msg="Dit kan niet.")]),
        (socialmap.InvalidInput("Ten hoogste 300 tekens.", "reason"), [_entry("reason", msg="Ten hoogste 300 tekens.")]),
        (socialmap.InvalidInput("Niet beschikbaar."), [_entry("body", msg="Niet beschikbaar.")]),
        (NetworkError({"kind": "Kies de soort steun."}), [_entry("kind", msg="Kies de soort steun.")]),
        (AdminInvalid({"email": "Bestaat al."}), [_entry("email", msg="Bestaat al.")]),
    ],
)  # fmt: skip
def test_bad_input_answers_422_with_one_entry_per_field(error: Invalid, entries: list[dict[str, Any]]) -> None:
    assert api_answer(error) == (422, {"detail": entries})


def test_the_app_errors_keep_their_own_names_and_attributes() -> None:
    refused = intake.SignalRefused("category", "Onbekende categorie.")
    assert (refused.field, refused.message, refused.errors) == (
        "category",
        "Onbekende categorie.",
        {"category": "Onbekende categorie."},
    )
    referral = socialmap.InvalidInput("Geef een reden.", "reason")
    assert (referral.field, referral.message) == ("reason", "Geef een reden.")
    assert isinstance(contact.ChecklistIncomplete(["x"]), contact.Conflict)
    assert isinstance(routing.ScopeMissing(), routing.NotAllowed)
    assert contact.NotAllowed().message == "Niet gevonden."  # what a page shows
    assert str(routing.SignalAlreadyClosed()) == "Dit signaal is al afgesloten."
    assert InvalidDecision("Kies.", field="how").field == "how"  # fmt: skip


def test_fields_named_gives_the_api_names_of_the_fields() -> None:
    with pytest.raises(Invalid) as raised, fields_named({"team": "team_id"}):
        raise routing.InvalidAction({"team": "Onbekend team.", "reason": "Geef een reden."})
    assert raised.value.errors == {"team_id": "Onbekend team.", "reason": "Geef een reden."}
    with pytest.raises(routing.SignalAlreadyClosed), fields_named({"team": "team_id"}):
        raise routing.SignalAlreadyClosed  # other kinds pass through untouched


class _Form(forms.Form):
    reason = forms.CharField()


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def test_form_errors_go_on_their_field_and_the_rest_on_the_form() -> None:
    form = _Form({"reason": "x"})
    assert form.is_valid()
    form_errors_add(form, routing.InvalidAction({"reason": "Te kort.", "team": "Onbekend team."}))
    assert form.errors == {"reason": ["Te kort."], "__all__": ["Onbekend team."]}
    other = _Form({"reason": "x"})
    assert other.is_valid()
    form_errors_add(other, cases.InvalidInput({"titel": "Vul dit in."}), names={"titel": "reason"})
    assert other.errors == {"reason": ["Vul dit in."]}


def test_form_attempt_answers_404_for_what_may_not_be_seen() -> None:
    with pytest.raises(Http404), form_attempt(_request(), _Form()):
        raise contact.NotAllowed


def test_form_attempt_puts_bad_input_on_the_form_and_refusals_in_the_messages() -> None:
    request, form = _request(), _Form({"reason": "x"})
    assert form.is_valid()
    with form_attempt(request, form) as attempt:
        raise routing.InvalidAction({"reason": "Te kort."})
    assert (attempt.ok, attempt.invalid, form.errors) == (False, True, {"reason": ["Te kort."]})
    with form_attempt(request, form) as attempt:
        raise routing.SignalAlreadyClaimed
    assert (attempt.ok, attempt.invalid) == (False, False)
    assert [str(m) for m in get_messages(request)] == ["Dit signaal is al opgepakt."]
    with form_attempt(request, form) as attempt:
        pass
    assert attempt.ok


def test_other_exceptions_are_not_swallowed() -> None:
    with pytest.raises(KeyError), form_attempt(_request()):
        raise KeyError("not a domain error")


# --- the views' one answer to what they let through (core/middleware.py DomainErrorMiddleware) ---------------


def _refused(error: DomainError, method: str = "post", referer: str = "") -> Any:
    request = getattr(RequestFactory(), method)("/taken/7/afronden/", HTTP_REFERER=referer) if referer else None
    request = request or getattr(RequestFactory(), method)("/taken/7/afronden/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request, DomainErrorMiddleware(lambda r: HttpResponse()).process_exception(request, error)


@pytest.mark.parametrize("error", [contact.NotAllowed(), cases.NotAllowed(), routing.NotAllowed()])
def test_a_view_that_lets_not_found_through_answers_the_404_page(error: DomainError) -> None:
    with pytest.raises(Http404):
        _refused(error)


def test_a_view_that_lets_forbidden_through_answers_403_with_the_message() -> None:
    with pytest.raises(PermissionDenied, match="verantwoordelijk"):
        _refused(contact.NotResponsible("Je bent niet verantwoordelijk voor deze bewoner."))


@pytest.mark.parametrize(
    ("method", "referer", "back"),
    [
        ("post", "http://testserver/taken/7/", "http://testserver/taken/7/"),  # the page the form was on
        ("post", "https://elders.example/", "/taken/7/afronden/"),  # never back to another site
        ("post", "", "/taken/7/afronden/"),
        ("get", "", "/"),  # a GET never redirects to itself
    ],
)
def test_any_other_refusal_is_a_message_and_a_redirect_back(method: str, referer: str, back: str) -> None:
    request, response = _refused(cases.Conflict("Deze taak is al afgerond."), method, referer)
    assert (response.status_code, response["Location"]) == (302, back)
    assert [str(m) for m in get_messages(request)] == ["Deze taak is al afgerond."]


def test_the_api_and_other_exceptions_are_left_to_their_own_handlers() -> None:
    middleware = DomainErrorMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(RequestFactory().post("/api/v1/signals"), cases.Conflict()) is None
    assert middleware.process_exception(RequestFactory().post("/taken/7/"), KeyError("x")) is None
