"""The privacy officer's screens for residents' rights: find a resident, export everything about them as
a readable page (printable to PDF) or as JSON, and erase them on request."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.households.erasure import ErasureRefused, resident_erase, resident_erasure_plan
from waakvlam.households.export import (
    MAX_LOG_ENTRIES,
    access_log_about,
    resident_export,
    residents_exportable_by,
    residents_search,
)
from waakvlam.households.models import Resident
from waakvlam.households.rights import resident_parts
from waakvlam.households.services import resident_subject
from waakvlam.privacy.readable import readable_entries
from waakvlam.privacy.services import Actor, access_log_reads


def _privacy_officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.PRIVACY_OFFICER or not user.organisation_id:
        raise Http404
    return user


@login_required
def resident_search(request: HttpRequest) -> HttpResponse:
    user = _privacy_officer(request)
    query = (request.GET.get("q") or "")[:100]
    results = list(residents_search(user, query)) if query else []
    if query:
        access_log_reads(
            actor=Actor.from_request(request),
            object_type="households.resident",
            reads=[(r.pk, resident_subject(r.pk)) for r in results],
            context="ui:resident_search",
            reason="zoeken",
        )
    return render(request, "households/resident_search.html", {"query": query, "results": results})


@login_required
def resident_export_view(request: HttpRequest, pk: UUID, fmt: str = "html") -> HttpResponse:
    user = _privacy_officer(request)
    resident = (
        residents_exportable_by(user)
        .select_related("household__address", "household__neighbourhood", "municipality")
        .filter(public_id=pk)
        .first()
    )
    if resident is None:
        raise Http404
    document = resident_export(
        resident=resident, actor=Actor.from_request(request), context=f"ui:resident_export_{fmt}"
    )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="waakvlam-inzage-bewoner-{resident.public_id}.json"'
        return response
    return render(
        request,
        "households/resident_export.html",
        {
            "doc": document,
            "resident": resident,
            # What the registered parts add for reading (contact: the early-warning plan's labelled texts).
            **{key: value for part in resident_parts() for key, value in part.readable(document).items()},
            # The same entries as the document's, in plain words and local time for the resident.
            "access_rows": readable_entries(access_log_about(resident)[:MAX_LOG_ENTRIES]),
        },
    )


def _exportable(user: User, pk: UUID) -> Resident:
    resident = residents_exportable_by(user).select_related("household__address").filter(public_id=pk).first()
    if resident is None:
        raise Http404
    return resident


@login_required
@require_http_methods(["GET", "POST"])
def resident_erase_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Confirm, then erase. The page says what goes and what stays, and why it cannot be done yet."""
    user = _privacy_officer(request)
    resident = _exportable(user, pk)
    error, status, error_field = "", 200, "id_reason"
    if request.method == "POST" and request.POST.get("bevestigd") != "1":
        # Erasure cannot be undone: it runs only with the explicit confirmation on the form.
        error, status, error_field = _("Bevestig dat je deze gegevens definitief wilt wissen."), 400, "id_bevestigd"
    elif request.method == "POST":
        try:
            resident_erase(
                resident=resident,
                reason=request.POST.get("reason", ""),
                actor=Actor.from_request(request),
                now=timezone.now(),
            )
        except ErasureRefused as refused:
            error, status = refused.message, 400
        else:
            messages.success(request, _("De gegevens van bewoner %(n)s zijn gewist.") % {"n": resident.public_id})
            return redirect("households:resident_export", pk=resident.public_id)
    plan = resident_erasure_plan(resident)
    access_log_reads(
        actor=Actor.from_request(request),
        object_type="households.resident",
        reads=[(resident.pk, resident_subject(resident.pk))],
        context="ui:resident_erase",
        reason="wisbevestiging",
    )
    context = {
        "resident": resident,
        "plan": plan,
        "error": error,
        "error_field": error_field,
        "reason": request.POST.get("reason", "")[:200],
    }
    return render(request, "households/resident_erase.html", context, status=status)
