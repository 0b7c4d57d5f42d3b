"""Thin views of case conferences: the list, convening from a household, the case page, its scoped parts and
the forms that run it. Someone who may not see a case (or a part of it) gets a 404; every page that shows a
case writes an access-log entry about its resident or household."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.cases import selectors
from waakvlam.cases.errors import Conflict, InvalidInput
from waakvlam.cases.forms import (
    ConveneForm,
    DecisionForm,
    DirectorForm,
    InviteForm,
    MinutesForm,
    TaskForm,
    workers_of,
)
from waakvlam.cases.models import CaseConference, Participant, Scope
from waakvlam.cases.services import (
    ConveneInput,
    InviteInput,
    conference_close,
    conference_convene,
    decision_record,
    director_name,
    household_visible_for_case,
    minutes_save,
    participant_invite,
)
from waakvlam.cases.tasks import TaskInput, task_create
from waakvlam.contact.models import ContactPlan, EarlyWarningPlan, PlanStatus
from waakvlam.core.errors import form_attempt, form_errors_add
from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import KEEPER_ROLES, WORK_ROLES, Role
from waakvlam.households.linking import household_subject
from waakvlam.households.models import Household
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_reads, access_log_record

SCOPE_PATHS = {
    "agenda": Scope.SIGNALS,
    "waakvlamcontact": Scope.CONTACT_PLAN,
    "signaleringsplan": Scope.EARLY_WARNING_PLAN,
}


def worker(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role not in WORK_ROLES or not user.organisation_id:
        raise Http404
    return user


def _visible(user: User) -> QuerySet[CaseConference]:
    return selectors.conferences_visible_to(user).select_related(
        "household__address", "household__neighbourhood", "resident", "organisation", "convened_by"
    )


def _fetch(request: HttpRequest, user: User, pk: UUID, context: str) -> CaseConference:
    return get_visible_or_404(
        _visible(user),
        pk,
        actor=Actor.from_request(request),
        context=context,
        subject_of=selectors.conference_subject,
        lookup="public_id",
    )


def _managed(user: User, pk: UUID) -> CaseConference:
    """A case the user runs, fetched without logging: the service that changes it logs the write."""
    conference = selectors.conferences_managed_by(user).select_related("household").filter(public_id=pk).first()
    if conference is None:
        raise Http404
    return conference


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.role == Role.MUNICIPALITY:
        return redirect("cases:figures")
    user = worker(request)
    rows = list(_visible(user).order_by("status", "-meets_on", "-pk")[:100])
    actor = Actor.from_request(request)
    for conference in rows:  # the list names households: each row shown is a read about it
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="cases.caseconference",
            object_id=conference.pk,
            subject=selectors.conference_subject(conference),
            context="ui:conference_list",
        )
    return render(request, "cases/conference_list.html", {"conferences": rows})


@login_required
def conference_create(request: HttpRequest) -> HttpResponse:
    user = worker(request)
    if user.role not in KEEPER_ROLES:
        raise Http404
    household = (
        Household.objects.select_related("address").filter(public_id=_uuid(request.GET.get("household"))).first()
    )
    if household is None or not household_visible_for_case(user, household):
        raise Http404
    form = ConveneForm(
        request.POST or None,
        residents=household.residents.all(),
        initial={"meets_on": timezone.localdate(), "resident_takes_part": True, "network_takes_part": True},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_attempt(request, form) as attempt:
            conference = conference_convene(
                household=household,
                data=ConveneInput(
                    question=d["question"],
                    meets_on=d["meets_on"],
                    resident_takes_part=d["resident_takes_part"],
                    network_takes_part=d["network_takes_part"],
                    without_resident_reason=d["without_resident_reason"],
                    resident=d["resident"],
                ),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:conference_create",
            )
        if attempt.ok:
            messages.success(request, _("Het casusoverleg is belegd. Nodig nu de deelnemers uit."))
            return redirect("cases:conference_detail", pk=conference.public_id)
    # The form shows the household's address and its residents' names: a read about each of them.
    residents = list(household.residents.values_list("pk", flat=True))
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="households.household",
        reads=[(household.pk, household_subject(household)), *((pk, resident_subject(pk)) for pk in residents)],
        context="ui:conference_create",
        reason="casusoverleg beleggen",
    )
    return render(request, "cases/conference_form.html", {"form": form, "household": household})


def _uuid(value: Any) -> UUID:
    """The household's public id from the query string; anything else is the nil UUID, which finds nothing."""
    try:
        return UUID(str(value))
    except ValueError:
        return UUID(int=0)


def _forms(conference: CaseConference, data: Any = None, which: str = "") -> dict[str, Any]:
    participants = conference.participants.select_related("user", "organisation")
    org_ids = participants.values("organisation_id")
    invited = participants.values("user_id")
    return {
        "invite_form": InviteForm(
            data if which == "invite" else None,
            candidates=workers_of(conference.municipality_id).exclude(pk__in=invited),
        ),
        "decision_form": DecisionForm(data if which == "decision" else None),
        "minutes_form": MinutesForm(data if which == "minutes" else None, initial={"minutes": conference.minutes}),
        "director_form": DirectorForm(data if which == "director" else None, participants=participants.all()),
        "task_form": TaskForm(
            data if which == "task" else None,
            organisations=Organisation.objects.filter(pk__in=org_ids),
            people=workers_of(conference.municipality_id).filter(organisation_id__in=org_ids),
        ),
    }


