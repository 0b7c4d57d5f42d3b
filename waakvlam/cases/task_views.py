"""The "Taken" screen (the owner's inbox of tasks) and one task: mark it done, or drop it with a reason."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.cases import selectors
from waakvlam.cases.errors import Conflict, InvalidInput
from waakvlam.cases.forms import DoneForm, DropForm
from waakvlam.cases.models import Task
from waakvlam.cases.tasks import task_settle
from waakvlam.cases.workflow import TaskStatus
from waakvlam.core.errors import form_errors_add
from waakvlam.core.models import User
from waakvlam.core.roles import WORK_ROLES
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_record


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.organisation_id:
        raise Http404
    return user


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in WORK_ROLES:
        raise Http404
    rows = list(
        selectors.tasks_for_inbox(user).select_related(
            "owner_organisation", "owner_user", "conference__household", "area_meeting__neighbourhood"
        )
    )
    actor = Actor.from_request(request)
    for task in rows:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="cases.task",
            object_id=task.pk,
            subject=selectors.task_subject(task),
            context="ui:task_list",
        )
    return render(request, "cases/task_list.html", {"tasks": rows, "today": timezone.localdate()})


def _detail(request: HttpRequest, task: Task, user: User, status: int = 200, **forms: object) -> HttpResponse:
    actionable = task.is_open and selectors.tasks_actionable_by(user).filter(pk=task.pk).exists()
    context = {
        "task": task,
        "actionable": actionable,
        "done_form": forms.get("done_form") or DoneForm(),
        "drop_form": forms.get("drop_form") or DropForm(),
        "today": timezone.localdate(),
        "parent_visible": bool(
            task.conference_id and selectors.conferences_visible_to(user).filter(pk=task.conference_id).exists()
        ),
    }
    return render(request, "cases/task_detail.html", context, status=status)


def _fetch(request: HttpRequest, user: User, pk: UUID, context: str) -> Task:
    visible = selectors.tasks_visible_to(user).select_related(
        "owner_organisation", "owner_user", "conference__household", "area_meeting__neighbourhood", "settled_by"
    )
    return get_visible_or_404(
        visible,
        pk,
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.task_subject,
        lookup="public_id",
    )


@login_required
def task_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    return _detail(request, _fetch(request, user, pk, "ui:task_detail"), user)


@login_required
@require_POST
def task_settle_view(request: HttpRequest, pk: UUID, to: str) -> HttpResponse:
    user = _user(request)
    task = selectors.tasks_actionable_by(user).filter(public_id=pk).first()
    if task is None or to not in (TaskStatus.DONE, TaskStatus.DROPPED):
        raise Http404
    form = DoneForm(request.POST) if to == TaskStatus.DONE else DropForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data.get("note") or form.cleaned_data.get("reason") or ""
        try:
            task_settle(
                task=task,
                to=to,
                note=note,
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context=f"ui:task_{to}",
            )
        except InvalidInput as error:
            form_errors_add(form, error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("cases:task_detail", pk=task.public_id)
        else:
            messages.success(
                request, _("De taak is afgerond.") if to == TaskStatus.DONE else _("De taak is vervallen.")
            )
            return redirect("cases:task_detail", pk=task.public_id)
    shown = _fetch(request, user, pk, f"ui:task_{to}")
    return _detail(request, shown, user, status=400, **{f"{'done' if to == TaskStatus.DONE else 'drop'}_form": form})
