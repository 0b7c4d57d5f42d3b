"""What the owner of a new signal hears of it, and the texts and links notifications about signals share.

Used by every path that creates a signal (services.signal_create, the API writer's batch) and by routing
when a signal changes hands; the file import tells each owning team once per file instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_noop

from waakvlam.core.cache import process_cached
from waakvlam.core.i18n import dutch, dutch_path
from waakvlam.core.models import Team, User
from waakvlam.core.roles import CARE_ROLES
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.intake.models import URGENCY_WORDS, Category, Signal, Urgency
from waakvlam.notify.catalogue import register_kind, register_values

__all__ = ["announcement", "local_time_text", "signal_link", "team_recipients"]

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
_NEW_LINES = (
    gettext_noop("Soort: %(category)s"),
    gettext_noop("Urgentie: %(urgency)s"),
    gettext_noop("Buurt: %(hood)s"),
    gettext_noop("Team: %(team)s"),
    gettext_noop("Uiterlijk opgepakt: %(due)s"),
)
NEW_SUBJECT, NEW_CATEGORY, NEW_URGENCY, NEW_HOOD, NEW_TEAM, NEW_DUE = register_kind(
    "signal_new", gettext_noop("Nieuw signaal: %(category)s (%(code)s)"), *_NEW_LINES
)
NEW_URGENT_SUBJECT = register_kind(
    "signal_new_urgent", gettext_noop("Urgent signaal: %(category)s (%(code)s)"), *_NEW_LINES
)[0]
# The level's own word, the very msgid of Urgency's label. "hoog"/"normaal" were written before one word per
# level: notifications that hold them are still shown in English.
URGENCY_HIGH, URGENCY_NORMAL = register_values(URGENCY_WORDS[Urgency.HIGH], URGENCY_WORDS[Urgency.NORMAL])
register_values(gettext_noop("hoog"), gettext_noop("normaal"))


def team_recipients(team: Team) -> list[User]:
    """The team's active members who act on signals: who hears of a new signal for the team. Cached per
    process like the routing tables; the users are shared between threads, so read them only."""
    return process_cached(
        ("recipients", team.pk), lambda: list(team.members.filter(is_active=True, role__in=CARE_ROLES))
    )


def signal_link(signal: Signal) -> str:
    return dutch_path("intake:signal_detail", pk=signal.pk)


def local_time_text(moment: datetime) -> str:
    """A moment in the installation's zone as `31-12-2026 09:00`, for notification texts."""
    local = moment.astimezone(DEFAULT_CALENDAR.zone)
    return local.strftime("%d-%m-%Y %H:%M")


def announcement(signal: Signal, now: datetime) -> dict[str, Any]:
    """What the owning team (or owner) is told of a new signal, as notification_enqueue's arguments: in the
    app always, by e-mail at once when urgent, else in the digest. The text names the kind of worry and the
    neighbourhood, never the address or what was seen."""
    recipients = [signal.owner_user] if signal.owner_user is not None else team_recipients(signal.owner_team)
    urgent = signal.urgency == Urgency.HIGH
    category = dutch(Category(signal.category).label)
    return {
        "municipality_id": signal.municipality_id,
        "kind": "signal_new_urgent" if urgent else "signal_new",
        "subject": (NEW_URGENT_SUBJECT if urgent else NEW_SUBJECT)
        % {"category": category, "code": signal.tracking_code},
        "body": "\n".join(
            (
                NEW_CATEGORY % {"category": category},
                NEW_URGENCY % {"urgency": URGENCY_HIGH if urgent else URGENCY_NORMAL},
                NEW_HOOD % {"hood": signal.neighbourhood.name if signal.neighbourhood else "-"},
                NEW_TEAM % {"team": signal.owner_team.name},
                NEW_DUE % {"due": local_time_text(signal.due_at)},
            )
        ),
        "dedupe_key": f"signal:{signal.pk}:new",
        "now": now,
        "recipients": recipients,
        "urgent": urgent,
        "link": signal_link(signal),
    }
