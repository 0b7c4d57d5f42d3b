"""The steward's find screen, one offer's page, and the public, printable page per neighbourhood
("Wat is er te doen in de Molenwijk?") that needs no login and shows only public information."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core.models import Municipality, Neighbourhood, User
from waakvlam.core.roles import CARE_ROLES, Role
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.socialmap import models as m
from waakvlam.socialmap import search
from waakvlam.socialmap.forms import FindForm
from waakvlam.socialmap.selectors import public_services

FIND_ROLES = CARE_ROLES | {Role.ADMIN}


def finder(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role not in FIND_ROLES or not user.organisation_id:
        raise Http404
    return user


def resident_for_referral(request: HttpRequest, user: User, raw: Any, context: str) -> Resident | None:
    """The resident a steward searches or refers for: only one they keep contact with; the read is logged."""
    if raw in (None, ""):
        return None
    try:
        public_id = uuid.UUID(str(raw))  # the resident's public id (docs/decisions/0009)
    except ValueError:
        raise Http404 from None
    resident = (
        residents_writable_by(user).select_related("household__neighbourhood").filter(public_id=public_id).first()
    )
    if resident is None:
        raise Http404
    access_log_record(
        actor=Actor.from_request(request),
        action=AccessAction.VIEW,
        object_type="households.resident",
        object_id=resident.pk,
        subject=resident_subject(resident.pk),
        context=context,
    )
    return resident


def _query(form: FindForm, municipality_id: int, resident: Resident | None) -> search.Query:
    data = form.cleaned_data
    hood = data.get("neighbourhood")
    origin = None
    home = resident.household.neighbourhood if resident and resident.household else None
    if home is not None:
        origin = search.neighbourhood_centre(home)
    elif hood is not None:
        origin = search.neighbourhood_centre(hood)
    when = data.get("when") or ""
    return search.Query(
        municipality_id=municipality_id,
        need=data["need"].pk if data.get("need") else None,
        neighbourhood_id=hood.pk if hood else None,
        origin=origin,
        max_km=float(data["distance"]) if data.get("distance") and origin else None,
        day=int(when) if when.isdigit() else None,
        open_now=when == "nu",
        this_week=when == "week",
        free=bool(data.get("free")),
        no_referral=bool(data.get("no_referral")),
        text=data.get("text") or "",
    )


@login_required
def find(request: HttpRequest) -> HttpResponse:
    user, now = finder(request), timezone.now()
    resident = resident_for_referral(request, user, request.GET.get("resident"), "ui:socialmap_find")
    initial: dict[str, Any] = {}
    if resident and resident.household and resident.household.neighbourhood_id:
        initial["neighbourhood"] = resident.household.neighbourhood_id
    form = FindForm(request.GET or None, initial=initial, municipality_id=user.municipality_id)
    hits: list[search.Hit] = []
    total = 0
    page = _page_number(request.GET.get("pagina"))
    searched = bool(request.GET) and form.is_valid()
    if searched:
        size = search.PAGE_SIZE
        query = _query(form, user.municipality_id, resident)
        hits, total = search.services_find(query, now=now, limit=size, offset=(page - 1) * size)
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "socialmap/find.html",
        {
            "form": form,
            "hits": hits,
            "total": total,
            "searched": searched,
            "resident": resident,
            "now": now,
            "page": Paginator(range(total), search.PAGE_SIZE).get_page(page),
            "query": params.urlencode(),
        },
    )


def _page_number(raw: str | None) -> int:
    """?pagina=N: a bad or absurd value is the first page, never an error."""
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) <= 10_000 else 1


@login_required
def service_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = finder(request)
    service = get_object_or_404(
        public_services(user.municipality_id)
        .select_related("organization", "keeper")
        .prefetch_related("schedules", "contacts__phones", "service_at_locations__location__addresses", "needs"),
        pk=pk,
    )
    resident = resident_for_referral(request, user, request.GET.get("resident"), "ui:socialmap_service")
    return render(request, "socialmap/service_detail.html", {"service": service, "resident": resident})


def _municipality() -> Municipality:
    found = Municipality.objects.order_by("pk").first()
    if found is None:
        raise Http404
    return found


def public_index(request: HttpRequest) -> HttpResponse:
    hoods = Neighbourhood.objects.select_related("district").order_by("district__code", "name")
    return render(request, "socialmap/public_index.html", {"neighbourhoods": hoods})


def public_neighbourhood(request: HttpRequest, code: str) -> HttpResponse:
    """Everything published that happens in one neighbourhood, collective first, by day: to print or send."""
    hood = get_object_or_404(Neighbourhood.objects.select_related("municipality"), code=code.upper())
    services = list(
        public_services(hood.municipality_id)
        .filter(status=m.ServiceStatus.ACTIVE, service_at_locations__location__neighbourhood=hood)
        .distinct()
        .select_related("organization")
        .prefetch_related("schedules", "contacts__phones", "service_at_locations__location__addresses")
        .order_by("-collective", "name")
    )
    return render(
        request,
        "socialmap/public_neighbourhood.html",
        {
            "neighbourhood": hood,
            "collective": [s for s in services if s.collective],
            "individual": [s for s in services if not s.collective],
        },
    )
