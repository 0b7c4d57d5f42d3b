from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.core.addresses import AddressError
from waakvlam.core.models import User
from waakvlam.core.net import client_address
from waakvlam.households.duplicates import duplicate_candidates, signal_merge
from waakvlam.intake import services
from waakvlam.intake.errors import IdempotencyKeyReused, NoMunicipality, SignalRefused
from waakvlam.intake.filter_forms import SignalFilterForm
from waakvlam.intake.forms import PublicSignalForm, SignalForm, TrackForm
from waakvlam.intake.idempotency import idempotent, request_hash
from waakvlam.intake.import_jobs import may_import
from waakvlam.intake.models import Signal, Status, TrackingStatus
from waakvlam.intake.ratelimit import rate_limit_hit
from waakvlam.intake.selectors import (
    SignalFilters,
    address_history,
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
    tracking_moment,
)
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor
from waakvlam.routing.errors import NotAllowed, RoutingError
from waakvlam.routing.rules import user_may_act
from waakvlam.routing.services import NoTeamForSignal

REPORTING_ROLES = frozenset({"signaller", "steward", "coordinator", "partner"})
_SESSION_DONE = "intake_done_tracking_code"
MAX_SAME_HOUSEHOLD = 10
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
    context = {"signal": signal, "events": events, "full_text": full_text, **_household_context(request, signal)}
    return render(request, "intake/signal_detail.html", context)


def _household_context(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    """The other signals at this address the viewer may see, and, for someone who may act on the signal,
    its likely duplicates (with the reasons) to merge."""
    user = request.user
    assert isinstance(user, User)
    visible = signals_visible_to(user)
    merged_into = visible.filter(pk=signal.merged_into_id).first() if signal.merged_into_id else None
    if signal.household_id is None:
        return {"same_household": [], "duplicates": [], "merged_into": merged_into}
    same_household = list(
        visible.filter(household_id=signal.household_id)
        .exclude(pk=signal.pk)
        .select_related("owner_team")
        .order_by("-received_at", "-pk")[:MAX_SAME_HOUSEHOLD]
    )
    duplicates = []
    if signal.status != Status.CLOSED and user_may_act(user, signal):
        duplicates = duplicate_candidates(signal, among=visible)
    return {
        "same_household": same_household,
        "duplicates": duplicates,
        "merged_into": merged_into,
        "history": address_history(visible, household_id=signal.household_id, exclude=signal.pk),
    }


@login_required
@require_POST
def signal_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a likely duplicate: `keep` says which of the two carries on ("this" or "other")."""
    user = request.user
    assert isinstance(user, User)
    visible = signals_visible_to(user)
    signal = visible.filter(pk=pk).first()
    other_id = request.POST.get("other", "")
    other = visible.filter(pk=int(other_id)).first() if other_id.isdigit() and len(other_id) < 18 else None
    if signal is None or not user_may_act(user, signal):
        raise Http404
    if other is None:
        messages.error(request, _("Kies het signaal waarmee je wilt samenvoegen."))
        return redirect("intake:signal_detail", pk=signal.pk)
    keep, duplicate = (other, signal) if request.POST.get("keep") == "other" else (signal, other)
    try:
        signal_merge(
            keep=keep,
            duplicate=duplicate,
            by=user,
            now=timezone.now(),
            actor=Actor.from_request(request),
            context="ui:signal_merge",
        )
    except NotAllowed:
        raise Http404 from None
    except RoutingError as error:
        messages.error(request, error.message)
        return redirect("intake:signal_detail", pk=signal.pk)
    messages.success(
        request,
        _("Samengevoegd: %(dup)s is afgesloten als dubbele melding, %(keep)s loopt door.")
        % {"dup": duplicate.tracking_code, "keep": keep.tracking_code},
    )
    return redirect("intake:signal_detail", pk=keep.pk)


# --- reporting ----------------------------------------------------------------------------------------------


def may_report(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.organisation_id and user.role in REPORTING_ROLES)


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
