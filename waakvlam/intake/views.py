from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waakvlam.core.addresses import AddressError
from waakvlam.core.models import User
from waakvlam.core.net import client_address
from waakvlam.core.roles import WORK_ROLES
from waakvlam.intake import services
from waakvlam.intake.errors import IdempotencyKeyReused, NoMunicipality, NoTeamForSignal, SignalRefused
from waakvlam.intake.filter_forms import SignalFilterForm
from waakvlam.intake.forms import PublicSignalForm, SignalForm, TrackForm
from waakvlam.intake.idempotency import idempotent, request_hash
from waakvlam.intake.models import Signal, TrackingStatus
from waakvlam.intake.ratelimit import rate_limit_hit
from waakvlam.intake.rules import may_import
from waakvlam.intake.selectors import (
    SignalFilters,
    signal_by_tracking_code,
    signal_full_text_visible,
    signal_subject,
    signals_filtered,
    signals_visible_to,
)
from waakvlam.intake.services import (
    Reporter,
    description_check,
    tracking_code_normalise,
)
from waakvlam.intake.signal_page import signal_page_context
from waakvlam.intake.tracking import tracking_moment
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor

_SESSION_DONE = "intake_done_tracking_code"
# Where a service error lands in the form (the service speaks of `address`, the form of postcode/number).
_FORM_FIELD = {"address": "postcode", "observed_at": None, "source_kind": None}


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    """Search and filter, as `GET /api/v1/signals` does: the form validates, the selector narrows."""
    user = request.user
    assert isinstance(user, User)
    params = request.GET.copy()
    params.pop("pagina", None)
    form = SignalFilterForm(params or None, user=user)
    chosen = form.filters() if form.is_bound and form.is_valid() else SignalFilters()
    visible = signals_filtered(signals_visible_to(user), chosen, now=timezone.now())
    visible = visible.select_related("neighbourhood", "owner_team", "owner_user")
    page = Paginator(visible.order_by("-received_at", "-pk"), 25).get_page(request.GET.get("pagina"))
    context = {"page": page, "form": form, "filtering": form.is_filtering(), "query": params.urlencode()}
    return render(request, "intake/signal_list.html", context)


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = signals_visible_to(request.user).select_related(  # type: ignore[arg-type]
        "address", "neighbourhood", "owner_team", "owner_user", "municipality"
    )
    signal = get_visible_or_404(
        visible, pk, actor=Actor.from_request(request), context="ui:signal_detail", subject_of=signal_subject
    )
    events = signal.events.select_related("team").all()
    full_text = signal_full_text_visible(request.user, signal)  # type: ignore[arg-type]
    user = request.user
    assert isinstance(user, User)
    # households adds the signals at the same address, likely duplicates and merging (signal_page.py)
    context = {"signal": signal, "events": events, "full_text": full_text, **signal_page_context(user, signal)}
    return render(request, "intake/signal_detail.html", context)


# --- reporting ----------------------------------------------------------------------------------------------


def may_report(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.organisation_id and user.role in WORK_ROLES)


@login_required
@require_http_methods(["GET", "POST"])
def signal_create(request: HttpRequest) -> HttpResponse:
    """The one-minute form for professionals."""
    if not may_report(request.user):
        raise PermissionDenied
    return _report(request, public=False)


@require_http_methods(["GET", "POST"])
def public_signal_create(request: HttpRequest) -> HttpResponse:
    """The public form: no account needed, anonymous allowed."""
    return _report(request, public=True)


