"""What a handover's notifications show, decided when they are read (notify/rendering.py).

The stored notification says only that there is an announcement and which handover (`ref`); the date,
neighbourhood and address are shown to a reader who may see them *now*: the receiving side through
handover visibility, the housing association only while the resident's consent for handover data covers
it. A revoked consent makes the notification unreadable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_noop

from waakvlam.contact.models import DataKind, active_consents
from waakvlam.contact.selectors import today_of
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.handover.selectors import handovers_visible_to
from waakvlam.households.services import resident_subject
from waakvlam.notify.catalogue import register_kind, register_values
from waakvlam.notify.models import Notification
from waakvlam.notify.rendering import Rendered

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
SHOWN_ANNOUNCED_SUBJECT, SHOWN_ANNOUNCED_WHO, SHOWN_ANNOUNCED_TEAM, SHOWN_ANNOUNCED_OPEN = register_kind(
    "handover_announced",
    gettext_noop("Warme overdracht aangekondigd: uitstroom %(date)s in %(hood)s"),
    gettext_noop("%(organisation)s kondigt een uitstroom aan op %(date)s in %(hood)s."),
    gettext_noop("Team: %(team)s. Eerste contact uiterlijk %(due)s."),
    gettext_noop("Open de overdracht in Waakvlam om hem te accepteren en een waakvlammer toe te wijzen."),
)
SHOWN_DONE_SUBJECT, SHOWN_DONE_BODY, SHOWN_DONE_CLOSED, SHOWN_DONE_ACCEPTED, SHOWN_DONE_ACCEPTED_ON = register_kind(
    "handover_announced",
    gettext_noop("Warme overdracht van %(date)s in %(hood)s: %(done)s"),
    gettext_noop("Deze overdracht is al %(done)s; hier hoeft niemand meer op te reageren."),
    gettext_noop("afgesloten op %(date)s"),
    gettext_noop("geaccepteerd door %(team)s"),
    gettext_noop("geaccepteerd door %(team)s op %(date)s"),
)
SHOWN_SENDER, SHOWN_SENDER_REACH = register_kind(
    "handover_announced",
    gettext_noop("Verwezen door %(who)s (%(organisation)s)."),
    gettext_noop("Verwezen door %(who)s (%(organisation)s), bereikbaar via %(reach)s."),
)
(THE_CLINICIAN,) = register_values(gettext_noop("de behandelaar"))
SHOWN_HOUSING_SUBJECT, SHOWN_HOUSING_DATE, SHOWN_HOUSING_ADDRESS = register_kind(
    "handover_housing",
    gettext_noop("Aankondiging nieuwe bewoner per %(date)s"),
    gettext_noop("Datum: %(date)s"),
    gettext_noop("Adres: %(address)s"),
)


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
    discharge = f"{handover.discharge_on:%d-%m-%Y}"
    if handover.status != HandoverStatus.ANNOUNCED:
        # Something done says so: the request to accept is not repeated once someone has.
        if handover.status == HandoverStatus.CLOSED and handover.closed_at:
            done = SHOWN_DONE_CLOSED % {"date": f"{handover.closed_at:%d-%m-%Y}"}
        elif handover.accepted_at:
            done = SHOWN_DONE_ACCEPTED_ON % {
                "team": handover.receiving_team.name,
                "date": f"{handover.accepted_at:%d-%m-%Y}",
            }
        else:
            done = SHOWN_DONE_ACCEPTED % {"team": handover.receiving_team.name}
        return Rendered(
            subject=SHOWN_DONE_SUBJECT % {"date": discharge, "hood": hood, "done": done},
            body="\n".join((SHOWN_DONE_BODY % {"done": done}, sender_line(handover))),
            subjects=[resident_subject(handover.resident_id)],
        )
    return Rendered(
        subject=SHOWN_ANNOUNCED_SUBJECT % {"date": discharge, "hood": hood},
        body="\n".join(
            (
                SHOWN_ANNOUNCED_WHO
                % {"organisation": handover.from_organisation.name, "date": discharge, "hood": hood},
                SHOWN_ANNOUNCED_TEAM
                % {"team": handover.receiving_team.name, "due": f"{handover.first_contact_due:%d-%m-%Y}"},
                sender_line(handover),
                SHOWN_ANNOUNCED_OPEN,
            )
        ),
        subjects=[resident_subject(handover.resident_id)],
    )


def sender_line(handover: Handover) -> str:
    """Who sent the resident and how to reach them, as one line of a notification."""
    reach = " / ".join(part for part in (handover.sender_phone, handover.sender_email) if part)
    values = {"who": handover.sender_name or THE_CLINICIAN, "organisation": handover.from_organisation.name}
    return SHOWN_SENDER_REACH % {**values, "reach": reach} if reach else SHOWN_SENDER % values


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
        subject=SHOWN_HOUSING_SUBJECT % {"date": f"{handover.discharge_on:%d-%m-%Y}"},
        body=SHOWN_HOUSING_DATE % {"date": f"{handover.discharge_on:%d-%m-%Y}"}
        + "\n"
        + SHOWN_HOUSING_ADDRESS % {"address": handover.address},
        subjects=[resident_subject(handover.resident_id)],
    )
