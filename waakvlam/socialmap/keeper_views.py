"""The keeper's light, phone-friendly screens (my activities, change times and text, answer referrals)
and the functional admin's moderation of keepers' changes."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.privacy.services import Actor
from waakvlam.socialmap import models as m
from waakvlam.socialmap import referral_selectors as rs
from waakvlam.socialmap.errors import ReferralError
from waakvlam.socialmap.forms import KeeperEditForm
from waakvlam.socialmap.map_services import pending_changes, service_change_decide, service_change_propose
from waakvlam.socialmap.referral_models import Referral, ReferralStatus


def _role(request: HttpRequest, role: str) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != role:
        raise Http404
    return user


@login_required
def keeper_home(request: HttpRequest) -> HttpResponse:
    user = _role(request, Role.ACTIVITY_KEEPER)
    services = list(m.Service.objects.filter(keeper=user).prefetch_related("schedules", "changes"))
    open_referrals = list(
        Referral.objects.filter(
            rs.receiver_q(user), status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.NO_SHOW]
        )
        .select_related("service")
        .order_by("answer_due_at")
    )
    rs.referrals_log_view(Actor.from_request(request), open_referrals, "ui:keeper_home")
    return render(request, "socialmap/keeper_home.html", {"services": services, "referrals": open_referrals})


@login_required
@require_http_methods(["GET", "POST"])
def keeper_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _role(request, Role.ACTIVITY_KEEPER)
    service = get_object_or_404(m.Service.objects.filter(keeper=user), pk=pk)
    schedule = service.schedules.order_by("pk").first()
    initial = {
        "name": service.name,
        "description": service.description,
        "capacity": service.capacity,
        "alert": service.alert,
        "byday": schedule.byday.split(",") if schedule and schedule.byday else [],
        "opens_at": schedule.opens_at if schedule else None,
        "closes_at": schedule.closes_at if schedule else None,
    }
    form = KeeperEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        service_change_propose(service=service, by=user, changes=form.cleaned_data, now=timezone.now())
        messages.success(request, _("Dank je! De beheerder kijkt er nog even naar; daarna staat het op de kaart."))
        return redirect("socialmap:keeper_home")
    return render(request, "socialmap/keeper_edit.html", {"form": form, "service": service})


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _role(request, Role.ADMIN)
    return render(request, "socialmap/moderation.html", {"changes": pending_changes()})


@login_required
@require_POST
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _role(request, Role.ADMIN)
    change = get_object_or_404(pending_changes(), pk=pk)
    try:
        service_change_decide(
            change=change,
            by=user,
            approve=request.POST.get("decision") == "approve",
            now=timezone.now(),
            reason=request.POST.get("reason", "")[:250],
        )
    except ReferralError as error:
        messages.error(request, error.message)
    return redirect("socialmap:moderation")
