"""The functional admin's screens for the social map (/sociale-kaart/beheer/): every organisation and
service of their own municipality, to create and to edit; keepers' changes still wait in moderation."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.socialmap import models as m
from waakvlam.socialmap.admin_forms import OrganizationForm, ServiceForm
from waakvlam.socialmap.map_admin import organization_save, service_initial, service_save


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.ADMIN:
        raise Http404
    return user


@login_required
def map_admin_home(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    services = m.Service.objects.order_by("name").annotate(
        pending=Count("changes", filter=Q(changes__state=m.ServiceChange.State.PENDING))
    )
    organizations = (
        m.Organization.objects.filter(municipality_id=user.municipality_id)
        .order_by("name")
        .prefetch_related(Prefetch("services", services))
    )
    return render(request, "socialmap/map_admin_home.html", {"organizations": organizations})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    user = _admin(request)
    org = None
    if pk is not None:
        org = get_object_or_404(m.Organization.objects.filter(municipality_id=user.municipality_id), pk=pk)
    form = OrganizationForm(request.POST or None, instance=org, municipality_id=user.municipality_id)
    if request.method == "POST" and form.is_valid():
        saved = organization_save(by=user, data=form.cleaned_data, now=timezone.now(), organization=org)
        messages.success(request, _("Aanbieder opgeslagen."))
        return redirect("socialmap:map_admin_organization", pk=saved.pk)
    return render(request, "socialmap/map_admin_organization.html", {"form": form, "organization": org})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(
    request: HttpRequest, organization_id: uuid.UUID | None = None, pk: uuid.UUID | None = None
) -> HttpResponse:
    user = _admin(request)
    mine = m.Service.objects.filter(municipality_id=user.municipality_id)
    service = get_object_or_404(mine.select_related("organization"), pk=pk) if pk else None
    org = (
        service.organization
        if service
        else get_object_or_404(m.Organization.objects.filter(municipality_id=user.municipality_id), pk=organization_id)
    )
    form = ServiceForm(
        request.POST or None,
        instance=service,
        initial=service_initial(service) if service else {"moderation": m.Moderation.PUBLISHED, "freq": "WEEKLY"},
        municipality_id=user.municipality_id,
    )
    if request.method == "POST" and form.is_valid():
        fresh = m.Service.objects.get(pk=service.pk) if service else None  # not the form's half-cleaned copy
        saved = service_save(by=user, organization=org, data=form.cleaned_data, now=timezone.now(), service=fresh)
        messages.success(request, _("Aanbod opgeslagen."))
        return redirect("socialmap:map_admin_service", pk=saved.pk)
    pending = service.changes.filter(state=m.ServiceChange.State.PENDING).exists() if service else False
    history = list(service.changes.select_related("proposed_by").order_by("-proposed_at")[:10]) if service else []
    return render(
        request,
        "socialmap/map_admin_service.html",
        {"form": form, "service": service, "organization": org, "pending": pending, "history": history},
    )
