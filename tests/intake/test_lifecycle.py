"""The signal's allowed status changes (intake/lifecycle.py): every pair of statuses, for every action."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import user
from waakvlam.intake.lifecycle import (
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    StatusChangeNotAllowed,
    status_after,
    status_change,
    statuses_from,
)
from waakvlam.intake.models import Signal, Status
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.routing.followups import ESCALATABLE

# What PRODUCT.md's lifecycle allows, written out pair by pair (not derived from the table under test).
ALLOWED: set[tuple[Action, Status | None, Status]] = {
    (Action.CREATE, None, Status.RECEIVED),
    (Action.CLAIM, Status.RECEIVED, Status.ASSIGNED),
    *((Action.TRANSFER, s, Status.RECEIVED) for s in (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)),
    *((Action.CLOSE, s, Status.CLOSED) for s in (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)),
    *((Action.MERGE, s, Status.CLOSED) for s in (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)),
    *((Action.ESCALATE, s, s) for s in (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)),
}
FROM: list[Status | None] = [None, *Status]


def _signal(current: Status | None) -> Signal:
    signal = Signal(status=Status.RECEIVED)
    if current is not None:  # a stored signal with this status (no database needed to check the table)
        signal.pk, signal.status = 1, current
        signal._state.adding = False
    return signal


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("current", FROM)
@pytest.mark.parametrize("to", list(Status))
def test_every_pair(action: Action, current: Status | None, to: Status) -> None:
    signal = _signal(current)
    if (action, current, to) in ALLOWED:
        status_change(signal, action=action, to=to)
        assert signal.status == to
        assert status_after(action, current) == to
    else:
        with pytest.raises(StatusChangeNotAllowed):
            status_change(signal, action=action, to=to)
        assert signal.status == (current or Status.RECEIVED)


def test_the_table_is_the_allowed_set() -> None:
    table = {(a, f, t) for a, moves in TRANSITIONS.items() for f, t in moves.items()}
    assert table == ALLOWED


def test_bulk_updates_use_the_from_set() -> None:
    """The follow-up sweep escalates only what the table lets escalate; a closed signal never."""
    assert set(ESCALATABLE) == set(statuses_from(Action.ESCALATE)) == set(OPEN_STATUSES)
    assert Status.CLOSED not in ESCALATABLE


@pytest.mark.django_db
def test_a_closed_signal_cannot_be_claimed_through_the_table(areas: object) -> None:
    data = SignalInput(category="neglect", description="Post stapelt zich op.", address=AddressInput("9901AB", "12"))
    signal = signal_create(data=data, reporter=Reporter.for_user(user("signaleerder")), now=timezone.now())
    assert signal.status == Status.RECEIVED
    signal.status = Status.CLOSED
    with pytest.raises(StatusChangeNotAllowed):
        status_change(signal, action=Action.CLAIM, to=Status.ASSIGNED)
