"""What the owner of a new signal hears of it, and the texts and links notifications about signals share.

Used by every path that creates a signal (services.signal_create, the API writer's batch) and by routing
when a signal changes hands; the file import tells each owning team once per file instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import translation

from waakvlam.core.cache import process_cached
from waakvlam.core.models import Team, User
from waakvlam.core.roles import ACTING_ROLES
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.intake.models import Category, Signal, Urgency

__all__ = ["announcement", "local_time_text", "signal_link", "team_recipients"]


def team_recipients(team: Team) -> list[User]:
    """The team's active members who act on signals: who hears of a new signal for the team. Cached per
    process like the routing tables; the users are shared between threads, so read them only."""
    return process_cached(
        ("recipients", team.pk), lambda: list(team.members.filter(is_active=True, role__in=ACTING_ROLES))
    )


def signal_link(signal: Signal) -> str:
    with translation.override("nl"):
        return reverse("intake:signal_detail", kwargs={"pk": signal.pk})


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
    with translation.override("nl"):
        category = str(Category(signal.category).label)
    return {
        "municipality_id": signal.municipality_id,
        "kind": "signal_new_urgent" if urgent else "signal_new",
        "subject": f"{'Urgent signaal' if urgent else 'Nieuw signaal'}: {category} ({signal.tracking_code})",
        "body": (
            f"Soort: {category}\n"
            f"Urgentie: {'hoog' if urgent else 'normaal'}\n"
            f"Buurt: {signal.neighbourhood.name if signal.neighbourhood else '-'}\n"
            f"Team: {signal.owner_team.name}\n"
            f"Uiterlijk opgepakt: {local_time_text(signal.due_at)}"
        ),
        "dedupe_key": f"signal:{signal.pk}:new",
        "now": now,
        "recipients": recipients,
        "urgent": urgent,
        "link": signal_link(signal),
    }
