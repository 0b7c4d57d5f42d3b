"""The household's part of a signal's page (registered with intake's signal_page in apps.py): the other
signals at the address, likely duplicates, and merging two signals into one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waakvlam.core.errors import form_attempt
from waakvlam.core.models import User
from waakvlam.households.duplicates import duplicate_candidates, signal_merge
from waakvlam.intake.models import Signal, Status
from waakvlam.intake.selectors import address_history, signals_visible_to
from waakvlam.privacy.services import Actor
from waakvlam.routing.rules import user_may_act

MAX_SAME_HOUSEHOLD = 10


def household_panel(user: User, signal: Signal) -> dict[str, Any]:
    """The other signals at this address the viewer may see, and, for someone who may act on the signal,
    its likely duplicates (with the reasons) to merge."""
    visible = signals_visible_to(user)
    merged_into = visible.filter(pk=signal.merged_into_id).first() if signal.merged_into_id else None
    if signal.household_id is None:
        return {"same_household": [], "duplicates": [], "merged_into": merged_into}
    same_household = list(
        visible.filter(household_id=signal.household_id)
        .exclude(pk=signal.pk)
        .select_related("owner_team")
        .order_by("-received_at", "-pk")[:MAX_SAME_HOUSEHOLD]
    )
    duplicates = []
    if signal.status != Status.CLOSED and user_may_act(user, signal):
        duplicates = duplicate_candidates(signal, among=visible)
    return {
        "same_household": same_household,
        "duplicates": duplicates,
        "merged_into": merged_into,
        "history": address_history(visible, household_id=signal.household_id, exclude=signal.pk),
    }


@login_required
@require_POST
def signal_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a likely duplicate: `keep` says which of the two carries on ("this" or "other")."""
    user = request.user
    assert isinstance(user, User)
    visible = signals_visible_to(user)
    signal = visible.filter(pk=pk).first()
    other_id = request.POST.get("other", "")
    other = visible.filter(pk=int(other_id)).first() if other_id.isdigit() and len(other_id) < 18 else None
    if signal is None or not user_may_act(user, signal):
        raise Http404
    if other is None:
        messages.error(request, _("Kies het signaal waarmee je wilt samenvoegen."))
        return redirect("intake:signal_detail", pk=signal.pk)
    keep, duplicate = (other, signal) if request.POST.get("keep") == "other" else (signal, other)
    with form_attempt(request) as attempt:
        signal_merge(
            keep=keep,
            duplicate=duplicate,
            by=user,
            now=timezone.now(),
            actor=Actor.from_request(request),
            context="ui:signal_merge",
        )
    if not attempt.ok:
        return redirect("intake:signal_detail", pk=signal.pk)
    messages.success(
        request,
        _("Samengevoegd: %(dup)s is afgesloten als dubbele melding, %(keep)s loopt door.")
        % {"dup": duplicate.tracking_code, "keep": keep.tracking_code},
    )
    return redirect("intake:signal_detail", pk=keep.pk)
