"""Area meetings and spikes: no personal data on any of these pages (only a neighbourhood, a category and
counts), so nothing here is about a resident; the access log still records who opened which meeting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.cases import selectors
from waakvlam.cases.area import AreaMeetingInput, area_meeting_close, area_meeting_convene, area_minutes_save
from waakvlam.cases.errors import CaseError, InvalidInput
from waakvlam.cases.forms import AreaMeetingForm, MinutesForm, TaskForm, workers_of
from waakvlam.cases.models import AreaMeeting, Spike
from waakvlam.cases.spike import spike_explanation
from waakvlam.cases.tasks import TaskInput, task_create
from waakvlam.core.errors import form_attempt, form_errors_add
from waakvlam.core.models import Neighbourhood, Organisation, User
from waakvlam.core.roles import WORK_ROLES
from waakvlam.intake.models import Category
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.organisation_id:
        raise Http404
    return user


def _area_user(request: HttpRequest) -> User:
    user = _user(request)
    if user.role not in selectors.AREA_ROLES:
        raise Http404
    return user


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in selectors.AREA_ROLES | WORK_ROLES:
        raise Http404
    meetings = selectors.area_meetings_visible_to(user).select_related("neighbourhood")[:100]
    spikes = []
    if user.role in selectors.AREA_ROLES:
        rows = Spike.objects.filter(municipality_id=user.municipality_id).select_related("neighbourhood")[:20]
        spikes = [{"spike": s, "explanation": spike_explanation(s, s.neighbourhood.name)} for s in rows]
    return render(request, "cases/area_list.html", {"meetings": meetings, "spikes": spikes})


@login_required
def spike_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _area_user(request)
    spike = Spike.objects.filter(municipality_id=user.municipality_id, pk=pk).select_related("neighbourhood").first()
    if spike is None:
        raise Http404
    context = {
        "spike": spike,
        "explanation": spike_explanation(spike, spike.neighbourhood.name),
        "meetings": spike.meetings.all(),
    }
    return render(request, "cases/spike_detail.html", context)


@login_required
def area_create(request: HttpRequest) -> HttpResponse:
    user = _area_user(request)
    hoods = Neighbourhood.objects.filter(municipality_id=user.municipality_id).order_by("name")
    spike = Spike.objects.filter(municipality_id=user.municipality_id, pk=_int(request.GET.get("spike"))).first()
    initial: dict[str, Any] = {"meets_on": timezone.localdate()}
    if spike is not None:
        initial["neighbourhood"] = spike.neighbourhood_id
        label = Category(spike.category).label if spike.category in Category.values else spike.category
        initial["topic"] = _("Piek in signalen: %(category)s") % {"category": label}
    form = AreaMeetingForm(request.POST or None, neighbourhoods=hoods, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_attempt(request, form) as attempt:
            meeting = area_meeting_convene(
                data=AreaMeetingInput(d["neighbourhood"], d["topic"], d["meets_on"], spike=spike),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        if attempt.ok:
            return redirect("cases:area_detail", pk=meeting.pk)
    return render(request, "cases/area_form.html", {"form": form, "spike": spike})


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _task_form(meeting: AreaMeeting, data: Any = None) -> TaskForm:
    return TaskForm(
        data,
        organisations=Organisation.objects.filter(municipality_id=meeting.municipality_id).order_by("name"),
        people=workers_of(meeting.municipality_id),
    )


def _detail(request: HttpRequest, meeting: AreaMeeting, user: User, status: int = 200, **extra: Any) -> HttpResponse:
    manage = meeting.status == "open" and selectors.area_meetings_managed_by(user).filter(pk=meeting.pk).exists()
    context: dict[str, Any] = {
        "meeting": meeting,
        "tasks": meeting.tasks.select_related("owner_organisation", "owner_user"),
        "manage": manage,
        "task_form": _task_form(meeting),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "explanation": spike_explanation(meeting.spike, meeting.neighbourhood.name) if meeting.spike else "",
        "today": timezone.localdate(),
    }
    context.update(extra)
    return render(request, "cases/area_detail.html", context, status=status)


def _fetch(request: HttpRequest, user: User, pk: int, context: str) -> AreaMeeting:
    visible = selectors.area_meetings_visible_to(user).select_related("neighbourhood", "spike", "organisation")
    return get_visible_or_404(visible, pk, actor=Actor.from_request(request), context=context)


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _detail(request, _fetch(request, user, pk, "ui:area_detail"), user)


def _managed(user: User, pk: int) -> AreaMeeting:
    meeting = selectors.area_meetings_managed_by(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_POST
def area_task(request: HttpRequest, pk: int) -> HttpResponse:
    user = _area_user(request)
    meeting = _managed(user, pk)
    form = _task_form(meeting, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            task_create(
                area_meeting=meeting,
                data=TaskInput(
                    d["title"], d["done_means"], d["owner_organisation"], d["due_on"], owner_user=d["owner_user"]
                ),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:area_task",
            )
        except InvalidInput as error:
            form_errors_add(form, error)
        except CaseError as error:
            messages.error(request, error.message)
            return redirect("cases:area_detail", pk=meeting.pk)
        else:
            return redirect("cases:area_detail", pk=meeting.pk)
    return _detail(
        request, _fetch(request, user, pk, "ui:area_task"), user, status=400, task_form=form, open_form="task"
    )


@login_required
@require_POST
def area_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user = _area_user(request)
    meeting = _managed(user, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        with form_attempt(request, form) as attempt:
            area_minutes_save(
                meeting=meeting,
                text=form.cleaned_data["minutes"],
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        if attempt.ok:
            return redirect("cases:area_detail", pk=meeting.pk)
    return _detail(request, _fetch(request, user, pk, "ui:area_minutes"), user, status=400, minutes_form=form)


@login_required
@require_POST
def area_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _area_user(request)
    meeting = _managed(user, pk)
    with form_attempt(request) as attempt:
        area_meeting_close(meeting=meeting, by=user, actor=Actor.from_request(request), now=timezone.now())
    if attempt.ok:
        messages.success(request, _("Het gebiedsoverleg is afgesloten."))
    return redirect("cases:area_detail", pk=meeting.pk)
