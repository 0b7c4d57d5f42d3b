"""The words a signal's history uses, in one place, built on the signal's own status words.

A history step that puts a signal in a state is named with that state's label (`Status`), so the signal
page, its history, the reporter's tracking page, the inbox and the regie's page can never drift apart
again ("Toegewezen" in the history while the reporter reads "Opgepakt"). docs/glossary.md lists them.
"""

from __future__ import annotations

from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waakvlam.intake.models import Status

__all__ = ["SIGNAL_EVENT_LABELS", "signal_event_label"]

# SignalEvent.kind → the step in the field's words.
SIGNAL_EVENT_LABELS: MappingProxyType[str, str | Promise] = MappingProxyType(
    {
        "received": Status.RECEIVED.label,
        # Routing gave it to a team; nobody has picked it up yet (that is "claimed").
        "assigned": _("Doorgestuurd naar team"),
        "claimed": Status.ASSIGNED.label,
        "transferred": _("Overgedragen"),
        "contact_attempted": _("Contact geprobeerd"),
        "contact_made": _("Contact gelegd"),
        "escalated": _("Geëscaleerd"),
        "reopened": _("Heropend"),
        "closed": Status.CLOSED.label,
        "linked": _("Gekoppeld"),
        "note": _("Notitie"),
    }
)


def signal_event_label(kind: str) -> str:
    """A readable label for a history step; an unknown kind is shown as it is rather than hidden."""
    label = SIGNAL_EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("_", " ")
