"""Contact's parts of the household page (households/reach.py), registered in apps.py.

Who keeps an active contact plan for a resident of a household may open that household's page; on its
timeline every reader sees, of the contact plans, contact moments and early-warning plans there, exactly
what the plan and early-warning selectors let them see. Contact notes stay on the plan page. Every
resident shown is logged, naming them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.contact.models import ContactMoment, ContactPlan, EarlyWarningPlan, PlanStatus
from waakvlam.contact.selectors import early_warning_plans_visible_to, plans_visible_to
from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.households.models import Household
from waakvlam.households.reach import TimelineEntry, TimelineEvent, timeline_entries
from waakvlam.households.services import resident_subject
from waakvlam.privacy.services import Actor, access_log_reads

MAX_MOMENTS = 200


def households_with_active_plans(user: User, now: datetime | None) -> Any:
    """Households where the user may see an active contact plan (ids, for a subquery)."""
    return (
        plans_visible_to(user, now)
        .filter(status=PlanStatus.ACTIVE, resident__household__isnull=False)
        .values("resident__household_id")
    )


def _keeper(plan: ContactPlan) -> str:
    return person_name(plan.steward) if plan.steward else (plan.team.name if plan.team else "")


# (moment, title, who) per event of a contact plan and of an early-warning plan, in the order they happen.
_PLAN_EVENTS: tuple[TimelineEvent[ContactPlan], ...] = (
    TimelineEvent(
        moment=lambda plan: plan.starts_on,
        title=gettext_lazy("Waakvlamcontact met %(resident)s gestart"),
        who=_keeper,
        rank=1,
    ),
    TimelineEvent(
        moment=lambda plan: plan.closed_at,
        title=gettext_lazy("Waakvlamcontact met %(resident)s afgesloten"),
        who=_keeper,
    ),
)
_WARNING_PLAN_EVENTS: tuple[TimelineEvent[EarlyWarningPlan], ...] = (
    TimelineEvent(
        moment=lambda ewp: ewp.created_at,
        title=gettext_lazy("Signaleringsplan van %(resident)s opgesteld"),
        who=lambda ewp: person_name(ewp.created_by) if ewp.created_by else "",
    ),
    TimelineEvent(
        moment=lambda ewp: ewp.agreed_on,
        title=gettext_lazy("Signaleringsplan besproken met %(resident)s"),
    ),
)


def contact_timeline(user: User, household: Household, *, actor: Actor, now: datetime) -> list[TimelineEntry]:
    plans = list(
        plans_visible_to(user, now)
        .filter(resident__household=household)
        .select_related("resident", "steward", "team")
        .order_by("pk")
    )
    entries: list[TimelineEntry] = []
    for plan in plans:
        entries += timeline_entries(
            plan,
            _PLAN_EVENTS,
            kind=_("Waakvlamcontact"),
            url=reverse("contact:plan_detail", args=[plan.public_id]),
            names={"resident": plan.resident},
            status=str(plan.get_status_display()),
        )
    by_plan = {plan.pk: plan for plan in plans}
    moments = (
        ContactMoment.objects.filter(plan_id__in=list(by_plan))
        .select_related("recorded_by")
        .order_by("-happened_on", "-pk")[:MAX_MOMENTS]
    )
    for moment in moments:
        plan = by_plan[moment.plan_id]
        reached = _("contact gehad") if moment.made else _("geen contact")
        entries.append(
            TimelineEntry(
                when=moment.happened_on,
                kind=_("Contactmoment"),
                title=f"{plan.resident}: {moment.get_channel_display()}, {reached}",
                url=reverse("contact:plan_detail", args=[plan.public_id]),
                detail=str(moment.get_wellbeing_display()) if moment.wellbeing else "",
                who=person_name(moment.recorded_by) if moment.recorded_by else "",
            )
        )
    warning_plans = list(
        early_warning_plans_visible_to(user, now)
        .filter(resident__household=household)
        .select_related("resident", "created_by")
        .order_by("pk")
    )
    for ewp in warning_plans:
        entries += timeline_entries(
            ewp,
            _WARNING_PLAN_EVENTS,
            kind=_("Signaleringsplan"),
            url=reverse("contact:early_warning_plan", args=[ewp.resident.public_id]),
            names={"resident": ewp.resident},
        )
    _log(actor, now, "contact.contactplan", [(p.pk, p.resident_id) for p in plans])
    _log(actor, now, "contact.earlywarningplan", [(w.pk, w.resident_id) for w in warning_plans])
    return entries


def _log(actor: Actor, now: datetime, object_type: str, rows: list[tuple[int, int]]) -> None:
    if rows:
        access_log_reads(
            actor=actor,
            object_type=object_type,
            reads=[(pk, resident_subject(resident_id)) for pk, resident_id in rows],
            context="ui:household_detail",
            reason="tijdlijn",
            now=now,
        )
