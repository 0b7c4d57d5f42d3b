"""Referrals in the UI: the steward connects a resident (collective offers nearby suggested first), the
list of sent and received referrals, one referral with its history, and the receiving side's answer.
Every view of a referral writes an access-log entry naming the resident; anything not visible is a 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.core.models import User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.services import Actor
from waakvlam.socialmap import models as m
from waakvlam.socialmap import referral_selectors as rs
from waakvlam.socialmap import search
from waakvlam.socialmap.errors import ReferralError
from waakvlam.socialmap.forms import AnswerForm, ReferralForm
from waakvlam.socialmap.referral_models import ALLOWED_TRANSITIONS, Referral, ReferralStatus
from waakvlam.socialmap.referral_services import (
    ReferralInput,
    may_answer,
    referral_note_warm_introduction,
    referral_send,
    referral_transition,
)
from waakvlam.socialmap.selectors import public_services
from waakvlam.socialmap.views import resident_for_referral


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    return user


def collective_suggestions(
    service: m.Service, neighbourhood_id: int | None, *, now: object, limit: int = 3
) -> list[m.Service]:
    """Collective offers in the resident's neighbourhood for the same needs: shown before an individual one."""
    needs = list(service.attributes.values_list("taxonomy_term_id", flat=True))
    hits: list[m.Service] = []
    for need in needs or [None]:
        found, _n = search.services_find(
            search.Query(municipality_id=service.municipality_id, need=need, neighbourhood_id=neighbourhood_id),
            now=now,  # type: ignore[arg-type]
            limit=limit,
        )
        hits += [
            h.service for h in found if h.service.collective and h.service.pk != service.pk and h.service not in hits
        ]
    return hits[:limit]


def _signal(user: User, raw: str | None) -> Signal | None:
    """The signal a referral answers, if the steward came from one they may see."""
    if not raw:
        return None
    if not str(raw).isdigit() or len(str(raw)) > 15:
        raise Http404
    signal = signals_visible_to(user).filter(pk=int(raw)).first()
    if signal is None:
        raise Http404
    return signal


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user, now = _user(request), timezone.now()
    if user.role not in KEEPER_ROLES:
        raise Http404
    service = get_object_or_404(
        public_services(user.municipality_id).select_related("organization", "keeper"), pk=service_id
    )
    raw = request.POST.get("resident") or request.GET.get("resident")
    resident = resident_for_referral(request, user, raw, "ui:referral_create")
    if resident is None:
        raise Http404
    signal = _signal(user, request.POST.get("signal") or request.GET.get("signaal"))
    hood = resident.household.neighbourhood_id if resident.household else None
    suggestions = [] if service.collective else collective_suggestions(service, hood, now=now)
    # The resident's open needs; from a need on the plan page (?behoefte=) it is chosen already.
    needs = m.ResidentNeed.objects.filter(resident=resident, ended_at=None).select_related("term")
    chosen = request.GET.get("behoefte")
    initial = {"need": needs.filter(pk=int(chosen)).first()} if chosen and chosen.isdigit() and len(chosen) < 16 else {}
    form = ReferralForm(request.POST or None, needs=needs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = ContactPlan.objects.filter(resident=resident, status=PlanStatus.ACTIVE).order_by("pk").first()
        try:
            referral = referral_send(
                sender=user,
                resident=resident,
                service=service,
                data=ReferralInput(
                    shared=data["shared"],
                    shared_name=data["shared_name"],
                    shared_phone=data.get("shared_phone") or "",
                    shared_note=data.get("shared_note") or "",
                    consent_given=data["consent"],
                    warm_introduction=data.get("warm_introduction") or False,
                ),
                now=now,
                actor=Actor.from_request(request),
                contact_plan=plan,
                signal=signal,
                need=data.get("need"),
            )
        except ReferralError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De verwijzing is verstuurd."))
            return redirect("socialmap:referral_detail", pk=referral.public_id)
    return render(
        request,
        "socialmap/referral_form.html",
        {"form": form, "service": service, "resident": resident, "suggestions": suggestions, "signal": signal},
    )


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    sent = list(Referral.objects.filter(rs.sender_q(user)).select_related("service", "resident")[:100])
    received = list(
        Referral.objects.filter(rs.receiver_q(user))
        .exclude(pk__in=[r.pk for r in sent])
        .select_related("service")[:100]
    )
    rs.referrals_log_view(Actor.from_request(request), sent + received, "ui:referral_list")
    return render(request, "socialmap/referral_list.html", {"sent": sent, "received": received})


def _visible(request: HttpRequest, user: User, pk: uuid.UUID) -> Referral:
    referral = (
        rs.referrals_visible_to(user)
        .select_related("service__organization", "resident", "sender", "owner_keeper", "owner_organisation")
        .filter(public_id=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


@login_required
def referral_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    referral = _visible(request, user, pk)
    rs.referrals_log_view(Actor.from_request(request), [referral], "ui:referral_detail")
    answerable = may_answer(user, referral)
    choices = [(s, ReferralStatus(s).label) for s in ReferralStatus.values if s in ALLOWED_TRANSITIONS[referral.status]]
    return render(
        request,
        "socialmap/referral_detail.html",
        {
            "referral": referral,
            "whole": rs.sees_whole(referral, user=user),
            "events": referral.events.all(),
            "form": AnswerForm(choices=choices) if answerable and choices else None,
        },
    )


@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user, now = _user(request), timezone.now()
    referral = _visible(request, user, pk)
    choices = [(s, ReferralStatus(s).label) for s in ALLOWED_TRANSITIONS[referral.status]]
    form = AnswerForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            referral_transition(
                referral=referral,
                to=form.cleaned_data["status"],
                by=user,
                allowed=may_answer(user, referral) or rs.sees_whole(referral, user=user),
                now=now,
                actor=Actor.from_request(request),
                reason=form.cleaned_data.get("reason") or "",
            )
        except ReferralError as error:
            messages.error(request, error.message or _("Dat kan niet."))
        else:
            messages.success(request, _("Vastgelegd."))
    else:
        messages.error(request, _("Kies een antwoord."))
    return redirect("socialmap:referral_detail", pk=referral.public_id)


@login_required
@require_POST
def referral_warm(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    referral = _visible(request, user, pk)
    try:
        referral_note_warm_introduction(
            referral=referral, by=user, now=timezone.now(), actor=Actor.from_request(request)
        )
    except ReferralError:
        raise Http404 from None
    messages.success(request, _("Genoteerd: de eerste keer meegegaan."))
    return redirect("socialmap:referral_detail", pk=referral.public_id)
