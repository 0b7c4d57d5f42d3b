from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import address_in, team
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal, SignalEvent

_codes = itertools.count(1)

BINNENSTAD = "BU99990100"  # team Waakvlam Centrum-Oost (waakvlammer, coordinator)
ZONNEHOEK = "BU99990300"  # team Waakvlam West (waakvlammer2)


def household_in(code: str = BINNENSTAD, *, now: datetime | None = None) -> Household:
    hood = Neighbourhood.objects.get(code=code)
    return Household.objects.create(
        municipality=hood.municipality, address=address_in(hood), neighbourhood=hood, created_at=now or timezone.now()
    )


def signal_at(
    household: Household,
    *,
    at: datetime,
    org: str | None = "woonstede",
    category: str = "nuisance",
    source_kind: str = "professional",
    team_name: str | None = None,
) -> Signal:
    """A signal about an existing household (its own address), received `at`, reported by `org`."""
    hood = household.neighbourhood
    assert hood is not None
    owner = team(team_name or ("Waakvlam West" if hood.code == ZONNEHOEK else "Waakvlam Centrum-Oost"))
    signal = Signal.objects.create(
        municipality_id=household.municipality_id,
        tracking_code=f"A{next(_codes):09d}",
        category=category,
        description="Zorgen over de bewoner.",
        neighbourhood=hood,
        address=household.address,
        household=household,
        received_at=at,
        updated_at=at,
        source_kind=source_kind,
        reporter_organisation=Organisation.objects.get(slug=org) if org else None,
        owner_team=owner,
        due_at=at + timedelta(days=2),
    )
    SignalEvent.objects.create(signal=signal, at=at, kind="received", team=owner)
    return signal


@pytest.fixture
def demodorp(town: Municipality) -> Municipality:
    return town
