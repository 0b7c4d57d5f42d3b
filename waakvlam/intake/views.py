from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waakvlam.core.permissions import get_visible_or_404
from waakvlam.intake.selectors import signal_subject, signals_visible_to
from waakvlam.privacy.services import Actor


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    visible = signals_visible_to(request.user).select_related("neighbourhood", "owner_team")  # type: ignore[arg-type]
    page = Paginator(visible.order_by("-received_at"), 25).get_page(request.GET.get("pagina"))
    return render(request, "intake/signal_list.html", {"page": page})


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = signals_visible_to(request.user).select_related(  # type: ignore[arg-type]
        "address", "neighbourhood", "owner_team", "owner_user", "municipality"
    )
    signal = get_visible_or_404(
        visible, pk, actor=Actor.from_request(request), context="ui:signal_detail", subject_of=signal_subject
    )
    events = signal.events.select_related("team").all()
    return render(request, "intake/signal_detail.html", {"signal": signal, "events": events})
