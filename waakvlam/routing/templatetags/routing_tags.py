"""Template helpers of the routing app: the action forms on a signal's page, and readable due times.

On the signal page: {% load routing_tags %}{% signal_actions signal %}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from waakvlam.intake.models import Category, Status
from waakvlam.routing import rules as perms
from waakvlam.routing.forms import CloseForm, TransferForm

register = template.Library()


@register.filter
def due_relative(due_at: datetime | None, now: datetime | None) -> str:
    """ "nog 3 uur" before the due time, "2 dagen te laat" after it."""
    if due_at is None or now is None:
        return ""
    if due_at >= now:
        return _("nog %(time)s") % {"time": timeuntil(due_at, now, depth=1)}
    return _("%(time)s te laat") % {"time": timesince(due_at, now, depth=1)}


@register.filter
def late_by(since: datetime | None, now: datetime | None) -> str:
    if since is None or now is None or since > now:
        return "—"
    return timesince(since, now, depth=2)


@register.filter
def category_label(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


@register.inclusion_tag("routing/_signal_actions.html", takes_context=True)
def signal_actions(context: template.Context, signal: Any) -> dict[str, Any]:
    """Claim, transfer and close for someone who may act on this signal; nothing for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_act = bool(user is not None and perms.user_may_act(user, signal))  # type: ignore[arg-type]
    is_open = signal.status != Status.CLOSED
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "signal": signal,
        "may_act": may_act and is_open,
        "may_claim": may_act and is_open and signal.picked_up_at is None,
        "transfer_form": TransferForm(municipality_id=signal.municipality_id, auto_id="overdracht_%s")
        if may_act and is_open
        else None,
        "close_form": CloseForm(auto_id="afsluiten_%s") if may_act and is_open else None,
    }
