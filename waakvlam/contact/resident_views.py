"""Thin views of what belongs to the resident: the early-warning plan (view, edit, print on one page) and
the consent registry (list, add, revoke)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waakvlam.contact import selectors
from waakvlam.contact.consent_rules import may_record_consent_for
from waakvlam.contact.errors import Conflict, InvalidInput, NotResponsible
from waakvlam.contact.forms import (
    ConsentForm,
    EarlyWarningPlanForm,
    OptionalReasonForm,
    PeopleFormSet,
)
from waakvlam.contact.models import Consent, EarlyWarningPlan
from waakvlam.contact.plan_services import (
    PLAN_TEXT_FIELDS,
    ConsentInput,
    PersonInput,
    consent_create,
    consent_revoke,
    early_warning_plan_save,
)
from waakvlam.contact.views import _user
from waakvlam.core.errors import form_errors_add
from waakvlam.core.models import User
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_reads, access_log_record


def _ew_subject(plan: EarlyWarningPlan) -> str:
    return resident_subject(plan.resident_id)


def _visible_plan(
    request: HttpRequest, user: User, resident_id: UUID, *, action: AccessAction, context: str
) -> EarlyWarningPlan:
    visible = selectors.early_warning_plans_visible_to(user).select_related("resident", "updated_by")
    plan_id = visible.filter(resident__public_id=resident_id).values_list("pk", flat=True).first()
    if plan_id is None:
        raise Http404
    return get_visible_or_404(
        visible, plan_id, actor=Actor.from_request(request), context=context, subject_of=_ew_subject, action=action
    )


def _writable_resident(user: User, resident_id: UUID) -> Resident:
    resident = (
        selectors.residents_writable_by(user).filter(public_id=resident_id).select_related("household__address").first()
    )
    if resident is None:
        raise Http404
    return resident


@login_required
def early_warning_plan_view(request: HttpRequest, resident_id: UUID) -> HttpResponse:
    user = _user(request)
    writable = selectors.residents_writable_by(user).filter(public_id=resident_id).exists()
    plan = selectors.early_warning_plans_visible_to(user).filter(resident__public_id=resident_id).first()
    if plan is None:
        if writable:
            return redirect("contact:early_warning_plan_edit", resident_id=resident_id)
        raise Http404
    plan = _visible_plan(request, user, resident_id, action=AccessAction.VIEW, context="ui:early_warning_plan")
    return render(
        request,
        "contact/early_warning_plan.html",
        {"plan": plan, "resident": plan.resident, "people": plan.people.all(), "writable": writable},
    )


@login_required
def early_warning_plan_print(request: HttpRequest, resident_id: UUID) -> HttpResponse:
    """One page, in Dutch, for the resident to keep on the fridge; logged as a print."""
    user = _user(request)
    plan = _visible_plan(request, user, resident_id, action=AccessAction.PRINT, context="ui:early_warning_plan_print")
    return render(
        request,
        "contact/early_warning_plan_print.html",
        {"plan": plan, "resident": plan.resident, "people": plan.people.all()},
    )


def _people_initial(plan: EarlyWarningPlan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [
        {
            "name": p.name,
            "relation": p.relation,
            "phone": p.phone,
            "call_when": p.call_when,
            "consent_given": p.consent_given,
        }
        for p in plan.people.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def early_warning_plan_edit(request: HttpRequest, resident_id: UUID) -> HttpResponse:
    user = _user(request)
    resident = _writable_resident(user, resident_id)
    plan = EarlyWarningPlan.objects.filter(resident=resident).first()
    initial = {name: getattr(plan, name) for name in PLAN_TEXT_FIELDS} if plan else {}
    if plan:
        initial["agreed_on"] = plan.agreed_on
    form = EarlyWarningPlanForm(request.POST or None, initial=initial)
    people = PeopleFormSet(request.POST or None, initial=_people_initial(plan), prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        persons = [
            PersonInput(
                name=f.cleaned_data.get("name") or "",
                phone=f.cleaned_data.get("phone") or "",
                relation=f.cleaned_data.get("relation") or "",
                call_when=f.cleaned_data.get("call_when") or "orange",
                consent_given=bool(f.cleaned_data.get("consent_given")),
            )
            for f in people.forms
            if not f.is_blank()
        ]
        rows = [f for f in people.forms if not f.is_blank()]
        try:
            early_warning_plan_save(
                resident=resident,
                texts={name: form.cleaned_data.get(name) or "" for name in PLAN_TEXT_FIELDS},
                people=persons,
                agreed_on=form.cleaned_data.get("agreed_on"),
                by=user,
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:early_warning_plan_edit",
            )
        except InvalidInput as error:
            for key, message in error.errors.items():
                parts = key.split(".")
                if parts[0] == "people" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
                    rows[int(parts[1])].add_error(parts[2] if parts[2] in rows[0].fields else None, message)
                else:
                    form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, _("Signaleringsplan opgeslagen."))
            return redirect("contact:early_warning_plan", resident_id=resident.public_id)
    elif plan is not None:
        access_log_record(
            actor=Actor.from_request(request),
            action=AccessAction.VIEW,
            object_type="contact.earlywarningplan",
            object_id=plan.pk,
            subject=resident_subject(resident.pk),
            context="ui:early_warning_plan_edit",
        )
    people_errors = [e for f in people.forms for e in f.errors.values()] if people.is_bound else []
    return render(
        request,
        "contact/early_warning_plan_form.html",
        {"form": form, "people": people, "resident": resident, "plan": plan, "people_errors": people_errors},
    )


# --- consents ---------------------------------------------------------------------------------------------------


@login_required
def consent_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    consents = (
        selectors.consents_visible_to(user).select_related("organisation", "resident").order_by("-recorded_at", "-pk")
    )
    page = Paginator(consents, 50).get_page(request.GET.get("pagina"))
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="contact.consent",
        reads=[(c.pk, resident_subject(c.resident_id)) for c in page.object_list],
        context="ui:consent_list",
    )
    return render(request, "contact/consent_list.html", {"page": page, "today": selectors.today_of()})


@login_required
@require_http_methods(["GET", "POST"])
def resident_consents(request: HttpRequest, resident_id: UUID) -> HttpResponse:
    """The consents of one resident, and the form to record a new one."""
    user = _user(request)
    resident = _writable_resident(user, resident_id)
    now = timezone.now()
    may_record = may_record_consent_for(user, resident, now)
    if request.method == "POST" and not may_record:
        # Seeing the resident (a sending clinic, say) is no basis to record what they agreed to.
        raise PermissionDenied(NotResponsible.message)
    form = ConsentForm(request.POST or None, municipality_id=resident.municipality_id, today=selectors.today_of(now))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_create(
                resident=resident,
                data=ConsentInput(
                    data["organisation"],
                    data["data_kind"],
                    data["purpose"],
                    data["valid_from"],
                    data.get("valid_until"),
                ),
                by=user,
                actor=Actor.from_request(request),
                now=now,
                context="ui:consent_create",
            )
        except InvalidInput as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Toestemming vastgelegd."))
            return redirect("contact:resident_consents", resident_id=resident.public_id)
    consents = Consent.objects.filter(resident=resident).select_related("organisation", "revoked_by")
    access_log_record(
        actor=Actor.from_request(request),
        action=AccessAction.VIEW,
        object_type="contact.consent",
        subject=resident_subject(resident.pk),
        context="ui:resident_consents",
    )
    return render(
        request,
        "contact/resident_consents.html",
        {
            "resident": resident,
            "consents": consents,
            "form": form,
            "may_record": may_record,
            "today": selectors.today_of(now),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_revoke_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = _user(request)
    consent = (
        selectors.consents_writable_by(user).select_related("organisation", "resident").filter(public_id=pk).first()
    )
    if consent is None:
        raise Http404
    # The form names the resident and what was consented: a read, logged whatever follows.
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="contact.consent",
        reads=[(consent.pk, resident_subject(consent.resident_id))],
        context="ui:consent_revoke",
        reason="",
    )
    form = OptionalReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_revoke(
                consent=consent,
                by=user,
                reason=form.cleaned_data.get("reason") or "",
                actor=Actor.from_request(request),
                now=timezone.now(),
                context="ui:consent_revoke",
            )
        except Conflict as error:
            messages.info(request, error.message)
        except InvalidInput as error:
            form_errors_add(form, error)
            return render(request, "contact/consent_revoke.html", {"form": form, "consent": consent})
        else:
            messages.success(
                request,
                _("Toestemming ingetrokken. %(org)s ziet deze gegevens vanaf nu niet meer.")
                % {"org": consent.organisation.name},
            )
        return redirect("contact:resident_consents", resident_id=consent.resident.public_id)
    return render(request, "contact/consent_revoke.html", {"form": form, "consent": consent})
