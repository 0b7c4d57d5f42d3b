"""Collective offers suggested on another app's screen without that app importing the social map: the
signal's actions and its close screen (routing's templates) load this library and render
{% collective_first signal %}.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from waakvlam.core.models import User
from waakvlam.socialmap.suggestions import collective_offers_near, needs_for_category
from waakvlam.socialmap.views import FIND_ROLES

register = template.Library()


@register.inclusion_tag("socialmap/_collective_first.html", takes_context=True)
def collective_first(context: template.Context, signal: Any) -> dict[str, Any]:
    """What the neighbourhood offers collectively for what this signal is about; only for someone who
    may use the social map. Public information only: nothing here is logged or about the resident."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or user.role not in FIND_ROLES or user.municipality_id != signal.municipality_id:
        return {"show": False}
    needs = needs_for_category(signal.category)
    hood = signal.neighbourhood
    hits = collective_offers_near(
        municipality_id=signal.municipality_id, neighbourhood=hood, needs=needs, now=timezone.now()
    )
    return {
        "show": bool(needs) and hood is not None,
        "hits": hits,
        "neighbourhood": hood,
        "need": needs[0] if needs else None,
        "signal": signal,
    }
