"""A signal's allowed status changes, in one table, and the one function that writes a status.

Every path that changes a signal's status names its action here: intake creates (received), routing claims,
transfers and closes, the follow-up clock escalates (the status stays what it was: escalating is allowed
only while the signal is open), households merges a duplicate (closed). `status_change` checks the change
against the table and sets it; a bulk update filters its rows by `statuses_from(action)`, so a batch can
never move a signal the table does not allow to move. The services keep their own, friendlier refusals
("already closed", "already picked up") in front of this check; the table is what they agree with.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from waakvlam.intake.errors import IntakeError
from waakvlam.intake.models import Signal, Status

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Action",
    "StatusChangeNotAllowed",
    "status_after",
    "status_change",
    "statuses_from",
]


class Action(StrEnum):
    CREATE = "create"
    CLAIM = "claim"
    TRANSFER = "transfer"
    CLOSE = "close"
    ESCALATE = "escalate"
    MERGE = "merge"


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)
PICKED_UP_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)

# action → {from-status → to-status}; `None` is "not stored yet". What is not here is not allowed.
TRANSITIONS: MappingProxyType[Action, dict[Status | None, Status]] = MappingProxyType(
    {
        Action.CREATE: {None: Status.RECEIVED},
        # Picked up by a person; a signal already picked up is claimed again by nobody.
        Action.CLAIM: {Status.RECEIVED: Status.ASSIGNED},
        # A new owner who has not picked it up yet.
        Action.TRANSFER: dict.fromkeys(OPEN_STATUSES, Status.RECEIVED),
        Action.CLOSE: dict.fromkeys(OPEN_STATUSES, Status.CLOSED),
        # A level up on the escalation ladder changes who hears of it, not its status.
        Action.ESCALATE: {status: status for status in OPEN_STATUSES},
        # The duplicate is closed (outcome "duplicate"); the kept signal's status does not change.
        Action.MERGE: dict.fromkeys(OPEN_STATUSES, Status.CLOSED),
    }
)


class StatusChangeNotAllowed(IntakeError):
    """A status change the table does not allow: a bug or a race the caller's own checks did not catch."""

    def __init__(self, action: Action, current: str | None, to: str) -> None:
        super().__init__(f"Een signaal met status {current or '-'} kan niet naar {to} ({action}).")
        self.action, self.current, self.to = action, current, to


def status_after(action: Action, current: str | None) -> Status:
    """The status `action` leaves a signal in that has status `current`; raises when it is not allowed."""
    to = TRANSITIONS[action].get(Status(current) if current is not None else None)
    if to is None:
        raise StatusChangeNotAllowed(action, current, "?")
    return to


def status_change(signal: Signal, *, action: Action, to: str) -> None:
    """Set `signal.status` to `to` by `action` (the caller saves it), if the table allows that change."""
    current = None if signal._state.adding and signal.pk is None else signal.status
    allowed = TRANSITIONS[action].get(Status(current) if current is not None else None)
    if allowed is None or allowed != to:
        raise StatusChangeNotAllowed(action, current, to)
    signal.status = allowed


def statuses_from(action: Action) -> tuple[Status, ...]:
    """The statuses `action` may start from: the from-set a bulk update filters on."""
    return tuple(status for status in TRANSITIONS[action] if status is not None)
