"""Template helpers of the pilot light: how a due date reads, and the early-warning signs next to a signal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waakvlam.contact.selectors import (
    active_plans_at_household,
    early_warning_signs_for_address,
    early_warning_signs_for_household,
    plans_writable_by,
    today_of,
)
from waakvlam.core.people import person_name
from waakvlam.core.roles import Role
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

register = template.Library()


@register.filter
def due_state(due: date | None, today: date) -> str:
    """ "overdue", "today", "soon" (within a week) or "later": the badge a due date gets."""
    if due is None:
        return "later"
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "soon" if (due - today).days <= 7 else "later"


@register.filter
def due_text(due: date | None, today: date) -> str:
    if due is None:
        return "—"
    days = (due - today).days
    if days < 0:
        return ngettext("%(n)d dag te laat", "%(n)d dagen te laat", -days) % {"n": -days}
    if days == 0:
        return _("vandaag")
    return ngettext("over %(n)d dag", "over %(n)d dagen", days) % {"n": days}


@register.inclusion_tag("contact/_plan_signs.html", takes_context=True)
def plan_signs(
    context: dict[str, Any], household_id: int | None = None, address_id: int | None = None
) -> dict[str, Any]:
    """The early-warning signs of the residents at a household (or address) that the viewer may see; each
    plan shown is one read, logged. Use: {% load pilot_light %}{% plan_signs address_id=signal.address_id %}"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"plans": []}
    if household_id:
        plans = early_warning_signs_for_household(user, household_id)
    else:
        plans = early_warning_signs_for_address(user, address_id)
    actor = Actor.from_request(request)
    for plan in plans:
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="contact.earlywarningplan",
            object_id=plan.pk,
            subject=resident_subject(plan.resident_id),
            context="ui:signal_plan_signs",
        )
    return {"plans": plans}


HISTORY_LABELS = {
    "started": gettext_lazy("Gestart"),
    "changed": gettext_lazy("Gewijzigd"),
    "handed_over": gettext_lazy("Overgedragen aan de back-up"),
    "backup_cleared": gettext_lazy("Back-up vervallen"),
    "handover_undone": gettext_lazy("Overdracht ongedaan gemaakt"),
    "escalated": gettext_lazy("Geëscaleerd"),
    "closed": gettext_lazy("Afgesloten"),
    "announced": gettext_lazy("Aangekondigd"),
    "accepted": gettext_lazy("Geaccepteerd"),
    "checklist": gettext_lazy("Checklist bijgewerkt"),
    "first_contact": gettext_lazy("Eerste contact"),
    "housing_informed": gettext_lazy("Woningcorporatie geïnformeerd"),
}


@register.filter
def history_label(kind: str) -> str:
    """A readable label for a step in a plan's or handover's history."""
    label = HISTORY_LABELS.get(kind)
    return str(label) if label else kind.replace("_", " ")


@register.filter
def person(user: Any) -> str:
    """A colleague's name as shown: full name, else username; "—" for nobody (a removed account)."""
    if user is None or not getattr(user, "pk", None):
        return "—"
    return person_name(user)


@register.inclusion_tag("contact/_pilot_light_at.html", takes_context=True)
def pilot_light_at(context: dict[str, Any], signal: Any) -> dict[str, Any]:
    """On a signal's page: the contact plans already running at its address (within need-to-know, each one
    shown logged), with a way to record a contact there, or to start a plan from the signal.
    Use: {% load pilot_light %}{% pilot_light_at signal %}"""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"plans": []}
    plans = active_plans_at_household(user, signal.household_id)
    writable = set(plans_writable_by(user).filter(pk__in=[p.pk for p in plans]).values_list("pk", flat=True))
    actor = Actor.from_request(request)
    for plan in plans:
        plan.may_record = plan.pk in writable  # type: ignore[attr-defined]
        access_log_record(
            actor=actor,
            action=AccessAction.VIEW,
            object_type="contact.contactplan",
            object_id=plan.pk,
            subject=resident_subject(plan.resident_id),
            context="ui:signal_pilot_light",
        )
    may_start = user.role in {Role.STEWARD, Role.COORDINATOR} and signal.status != "closed"
    return {"plans": plans, "signal": signal, "may_start": may_start, "today": today_of()}
