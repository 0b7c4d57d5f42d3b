"""The social map's sections on lower apps' pages (core/page_parts.py), registered in apps.py: collective
offers above a signal's close form (intake/signal_page.py) and the resident's needs with the offers that
meet them on the contact plan page (contact/hooks.py). No lower app or template names the social map.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.intake.models import Signal
from waakvlam.privacy.services import Actor
from waakvlam.socialmap.forms import NeedForm
from waakvlam.socialmap.needs import need_offers, needs_log_read, needs_visible_to, plan_may_record_needs
from waakvlam.socialmap.suggestions import collective_offers_near, needs_for_category
from waakvlam.socialmap.views import FIND_ROLES


def signal_collective_first(request: HttpRequest, signal: Signal) -> dict[str, Any] | None:
    """What the neighbourhood offers collectively for what this signal is about; only for someone who may
    use the social map. Public information only: nothing here is about the resident, so nothing is logged."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or user.role not in FIND_ROLES or user.municipality_id != signal.municipality_id:
        return None
    needs = needs_for_category(signal.category)
    hood = signal.neighbourhood
    if not needs or hood is None:
        return None
    hits = collective_offers_near(
        municipality_id=signal.municipality_id, neighbourhood=hood, needs=needs, now=timezone.now()
    )
    return {"hits": hits, "neighbourhood": hood, "need": needs[0], "signal": signal}


def plan_needs(request: HttpRequest, plan: ContactPlan) -> dict[str, Any] | None:
    """The resident's open needs, each with the offers that meet it (collective first), and the form to
    record one; the plan was fetched through get_visible_or_404, the needs are read within the same
    need-to-know and each one read is logged naming the resident."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or user.role not in FIND_ROLES:
        return None
    now = timezone.now()
    needs = list(
        needs_visible_to(user, now)
        .filter(resident_id=plan.resident_id, ended_at=None)
        .select_related("term", "recorded_by", "resident__household__neighbourhood")
    )
    needs_log_read(Actor.from_request(request), needs, "ui:plan_needs")
    may_record = plan_may_record_needs(user, plan)
    if not needs and not may_record:
        return None
    return {
        "plan": plan,
        "offers": [need_offers(n, municipality_id=plan.municipality_id, now=now) for n in needs],
        "may_record": may_record,
        "may_refer": user.role in KEEPER_ROLES and may_record,
        "form": NeedForm(auto_id="behoefte_%s") if may_record else None,
    }
