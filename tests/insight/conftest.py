"""A small, known world of signals for the insight tests: counts chosen to hit every suppression case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Signal

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=AMS)
BINNENSTAD = "BU99990100"
STATIONSKWARTIER = "BU99990101"
HAVENKWARTIER = "BU99990102"


@dataclass
class World:
    municipality: Municipality
    signals: list[Signal]
    housing: Organisation


def make_signal(hood_code: str, received: datetime, *, hours_to_pickup: float | None, **fields: object) -> Signal:
    hood = Neighbourhood.objects.get(code=hood_code)
    values: dict[str, object] = {
        "received_at": received,
        "updated_at": received,
        "due_at": received + timedelta(days=2),
    }
    if hours_to_pickup is not None:
        values.update(picked_up_at=received + timedelta(hours=hours_to_pickup), status="in_progress")
    values.update(fields)
    return signal_for(team("Waakvlam Centrum-Oost"), neighbourhood=hood, **values)


@pytest.fixture
def world(town: Municipality) -> World:
    """Binnenstad 12 signals in October (10 picked up in time, 2 escalated and late), Stationskwartier 3
    (a small number), Havenkwartier 7, of which the housing association reported 6."""
    housing = Organisation.objects.get(slug="woonstede")
    signals: list[Signal] = []
    base = datetime(2026, 10, 5, 9, 0, tzinfo=AMS)
    for i in range(12):
        late = i >= 10
        signals.append(
            make_signal(
                BINNENSTAD,
                base + timedelta(days=i),
                hours_to_pickup=60 if late else 1 + i,
                escalation_level=1 if late else 0,
                category="nuisance" if i % 2 else "isolation",
            )
        )
    for i in range(3):
        signals.append(make_signal(STATIONSKWARTIER, base + timedelta(days=i, hours=1), hours_to_pickup=None))
    for i in range(7):
        signals.append(
            make_signal(
                HAVENKWARTIER,
                base + timedelta(days=i, hours=2),
                hours_to_pickup=2.5,
                reporter_organisation=housing if i < 6 else None,
                source_kind="housing" if i < 6 else "professional",
                category="payment_arrears",
            )
        )
    return World(town, signals, housing)


@pytest.fixture
def partner_at(town: Municipality):  # type: ignore[no-untyped-def]
    """A user of the given organisation and role (the demo has no coordinator at the housing association)."""

    def _make(slug: str, role: str = Role.COORDINATOR) -> User:
        organisation = Organisation.objects.get(slug=slug)
        return User.objects.create_user(
            f"{slug}-{role}", password="x" * 16, organisation=organisation, role=role, two_factor_exempt=True
        )

    return _make
