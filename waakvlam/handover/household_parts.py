"""Handover's parts of the household page (households/reach.py), registered in apps.py.

A party to an open warm handover (the sending clinic or shelter, the receiving team and steward) may open
the household it goes to; on the timeline each reader sees the handovers the handover selectors let them
see: announced, accepted, first contact, closed. Every resident shown is logged, naming them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.core.templatetags.ui import datum
from waakvlam.handover.models import OPEN_STATUSES, Handover
from waakvlam.handover.selectors import handovers_visible_to
from waakvlam.households.models import Household
from waakvlam.households.reach import TimelineEntry, TimelineEvent, timeline_entries
from waakvlam.households.services import resident_subject
from waakvlam.privacy.services import Actor, access_log_reads


def households_with_open_handovers(user: User, now: datetime | None) -> Any:
    """Households an open handover the user may see goes to (ids, for a subquery)."""
    return handovers_visible_to(user, now).filter(status__in=OPEN_STATUSES).values("household_id")


def _receiver(person: User | None, h: Handover) -> str:
    return person_name(person) if person else h.receiving_team.name


# Announced, accepted, first contact, closed: (moment, title, who) per event, in the order they happen.
_EVENTS: tuple[TimelineEvent[Handover], ...] = (
    TimelineEvent(
        moment=lambda h: h.created_at,
        title=gettext_lazy("Overdracht van %(resident)s aangekondigd door %(org)s"),
        who=lambda h: h.sender_name or h.from_organisation.name,
        detail=lambda h: _("uitstroom %(day)s") % {"day": datum(h.discharge_on)},
        rank=1,
    ),
    TimelineEvent(
        moment=lambda h: h.accepted_at,
        title=gettext_lazy("Overdracht van %(resident)s geaccepteerd"),
        who=lambda h: _receiver(h.accepted_by, h),
    ),
    TimelineEvent(
        moment=lambda h: h.first_contact_on,
        title=gettext_lazy("Eerste contact met %(resident)s na de overdracht"),
        who=lambda h: _receiver(h.steward, h),
    ),
    TimelineEvent(moment=lambda h: h.closed_at, title=gettext_lazy("Overdracht van %(resident)s afgesloten")),
)


def handover_timeline(user: User, household: Household, *, actor: Actor, now: datetime) -> list[TimelineEntry]:
    handovers = list(
        handovers_visible_to(user, now)
        .filter(household=household)
        .select_related("resident", "from_organisation", "receiving_team", "steward", "accepted_by")
        .order_by("pk")
    )
    entries: list[TimelineEntry] = []
    kind = _("Warme overdracht")
    for h in handovers:
        entries += timeline_entries(
            h,
            _EVENTS,
            kind=kind,
            url=reverse("handover:detail", args=[h.public_id]),
            names={"resident": h.resident, "org": h.from_organisation.name},
            status=str(h.get_status_display()),
        )
    if handovers:
        access_log_reads(
            actor=actor,
            object_type="handover.handover",
            reads=[(h.pk, resident_subject(h.resident_id)) for h in handovers],
            context="ui:household_detail",
            reason="tijdlijn",
            now=now,
        )
    return entries
