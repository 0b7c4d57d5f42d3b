"""The municipality's stuck page: every follow-up kind, escalated to the municipality, metadata only.

Anyone else gets a 404, like an object they may not see (SECURITY.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waakvlam.core.models import User
from waakvlam.followup import selectors
from waakvlam.followup.kinds import stuck_action

PAGE_SIZE = 25


@login_required
def stuck(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    assert isinstance(user, User)
    if not selectors.may_see_stuck(user):
        raise Http404
    chosen = request.GET.get("soort", "")
    sections: list[dict[str, Any]] = []
    with selectors.small_reads():
        for section in selectors.stuck_overview(user, now):
            number = request.GET.get("pagina") if section.kind.name == chosen else 1
            page = selectors.escalated_page(user, section.kind, number, PAGE_SIZE)
            sections.append(
                {
                    "kind": section.kind,
                    "page": page,
                    "stuck": section.stuck,
                    "query": f"soort={section.kind.name}",
                    "action": stuck_action(section.kind.name),
                }
            )
    context = {
        "sections": sections,
        "now": now,
        "escalated_total": sum(s["page"].paginator.count for s in sections),
        "stuck_total": sum(s["stuck"] for s in sections),
    }
    return render(request, "followup/stuck.html", context)
