"""A resident's export and erasure, composed from the parts each app registers.

Households sits below the apps that hold the rest of a resident's life (contact plans, consents,
handovers), so it never imports them: each such app registers its part from its `AppConfig.ready()`
with `register_resident_part`, as sweeps and follow-up kinds are registered. A part says what it adds to
the export document, what erasing would do (counts and blockers, for the confirmation page) and how to
erase it. export.py and erasure.py walk the parts in `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from waakvlam.core.models import User
from waakvlam.core.people import person_name
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

__all__ = [
    "EXPORT_PAGE_SLOT",
    "ErasurePlan",
    "ErasureStep",
    "ResidentPart",
    "erasure_log",
    "export_iso",
    "export_person",
    "export_row",
    "register_resident_part",
    "resident_parts",
]


@dataclass
class ErasurePlan:
    """What erasing would do, for the confirmation page; `blockers` say why it cannot be done now."""

    contact_plans: int = 0
    early_warning_plan: bool = False
    handovers: int = 0
    signals: int = 0
    signals_kept_for_others: bool = False
    blockers: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "contact_plans": self.contact_plans,
            "early_warning_plan": int(self.early_warning_plan),
            "handovers": self.handovers,
            "signals": self.signals,
        }


@dataclass(frozen=True)
class ErasureStep:
    """What erasing one part is given: who does it, when, the note left on the records and the log's reason."""

    actor: Actor
    now: datetime
    note: str
    reason: str


@dataclass(frozen=True)
class ResidentPart:
    """`export` returns its entries of the document (resident_export), in order; `plan` adds counts and
    blockers to the erasure plan; `erase` erases, inside the erasure's transaction; `readable` adds
    template context for the readable page."""

    name: str
    order: int
    export: Callable[[Resident], dict[str, Any]]
    plan: Callable[[Resident, ErasurePlan], None]
    erase: Callable[[Resident, ErasurePlan, ErasureStep], None]
    # Extra context for the readable export page, from the document (labels for people to read).
    readable: Callable[[dict[str, Any]], dict[str, Any]] = lambda document: {}


_PARTS: dict[str, ResidentPart] = {}

# Where a part's own section goes on the readable export page (core/page_parts.py; the page's object is
# the export document), for parts whose entries the page does not lay out itself.
EXPORT_PAGE_SLOT = "households.resident_export:parts"


def register_resident_part(part: ResidentPart) -> None:
    _PARTS[part.name] = part


def resident_parts() -> list[ResidentPart]:
    return sorted(_PARTS.values(), key=lambda part: part.order)


def export_iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_row(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj` for the export document, with the label of each field that has choices."""
    out: dict[str, Any] = {}
    for name in fields:
        out[name] = export_iso(getattr(obj, name))
        if name == "id" and hasattr(obj, "public_id"):
            # The document names an object as its screens do: a counter would tell how many there are (ADR 0009).
            out[name] = str(obj.public_id)
        display = getattr(obj, f"get_{name}_display", None)
        if callable(display):
            # The code for machines, the label (Dutch) for people reading the document.
            out[f"{name}_label"] = str(display())
    return out


def export_person(user: User | None) -> str:
    return person_name(user) if user is not None else ""


def erasure_log(step: ErasureStep, action: AccessAction, object_type: str, object_id: int, resident_id: int) -> None:
    """One access-log entry per object an erasure changes, about the resident."""
    access_log_record(
        actor=step.actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        subject=resident_subject(resident_id),
        context="privacy:resident_erase",
        reason=step.reason,
        now=step.now,
    )