def _detail(
    request: HttpRequest, conference: CaseConference, user: User, status: int = 200, **extra: Any
) -> HttpResponse:
    scopes = selectors.scopes_of(user, conference)
    manage = selectors.conference_may_manage(user, conference)
    context: dict[str, Any] = {
        "conference": conference,
        "participants": conference.participants.select_related("user", "organisation"),
        "decisions": conference.decisions.all(),
        "tasks": conference.tasks.select_related("owner_organisation", "owner_user"),
        "agenda": conference.agenda.all() if Scope.SIGNALS in scopes else None,
        "scopes": scopes,
        "manage": manage and conference.status == "open",
        "today": timezone.localdate(),
    }
    if context["manage"]:
        context.update(_forms(conference))
    context.update(extra)
    return render(request, "cases/conference_detail.html", context, status=status)


@login_required
def conference_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = worker(request)
    conference = _fetch(request, user, pk, "ui:conference_detail")
    return _detail(request, conference, user)


@login_required
def conference_scope(request: HttpRequest, pk: UUID, part: str) -> HttpResponse:
    """One scoped part of the case: 404 unless the participant's basis allows it."""
    user = worker(request)
    scope = SCOPE_PATHS.get(part)
    if scope is None:
        raise Http404
    visible = selectors.conferences_with_scope(user, scope).select_related("household__address", "resident")
    conference = get_visible_or_404(
        visible,
        pk,
        actor=Actor.from_request(request),
        context=f"ui:conference_{scope}",
        subject_of=selectors.conference_subject,
        lookup="public_id",
    )
    residents = (
        [conference.resident_id]
        if conference.resident_id
        else list(conference.household.residents.values_list("pk", flat=True))
    )
    context: dict[str, Any] = {"conference": conference, "part": part, "scope": scope}
    if scope == Scope.SIGNALS:
        context["agenda"] = conference.agenda.all()
    elif scope == Scope.CONTACT_PLAN:
        context["plans"] = ContactPlan.objects.filter(
            resident_id__in=residents, status=PlanStatus.ACTIVE
        ).select_related("steward", "organisation", "resident")
    else:
        context["early_plans"] = EarlyWarningPlan.objects.filter(resident_id__in=residents).select_related("resident")
    return render(request, "cases/conference_scope.html", context)


def _run(request: HttpRequest, pk: UUID, which: str, act: Any) -> HttpResponse:
    """POST a management form: on success back to the case, on bad input the case page with the errors."""
    user = worker(request)
    conference = _managed(user, pk)
    forms = _forms(conference, request.POST, which)
    form = forms[f"{which}_form"]
    if form.is_valid():
        try:
            act(conference, user, form.cleaned_data)
        except InvalidInput as error:
            form_errors_add(form, error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("cases:conference_detail", pk=conference.public_id)
        else:
            return redirect("cases:conference_detail", pk=conference.public_id)
    visible = _fetch(request, user, pk, f"ui:conference_{which}")
    return _detail(request, visible, user, status=400, **{**_forms(visible), f"{which}_form": form, "open_form": which})


def _now_actor(request: HttpRequest) -> dict[str, Any]:
    return {"actor": Actor.from_request(request), "now": timezone.now()}


@login_required
@require_POST
def conference_invite(request: HttpRequest, pk: UUID) -> HttpResponse:
    def act(conference: CaseConference, user: User, d: dict[str, Any]) -> Participant:
        data = InviteInput(user=d["user"], basis=d["basis"], basis_note=d["basis_note"], scopes=frozenset(d["scopes"]))
        return participant_invite(conference=conference, data=data, by=user, **_now_actor(request))

    return _run(request, pk, "invite", act)


@login_required
@require_POST
def conference_decision(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _run(
        request,
        pk,
        "decision",
        lambda c, u, d: decision_record(conference=c, text=d["text"], by=u, **_now_actor(request)),
    )


@login_required
@require_POST
def conference_minutes(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _run(
        request,
        pk,
        "minutes",
        lambda c, u, d: minutes_save(conference=c, text=d["minutes"], by=u, **_now_actor(request)),
    )


@login_required
@require_POST
def conference_director(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _run(
        request,
        pk,
        "director",
        lambda c, u, d: director_name(conference=c, participant=d["participant"], by=u, **_now_actor(request)),
    )


@login_required
@require_POST
def conference_task(request: HttpRequest, pk: UUID) -> HttpResponse:
    def act(conference: CaseConference, user: User, d: dict[str, Any]) -> Any:
        data = TaskInput(d["title"], d["done_means"], d["owner_organisation"], d["due_on"], owner_user=d["owner_user"])
        return task_create(
            conference=conference, data=data, by=user, context="ui:conference_task", **_now_actor(request)
        )

    return _run(request, pk, "task", act)


@login_required
@require_POST
def conference_close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = worker(request)
    conference = _managed(user, pk)
    with form_attempt(request) as attempt:
        conference_close(conference=conference, by=user, **_now_actor(request))
    if attempt.ok:
        messages.success(request, _("Het casusoverleg is afgesloten."))
    return redirect("cases:conference_detail", pk=conference.public_id)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Counts and lead times for the municipality and coordinators; never a case's content."""
    user = request.user
    if not isinstance(user, User) or user.role not in {Role.MUNICIPALITY, Role.COORDINATOR} or not user.organisation_id:
        raise Http404
    return render(request, "cases/figures.html", {"figures": selectors.case_figures(user.municipality_id)})
