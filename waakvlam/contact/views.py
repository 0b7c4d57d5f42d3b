"""Thin views of the pilot light: my residents, the resident's page (plan and contact log), starting and
changing a plan, and the coordinator's team view. Anyone without the role for a screen, or who may not
see the object, gets a 404 (SECURITY.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.contact import selectors
from waakvlam.contact.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.contact.forms import (
    ContactMomentForm,
    PlanCloseForm,
    PlanForm,
    ResidentPlanForm,
)
from waakvlam.contact.hooks import HOOKS
from waakvlam.contact.models import ContactPlan, PlanStatus, Wellbeing
from waakvlam.contact.services import (
    MomentInput,
    PlanInput,
    contact_record,
    log_plan,
    plan_close,
    plan_create,
    plan_update,
)
from waakvlam.core.addresses import AddressError
from waakvlam.core.errors import form_errors_add
from waakvlam.core.models import User
from waakvlam.core.roles import CARE_ROLES, Role
from waakvlam.households.linking import households_visible_to
from waakvlam.households.services import (
    AddressInput,
    ResidentInvalid,
    address_place,
    household_get_or_create,
    resident_create,
    resident_subject,
)
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_reads

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role not in CARE_ROLES or not user.organisation_id:
        raise Http404
    return user


def _keeper(request: HttpRequest) -> User:
    user = _user(request)
    if user.role not in {Role.STEWARD, Role.COORDINATOR}:
        raise Http404
    return user


def _plan_for_change(user: User, pk: UUID) -> ContactPlan:
    """A plan the user may change, fetched without logging: the service that changes it logs the write."""
    plan = selectors.plans_writable_by(user).select_related("resident").filter(public_id=pk).first()
    if plan is None:
        raise Http404
    return plan


def _plan_input(data: dict[str, Any]) -> PlanInput:
    return PlanInput(
        steward=data["steward"],
        backup=data.get("backup"),
        rhythm_days=data["rhythm_days"],
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        basis=data["basis"],
        basis_note=data.get("basis_note") or "",
    )


# --- my residents ---------------------------------------------------------------------------------------------


@login_required
def my_residents(request: HttpRequest) -> HttpResponse:
    """The steward's residents, due and overdue first."""
    user, now = _user(request), timezone.now()
    plans = selectors.my_plans(user).select_related("resident", "resident__household__address", "steward", "backup")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("pagina"))
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="contact.contactplan",
        reads=[(plan.pk, resident_subject(plan.resident_id)) for plan in page.object_list],
        context="ui:my_residents",
    )
    return render(request, "contact/my_residents.html", {"page": page, "today": selectors.today_of(now)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    """A new resident and their contact plan; `?signaal=ID` starts it from a signal (address taken over)."""
    user, now = _keeper(request), timezone.now()
    signal = None
    signal_id = request.POST.get("signal") or request.GET.get("signaal")
    if signal_id and str(signal_id).isdigit() and len(str(signal_id)) < 18:
        signal = signals_visible_to(user).select_related("address").filter(pk=int(signal_id)).first()
    initial: dict[str, Any] = {
        "steward": user if user.role == Role.STEWARD else None,
        "starts_on": selectors.today_of(now),
    }
    if signal is not None:
        initial["signal"] = signal.pk
        if signal.address:
            initial["postcode"], initial["house_number"] = signal.address.postcode, signal.address.house_number
    form = ResidentPlanForm(request.POST or None, initial=initial, organisation_id=user.organisation_id)
    if request.method == "POST" and form.is_valid():
        plan = _create_resident_and_plan(request, user, form)
        if plan is not None:
            messages.success(request, _("Waakvlamcontact gestart."))
            return redirect("contact:plan_detail", pk=plan.public_id)
    # A second active plan at the same address is allowed (two residents) but never without a word.
    existing = selectors.active_plans_at_household(user, signal.household_id if signal else None, now)
    for shown in existing:
        log_plan(
            actor=Actor.from_request(request), action=AccessAction.VIEW, plan=shown, context="ui:plan_create", now=now
        )
    context = {"form": form, "signal": signal, "creating": True, "existing_plans": existing}
    return render(request, "contact/plan_form.html", context)


def _create_resident_and_plan(request: HttpRequest, user: User, form: ResidentPlanForm) -> ContactPlan | None:
    from django.db import transaction

    data, now, actor = form.cleaned_data, timezone.now(), Actor.from_request(request)
    organisation = user.organisation
    assert organisation is not None
    try:
        with transaction.atomic():
            household = None
            if data.get("postcode"):
                address = address_place(
                    AddressInput(data["postcode"], data["house_number"]), municipality=organisation.municipality
                )
                household = household_get_or_create(address=address, now=now)
            resident = resident_create(
                municipality=organisation.municipality,
                name=data.get("name") or "",
                description=data.get("description") or "",
                household=household,
                created_by=user,
                actor=actor,
                now=now,
                context="ui:plan_create",
            )
            return plan_create(
                resident=resident,
                data=_plan_input(data),
                by=user,
                actor=actor,
                now=now,
                signal_id=data.get("signal"),
                context="ui:plan_create",
            )
    except AddressError as error:
        form.add_error(error.field if error.field in form.fields else "postcode", error.message)
    except ResidentInvalid as error:
        form.add_error(error.field, error.message)
    except (InvalidInput, Conflict, NotAllowed) as error:
        form_errors_add(form, error)  # bad input on its fields, a refusal on the form
    return None


# --- the resident's page: plan and contact log -----------------------------------------------------------------


def _plan_page(request: HttpRequest, plan: ContactPlan, user: User, form: ContactMomentForm | None) -> HttpResponse:
    now = timezone.now()
    writable = selectors.plan_may_change(user, plan)
    moments = plan.moments.select_related("recorded_by").all()[:100]
    early_warning = getattr(plan.resident, "early_warning_plan", None)
    ew_visible = (
        early_warning is not None
        and selectors.early_warning_plans_visible_to(user, now).filter(pk=early_warning.pk).exists()
    )
    context: dict[str, Any] = {
        "plan": plan,
        "resident": plan.resident,
        "moments": moments,
        "events": plan.events.select_related("actor")[:50],
        "writable": writable,
        "form": form
        if form is not None
        else (ContactMomentForm(initial={"happened_on": selectors.today_of(now)}) if writable else None),
        "today": selectors.today_of(now),
        "early_warning": early_warning if ew_visible else None,
        "may_write_resident": selectors.residents_writable_by(user, now).filter(pk=plan.resident_id).exists(),
        "handovers": [],
        # From a plan the household is one click away, where the reader may open it (households/reach.py).
        "household_visible": plan.resident.household_id is not None
        and households_visible_to(user, now).filter(pk=plan.resident.household_id).exists(),
        "serious": _serious_next_step(plan, list(moments[:1]), early_warning if ew_visible else None),
    }
    for part in HOOKS.plan_page:  # handover: the handovers this plan came from
        context.update(part(user, plan, now))
    return render(request, "contact/plan_detail.html", context, status=200 if form is None or not form.errors else 422)


def _serious_next_step(plan: ContactPlan, latest: list[Any], early_warning: Any) -> dict[str, Any] | None:
    """After "ernstige zorgen", the page offers the next step: what the resident's own plan says to do at
    orange and red, and the coordinators to talk to today."""
    if not latest or not latest[0].made or latest[0].wellbeing != Wellbeing.SERIOUS:
        return None
    coordinators = User.objects.filter(organisation_id=plan.organisation_id, role=Role.COORDINATOR, is_active=True)
    phases = [p for p in early_warning.phases() if p["phase"] != "green"] if early_warning else []
    return {"moment": latest[0], "coordinators": coordinators.order_by("first_name", "username"), "phases": phases}


def _plan_visible_qs(user: User) -> Any:
    return selectors.plans_visible_to(user).select_related(
        "resident", "resident__household__address", "steward", "backup", "team", "signal", "basis_recorded_by"
    )


@login_required
def plan_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    plan = get_visible_or_404(
        _plan_visible_qs(user),
        pk,
        actor=Actor.from_request(request),
        context="ui:plan_detail",
        subject_of=lambda p: resident_subject(p.resident_id),
        lookup="public_id",
    )
    return _plan_page(request, plan, user, None)


@login_required
@require_POST
def contact_record_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The quick "contact vastleggen" form; on an error the plan page is shown again (a read: logged once)."""

    user = _user(request)
    plan = _plan_for_change(user, pk)
    form = ContactMomentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact_record(
                plan=plan,
                data=MomentInput(
                    data["happened_on"],
                    data["channel"],
                    data["made"],
                    data.get("wellbeing") or "",
                    data.get("note") or "",
                ),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:contact_record",
            )
        except (InvalidInput, Conflict) as error:
            form_errors_add(form, error)  # bad input on its fields, a refusal on the form
        else:
            if data["made"] and data.get("wellbeing") == Wellbeing.SERIOUS:
                messages.warning(request, _("Ernstige zorgen vastgelegd. Hieronder staat wat je nu kunt doen."))
                return redirect(reverse("contact:plan_detail", kwargs={"pk": plan.public_id}) + "#volgende-stap")
            messages.success(request, _("Contactmoment vastgelegd."))
            target = request.POST.get("next", "")
            if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect("contact:plan_detail", pk=plan.public_id)
    plan = _plan_visible_qs(user).get(pk=plan.pk)
    log_plan(
        actor=Actor.from_request(request),
        action=AccessAction.VIEW,
        plan=plan,
        context="ui:plan_detail",
        now=timezone.now(),
    )
    return _plan_page(request, plan, user, form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _keeper(request)
    plan = _plan_for_change(user, pk)
    if plan.status != PlanStatus.ACTIVE:
        raise Http404
    initial = {
        "steward": plan.steward_id,
        "backup": plan.backup_id,
        "rhythm_days": plan.rhythm_days,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "basis": plan.basis,
        "basis_note": plan.basis_note,
    }
    form = PlanForm(request.POST or None, initial=initial, organisation_id=plan.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            plan_update(
                plan=plan,
                data=_plan_input(form.cleaned_data),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:plan_edit",
            )
        except (InvalidInput, Conflict) as error:
            form_errors_add(form, error)  # bad input on its fields, a refusal on the form
        else:
            messages.success(request, _("Waakvlamcontact bijgewerkt."))
            return redirect("contact:plan_detail", pk=plan.public_id)
    else:
        # Showing the form shows the plan: a read, logged once.
        log_plan(
            actor=Actor.from_request(request),
            action=AccessAction.VIEW,
            plan=plan,
            context="ui:plan_edit",
            now=timezone.now(),
        )
    return render(request, "contact/plan_form.html", {"form": form, "plan": plan, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def plan_close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _keeper(request)
    plan = _plan_for_change(user, pk)
    form = PlanCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_close(
                plan=plan,
                by=user,
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:plan_close",
            )
        except (InvalidInput, Conflict) as error:
            form_errors_add(form, error)  # bad input on its fields, a refusal on the form
        else:
            messages.success(request, _("Waakvlamcontact afgesloten."))
            return redirect("contact:plan_detail", pk=plan.public_id)
    # The form names the resident: a read like the plan's own page.
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="contact.contactplan",
        reads=[(plan.pk, resident_subject(plan.resident_id))],
        context="ui:plan_close",
        reason="",
    )
    return render(request, "contact/plan_close.html", {"form": form, "plan": plan})
