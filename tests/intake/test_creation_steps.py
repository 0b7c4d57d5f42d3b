"""The creation pipeline (intake/creation.py): the steps the apps above intake register, their order, and
that no path stores a signal without what the steps ensure."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from tests.factories import user
from waakvlam.core.models import Address, Neighbourhood, Organisation
from waakvlam.households.models import Household
from waakvlam.intake import creation
from waakvlam.intake.creation import (
    CreationIncomplete,
    CreationStep,
    Drafts,
    SignalDraft,
    creation_steps,
    signal_prepare,
    signals_prepare,
)
from waakvlam.intake.models import Signal, Urgency
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.routing.services import signal_route

pytestmark = pytest.mark.django_db


def test_the_steps_and_their_order() -> None:
    """Households link first, then routing assigns; routing ensures an owner and a due time."""
    steps = creation_steps()
    assert [(s.name, s.order) for s in steps] == [("households.link", 10), ("routing.assign", 20)]
    assert steps[1].ensures == ("owner_team_id", "due_at")


def test_signal_create_runs_every_step(areas: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    data = SignalInput(category="neglect", description="Post stapelt zich op.", address=AddressInput("9901AB", "12"))
    signal = signal_create(data=data, reporter=Reporter.for_user(user("signaleerder")), now=now)
    stored = Signal.objects.get(pk=signal.pk)
    assert stored.owner_team_id is not None and stored.due_at is not None and stored.due_at > now
    assert stored.household == Household.objects.get(address_id=stored.address_id)


def _drafts(areas: dict[str, Neighbourhood], now: datetime) -> list[SignalDraft]:
    hood = areas["BU99990100"]
    addresses = [
        Address.objects.create(
            municipality_id=hood.municipality_id,
            neighbourhood=hood,
            postcode="9901AB",
            house_number=n,
        )
        for n in (1, 2)
    ]
    org = Organisation.objects.get(slug="woonstede")
    return [
        SignalDraft(
            municipality_id=hood.municipality_id,
            category=category,
            urgency=urgency,
            neighbourhood_id=hood.pk,
            address_id=address.pk,
            reporter_organisation_id=org.pk,
            received_at=now,
        )
        for address in addresses
        for category, urgency in (("neglect", Urgency.NORMAL), ("nuisance", Urgency.HIGH))
    ]


def test_a_batch_is_linked_and_routed_as_one_signal_would_be(areas: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    drafts = _drafts(areas, now)
    signals_prepare(drafts, now=now)
    for draft in drafts:
        assert draft.household_id == Household.objects.get(address_id=draft.address_id).pk
        one = Signal(
            municipality_id=draft.municipality_id,
            category=draft.category,
            urgency=draft.urgency,
            neighbourhood_id=draft.neighbourhood_id,
            reporter_organisation_id=draft.reporter_organisation_id,
        )
        signal_route(signal=one, now=now)
        assert (draft.owner_team, draft.owner_user, draft.due_at) == (one.owner_team, one.owner_user, one.due_at)


def test_a_draft_with_its_household_keeps_it(areas: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    drafts = _drafts(areas, now)
    signals_prepare(drafts[:1], now=now)
    linked = drafts[0].household_id
    assert linked is not None
    drafts[1].household_id = linked
    signals_prepare(drafts[1:2], now=now)
    assert drafts[1].household_id == linked


def _forgetful(drafts: Drafts, now: datetime) -> None:
    for draft in drafts:
        draft.owner_team = None


def test_a_step_that_leaves_an_ensured_field_empty_stops_creation(
    areas: dict[str, Neighbourhood], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later step that undoes what routing ensures: nothing is stored, on either path."""
    broken = CreationStep(
        name="zz.forget_owner",
        order=30,
        one=lambda signal, now: setattr(signal, "owner_team_id", None),
        many=_forgetful,
        ensures=("owner_team_id",),
    )
    monkeypatch.setitem(creation._steps, broken.name, broken)
    now = timezone.now()
    with pytest.raises(CreationIncomplete):
        signals_prepare(_drafts(areas, now), now=now)
    data = SignalInput(category="neglect", description="Post stapelt zich op.", address=AddressInput("9901AB", "12"))
    before = Signal.objects.count()
    with pytest.raises(CreationIncomplete):
        signal_create(data=data, reporter=Reporter.for_user(user("signaleerder")), now=now)
    assert Signal.objects.count() == before


def test_signal_prepare_on_an_unsaved_signal(areas: dict[str, Neighbourhood]) -> None:
    hood = areas["BU99990300"]
    signal = Signal(
        municipality_id=hood.municipality_id, category="neglect", urgency=Urgency.NORMAL, neighbourhood=hood
    )
    signal_prepare(signal, now=timezone.now())
    assert signal.owner_team_id is not None and signal.due_at is not None and signal.household_id is None
