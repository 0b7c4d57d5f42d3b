"""What a handover's notifications show, decided when they are read (notify/rendering.py).

The stored notification says only that there is an announcement and which handover (`ref`); the date,
neighbourhood and address are shown to a reader who may see them *now*: the receiving side through
handover visibility, the housing association only while the resident's consent for handover data covers
it. A revoked consent makes the notification unreadable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from waakvlam.contact.models import DataKind, active_consents
from waakvlam.contact.selectors import today_of
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.handover.selectors import handovers_visible_to
from waakvlam.households.services import resident_subject
from waakvlam.notify.models import Notification
from waakvlam.notify.rendering import Rendered


def _handover_of(notification: Notification) -> int:
    """The handover's id from `ref`; 0 (matches nothing) for anything else."""
    kind, _, pk = notification.ref.partition(":")
    return int(pk) if kind == "handover" and pk.isdigit() else 0


def render_announced(user: Any, notification: Notification, now: datetime) -> Rendered | None:
    pk = _handover_of(notification)
    handover = (
        handovers_visible_to(user, now)
        .select_related("address__neighbourhood", "receiving_team", "from_organisation")
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        return None
    hood = handover.address.neighbourhood.name if handover.address.neighbourhood else "-"
    if handover.status != HandoverStatus.ANNOUNCED:
        # Something done says so: the request to accept is not repeated once someone has.
        done = (
            f"afgerond op {handover.closed_at:%d-%m-%Y}"
            if handover.status == HandoverStatus.CLOSED and handover.closed_at
            else f"geaccepteerd door {handover.receiving_team.name}"
            + (f" op {handover.accepted_at:%d-%m-%Y}" if handover.accepted_at else "")
        )
        return Rendered(
            subject=f"Warme overdracht van {handover.discharge_on:%d-%m-%Y} in {hood}: {done}",
            body=f"Deze overdracht is al {done}; hier hoeft niemand meer op te reageren.\n{sender_line(handover)}",
            subjects=[resident_subject(handover.resident_id)],
        )
    return Rendered(
        subject=f"Warme overdracht aangekondigd: uitstroom {handover.discharge_on:%d-%m-%Y} in {hood}",
        body=(
            f"{handover.from_organisation.name} kondigt een uitstroom aan op {handover.discharge_on:%d-%m-%Y} "
            f"in {hood}.\nTeam: {handover.receiving_team.name}. Eerste contact uiterlijk "
            f"{handover.first_contact_due:%d-%m-%Y}.\n"
            f"{sender_line(handover)}\n"
            "Open de overdracht in Waakvlam om hem te accepteren en een waakvlammer toe te wijzen."
        ),
        subjects=[resident_subject(handover.resident_id)],
    )


def sender_line(handover: Handover) -> str:
    """Who sent the resident and how to reach them, as one line of a notification."""
    reach = " / ".join(part for part in (handover.sender_phone, handover.sender_email) if part)
    who = handover.sender_name or "de behandelaar"
    return f"Verwezen door {who} ({handover.from_organisation.name})" + (f", bereikbaar via {reach}." if reach else ".")


def render_housing(user: Any, notification: Notification, now: datetime) -> Rendered | None:
    """Date and address, for a member of a housing association the resident's consent covers today."""
    pk = _handover_of(notification)
    handover = Handover.objects.select_related("address").filter(pk=pk).first()
    if handover is None or not getattr(user, "organisation_id", None):
        return None
    consented = (
        active_consents(today_of(now))
        .filter(resident_id=handover.resident_id, data_kind=DataKind.HANDOVER, organisation_id=user.organisation_id)
        .exists()
    )
    if not consented:
        return None
    return Rendered(
        subject=f"Aankondiging nieuwe bewoner per {handover.discharge_on:%d-%m-%Y}",
        body=f"Datum: {handover.discharge_on:%d-%m-%Y}\nAdres: {handover.address}",
        subjects=[resident_subject(handover.resident_id)],
    )
