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

from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.core.templatetags.ui import datum
from waakvlam.handover.models import OPEN_STATUSES
from waakvlam.handover.selectors import handovers_visible_to
from waakvlam.households.models import Household
from waakvlam.households.reach import TimelineEntry
from waakvlam.households.services import resident_subject
from waakvlam.privacy.services import Actor, access_log_reads


def households_with_open_handovers(user: User, now: datetime | None) -> Any:
    """Households an open handover the user may see goes to (ids, for a subquery)."""
    return handovers_visible_to(user, now).filter(status__in=OPEN_STATUSES).values("household_id")


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
        url = reverse("handover:detail", args=[h.public_id])
        status = str(h.get_status_display())
        names = {"resident": h.resident, "org": h.from_organisation.name}
        entries.append(
            TimelineEntry(
                when=h.created_at,
                kind=kind,
                title=_("Overdracht van %(resident)s aangekondigd door %(org)s") % names,
                url=url,
                detail=_("uitstroom %(day)s") % {"day": datum(h.discharge_on)},
                who=h.sender_name or h.from_organisation.name,
                status=status,
                rank=1,
            )
        )
        if h.accepted_at:
            entries.append(
                TimelineEntry(
                    when=h.accepted_at,
                    kind=kind,
                    title=_("Overdracht van %(resident)s geaccepteerd") % names,
                    url=url,
                    who=person_name(h.accepted_by) if h.accepted_by else h.receiving_team.name,
                    status=status,
                )
            )
        if h.first_contact_on:
            entries.append(
                TimelineEntry(
                    when=h.first_contact_on,
                    kind=kind,
                    title=_("Eerste contact met %(resident)s na de overdracht") % names,
                    url=url,
                    who=person_name(h.steward) if h.steward else h.receiving_team.name,
                    status=status,
                )
            )
        if h.closed_at:
            entries.append(
                TimelineEntry(
                    when=h.closed_at,
                    kind=kind,
                    title=_("Overdracht van %(resident)s afgesloten") % names,
                    url=url,
                    status=status,
                )
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
