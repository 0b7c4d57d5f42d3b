"""The steps a new signal passes before it is stored, declared by the apps above intake.

Intake owns `Signal` and creates it, but what a new signal must carry besides the report itself — its
household (households) and its owner and due time (routing) — is decided by apps above intake. Each of
them registers a `CreationStep` in its AppConfig.ready(); intake runs every step, in the declared order,
inside the creating transaction and before the insert, on every path that creates signals:

- one signal (services.signal_create): `step.one(signal, now)`;
- many at once (the API writer's batch, group_write.py; a file import's batch, import_write.py):
  `step.many(drafts, now)`, so a step looks up what a whole batch needs in a few statements.

A draft is what a step reads and fills: a `Signal` (the API writer's batch) or a `SignalDraft` (the file
import, which writes rows, not model instances). A draft that arrives with a field filled (a household read
with its address) keeps it. After the steps, every field a step `ensures` is filled on every draft, or
creation stops with `CreationIncomplete`: a signal is never stored without, say, an owner and a due time
while routing is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from waakvlam.core.models import Team, User
    from waakvlam.intake.models import Signal

__all__ = [
    "CreationIncomplete",
    "CreationStep",
    "Drafts",
    "SignalDraft",
    "creation_steps",
    "register_creation_step",
    "signal_prepare",
    "signals_prepare",
]


@dataclass(slots=True)
class SignalDraft:
    """A signal to be written as a row (the file import): what the steps read, and what they fill in.
    The file import passes the first eight fields by position (cheaper per row), so their order counts."""

    municipality_id: int
    category: str
    urgency: str
    neighbourhood_id: int | None
    address_id: int | None
    reporter_organisation_id: int | None
    received_at: datetime
    household_id: int | None = None
    owner_team: Team | None = None
    owner_user: User | None = None
    due_at: datetime | None = None

    @property
    def owner_team_id(self) -> int | None:
        return self.owner_team.pk if self.owner_team is not None else None

    @property
    def owner_user_id(self) -> int | None:
        return self.owner_user.pk if self.owner_user is not None else None


# A batch: what a step's `many` reads and fills (the same attribute names on both).
Drafts = Sequence[SignalDraft] | Sequence["Signal"]


@dataclass(frozen=True)
class CreationStep:
    """One step: `name` (app.what), `order` (lower runs first), `one` for a single signal, `many` for a
    batch, and the draft fields it `ensures` are filled afterwards (checked by the pipeline)."""

    name: str
    order: int
    one: Callable[[Signal, datetime], None]
    many: Callable[[Drafts, datetime], None]
    ensures: tuple[str, ...] = ()


class CreationIncomplete(RuntimeError):
    """A step left a field it ensures empty: a bug in the step, never bad input."""


_steps: dict[str, CreationStep] = {}


def register_creation_step(step: CreationStep) -> None:
    """Called from an AppConfig.ready(); registering a name again replaces the step (ready() runs once per
    process, but tests may register again)."""
    _steps[step.name] = step


def creation_steps() -> list[CreationStep]:
    """The registered steps in the order they run."""
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def signal_prepare(signal: Signal, *, now: datetime) -> None:
    """Run every step on one unsaved signal (inside the caller's transaction)."""
    for step in creation_steps():
        step.one(signal, now)
        _check(step, [signal])


def signals_prepare(drafts: Drafts, *, now: datetime) -> None:
    """Run every step on a batch of drafts (inside the caller's transaction); `now` is the moment of
    writing, each draft's own moment of receipt is its `received_at`."""
    if not drafts:
        return
    for step in creation_steps():
        step.many(drafts, now)
        _check(step, drafts)


def _check(step: CreationStep, drafts: Sequence[Any]) -> None:
    for field in step.ensures:
        # map() rather than a generator: this runs over every row of a file import.
        if any(map(is_, map(attrgetter(field), drafts), repeat(None))):
            raise CreationIncomplete(f"Creation step {step.name} left {field} empty.")