def _report(request: HttpRequest, *, public: bool) -> HttpResponse:
    form_class = PublicSignalForm if public else SignalForm
    context: dict[str, Any] = {"public": public, "may_import": not public and may_import(request.user)}
    if request.method != "POST":
        return render(request, "intake/signal_form.html", {**context, "form": form_class()})
    form = form_class(request.POST)
    valid = form.is_valid()
    if request.POST.get("actie") == "aanpassen" or not valid:
        return render(request, "intake/signal_form.html", {**context, "form": form})
    now = timezone.now()
    if public:
        decision = rate_limit_hit(scope="public_signal", client=client_address(request), now=now)
        if not decision.allowed:
            form.add_error(None, _("Je hebt veel meldingen achter elkaar gedaan. Probeer het over een minuut opnieuw."))
            return render(request, "intake/signal_form.html", {**context, "form": form}, status=429)
    check = description_check(form.cleaned_data.get("description") or "")
    if check.findings and request.POST.get("bevestigd") != "1":
        return render(request, "intake/signal_confirm.html", {**context, "form": form, "check": check})
    try:
        code = _create_once(request, form, public=public)
    except (SignalRefused, AddressError) as error:
        field = _FORM_FIELD.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        return render(request, "intake/signal_form.html", {**context, "form": form})
    except (NoTeamForSignal, NoMunicipality):
        form.add_error(None, _("Melden lukt nu niet: er is nog geen team ingesteld. Probeer het later opnieuw."))
        return render(request, "intake/signal_form.html", {**context, "form": form}, status=503)
    request.session[_SESSION_DONE] = code
    return redirect("intake:public_create_done" if public else "intake:signal_create_done")


def _create_once(request: HttpRequest, form: SignalForm, *, public: bool) -> str:
    """Create the signal; a double click (the same hidden form id and the same answers) creates it once."""
    actor = Actor.from_request(request)
    if public:
        data = form.cleaned_data
        reporter = Reporter.for_public(
            name=data.get("name") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            may_contact=bool(data.get("may_contact")),
            actor=actor,
        )
        scope, context = "form:public", "ui:public_signal_create"
    else:
        user = request.user
        assert isinstance(user, User)
        reporter = Reporter.for_user(user, actor=actor)
        scope, context = f"form:user:{user.pk}", "ui:signal_create"

    def produce() -> tuple[int, dict[str, Any], Signal]:
        signal = services.signal_create(
            data=form.signal_input(), reporter=reporter, now=timezone.now(), context=context
        )
        return 201, {"tracking_code": signal.tracking_code}, signal

    hashed = request_hash(form.hashable())
    try:
        answer = idempotent(
            scope=scope, key=form.cleaned_data["form_id"], hashed=hashed, now=timezone.now(), produce=produce
        )
    except IdempotencyKeyReused:  # the same page sent again with other answers: that is a new report
        answer = idempotent(scope=scope, key=uuid.uuid4().hex, hashed=hashed, now=timezone.now(), produce=produce)
    return str(answer.body["tracking_code"])


def _done(request: HttpRequest, *, public: bool) -> HttpResponse:
    code = request.session.get(_SESSION_DONE)
    if not code:
        return redirect("intake:public_create" if public else "intake:signal_create")
    track_url = request.build_absolute_uri(reverse("intake:track_detail", kwargs={"code": code}))
    return render(request, "intake/signal_done.html", {"code": code, "track_url": track_url, "public": public})


@login_required
def signal_create_done(request: HttpRequest) -> HttpResponse:
    if not may_report(request.user):
        raise PermissionDenied
    return _done(request, public=False)


def public_create_done(request: HttpRequest) -> HttpResponse:
    return _done(request, public=True)


# --- following a report -------------------------------------------------------------------------------------

STEPS = TrackingStatus.choices


def track(request: HttpRequest) -> HttpResponse:
    """Enter a tracking code; a valid one goes to its page."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("intake:track_detail", code=form.cleaned_data["code"])
    return render(request, "intake/track_form.html", {"form": form})


def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The three steps and the date of the current one: never who, what, where or how it ended."""
    decision = rate_limit_hit(scope="track", client=client_address(request), now=timezone.now(), limit=60)
    if not decision.allowed:
        form = TrackForm(initial={"code": code})
        context = {"form": form, "message": _("Te veel pogingen. Probeer het over een minuut opnieuw.")}
        return render(request, "intake/track_form.html", context, status=429)
    signal = signal_by_tracking_code(tracking_code_normalise(code))
    if signal is None:
        form = TrackForm({"code": code})
        form.is_valid()
        form.add_error("code", _("Deze volgcode kennen we niet. Controleer de tekens en probeer het opnieuw."))
        return render(request, "intake/track_form.html", {"form": form}, status=404)
    status, moment = tracking_moment(signal)
    reached = [key for key, _label in STEPS][: [key for key, _label in STEPS].index(status) + 1]
    steps = [{"key": key, "label": label, "done": key in reached, "current": key == status} for key, label in STEPS]
    return render(request, "intake/track_detail.html", {"code": signal.tracking_code, "steps": steps, "moment": moment})
