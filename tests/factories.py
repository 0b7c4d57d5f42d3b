"""Test data in one place. Signals are built directly here until intake services exist for every case."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from waakvlam.core.models import Address, Municipality, Neighbourhood, Organisation, Team, User
from waakvlam.intake.models import Signal, SignalEvent

_counter = itertools.count(1)


def address_in(neighbourhood: Neighbourhood, number: int | None = None) -> Address:
    n = number or next(_counter)
    return Address.objects.create(
        municipality=neighbourhood.municipality,
        neighbourhood=neighbourhood,
        postcode="9901AB",
        house_number=n,
        street="Teststraat",
        city="Demodorp",
    )


def signal_for(team: Team, *, neighbourhood: Neighbourhood | None = None, **fields: object) -> Signal:
    now = timezone.now()
    hood = neighbourhood or team.neighbourhoods.first() or Neighbourhood.objects.first()
    assert hood is not None
    values: dict[str, object] = {
        "municipality": team.municipality,
        "tracking_code": f"T{next(_counter):08d}",
        "category": "nuisance",
        "description": "Veel lawaai 's nachts, buren maken zich zorgen.",
        "neighbourhood": hood,
        # Only when none is given: an address made anyway takes the next house number, which may be one a
        # test then uses itself ("9901AB 7"), failing on the unique address key depending on test order.
        "address": fields["address"] if "address" in fields else address_in(hood),
        "received_at": now,
        "updated_at": now,
        "source_kind": "professional",
        "owner_team": team,
        "due_at": now + timedelta(days=2),
    }
    values.update(fields)
    signal = Signal.objects.create(**values)
    # The history starts when the signal was received, so a test that moves the clock stays in order.
    SignalEvent.objects.create(signal=signal, at=signal.received_at, kind="received", team=team)
    return signal


def user(username: str) -> User:
    return User.objects.get(username=username)


def team(name: str) -> Team:
    return Team.objects.get(name=name)


def other_municipality() -> tuple[Municipality, Organisation, Team, User]:
    """A second municipality with its own social-work organisation, team and steward."""
    from waakvlam.core.models import District
    from waakvlam.core.roles import OrganisationKind, Role

    municipality = Municipality.objects.create(code="GM9998", name="Anderdorp")
    district = District.objects.create(municipality=municipality, code="WK999801", name="Noord")
    hood = Neighbourhood.objects.create(municipality=municipality, district=district, code="BU99980100", name="Dijk")
    organisation = Organisation.objects.create(
        municipality=municipality, slug="welzijn-ander", name="Welzijn Anderdorp", kind=OrganisationKind.SOCIAL_WORK
    )
    other_team = Team.objects.create(municipality=municipality, organisation=organisation, name="Waakvlam Anderdorp")
    other_team.neighbourhoods.set([hood])
    steward = User.objects.create_user(
        "ander", password="x" * 16, organisation=organisation, role=Role.STEWARD, two_factor_exempt=True
    )
    steward.teams.set([other_team])
    return municipality, organisation, other_team, steward
