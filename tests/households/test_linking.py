"""Every signal with an address is linked to the household at that address, however the address is spelled.

Property tests (hypothesis): all spellings of one address normalise to one key, the import's remembered
normalisation agrees with core's, and signal_create and the bulk import link every spelling to one
household. Plus the data migration that linked the signals taken in before households existed.
"""

from __future__ import annotations

import importlib
import io
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import signal_for, team, user
from waakvlam.bulkimport.bulk_import import signals_import
from waakvlam.bulkimport.import_rows import RowValidator
from waakvlam.core.addresses import AddressError, normalise_address
from waakvlam.core.models import Address, Neighbourhood, Organisation
from waakvlam.households.linking import household_for_address, households_for_addresses
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.services import Actor

DB_EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def spellings(draw: st.DrawFn, number: int = 12, letter: str = "A", addition: str = "BIS") -> AddressInput:
    """One way a partner might write 9901AB 12 A BIS (or whatever parts are given)."""
    digits, letters = "9901", "ab"
    postcode = draw(
        st.sampled_from(
            [
                f"{digits}{letters.upper()}",
                f"{digits} {letters}",
                f"{digits}{letters}",
                f" {digits} {letters.upper()} ",
                f"{digits}-{letters.upper()}",
                f"{digits}  {letters}",
            ]
        )
    )
    case = draw(st.sampled_from([str.upper, str.lower]))
    letter_style = draw(st.sampled_from(["field", "glued", "space", "dash"])) if letter else "none"
    house_number, house_letter = str(number), ""
    if letter_style == "field":
        house_letter = draw(st.sampled_from([case(letter), f" {case(letter)} "]))
    elif letter_style == "glued":
        house_number = f"{number}{case(letter)}"
    elif letter_style == "space":
        house_number = f"{number} {case(letter)}"
    elif letter_style == "dash":
        house_number = f"{number}-{case(letter)}"
    house_addition = ""
    if addition:
        if letter_style in {"glued", "space", "dash"} and draw(st.booleans()):
            house_number += draw(st.sampled_from(["-", " ", "/"])) + case(addition)
        else:
            house_addition = draw(
                st.sampled_from([case(addition), f"{addition[:1]}-{addition[1:]}", f" {case(addition)}"])
            )
    if draw(st.booleans()):
        house_number = f" {house_number} "
    return AddressInput(postcode, house_number, house_letter, house_addition)


@given(spellings())
def test_every_spelling_normalises_to_one_key(spelled: AddressInput) -> None:
    normal = normalise_address(
        spelled.postcode, spelled.house_number, spelled.house_letter, spelled.house_number_addition
    )
    assert normal.key == "9901AB|12|A|BIS"


@given(st.text(max_size=8), st.text(max_size=6), st.text(max_size=2), st.text(max_size=5))
def test_the_import_normalises_exactly_as_core_does(postcode: str, number: str, letter: str, addition: str) -> None:
    """The import remembers postcodes and house numbers separately; the outcome must be core's own."""
    validator = RowValidator(
        [
            "external_id",
            "signal_date",
            "source_kind",
            "postcode",
            "house_number",
            "house_letter",
            "house_number_addition",
        ],
        now=timezone.now(),
    )
    fields = ["X1", "2026-01-05", "housing", postcode, number, letter, addition]
    checked = validator.validate(fields, 2)
    try:
        expected = normalise_address(postcode.strip(), number.strip(), letter.strip(), addition.strip())
    except AddressError as error:
        assert not hasattr(checked, "key")
        assert any(p.column == error.field and p.reason == error.message for p in checked)  # type: ignore[union-attr]
    else:
        assert getattr(checked, "key", None) == expected.key


@pytest.mark.django_db
@DB_EXAMPLES
@given(spelled=spellings())
def test_signal_create_links_every_spelling_to_one_household(
    areas: dict[str, Neighbourhood], spelled: AddressInput
) -> None:
    signal = signal_create(
        data=SignalInput(category="neglect", description="Post stapelt zich op.", address=spelled),
        reporter=Reporter.for_user(user("signaleerder")),
        now=timezone.now(),
    )
    assert signal.household is not None
    assert signal.household.address.key == "9901AB|12|A|BIS"
    assert Household.objects.filter(address__postcode="9901AB").count() == 1
    assert Signal.objects.filter(household=signal.household).count() == Signal.objects.count()


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(spellings(), min_size=1, max_size=30))
def test_the_import_links_every_spelling_to_one_household(
    areas: dict[str, Neighbourhood], tmp_path: Path, drawn: list[AddressInput]
) -> None:
    run = uuid.uuid4().hex[:8]
    lines = ["external_id;signal_date;source_kind;postcode;house_number;house_letter;house_number_addition"]
    for i, s in enumerate(drawn):
        lines.append(
            f"{run}-{i};2026-01-05;housing;{s.postcode};{s.house_number};{s.house_letter};{s.house_number_addition}"
        )
    path = tmp_path / f"{run}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = signals_import(
        path=path,
        organisation=Organisation.objects.get(slug="woonstede"),
        actor=Actor(username="t"),
        run_id=run,
        report=io.StringIO(),
    )
    assert (result.imported, result.rejected) == (len(drawn), 0), result.problems
    assert Household.objects.count() == 1
    assert set(Signal.objects.values_list("household__address__key", flat=True)) == {"9901AB|12|A|BIS"}


@pytest.mark.django_db
def test_different_addresses_get_different_households(areas: dict[str, Neighbourhood]) -> None:
    reporter, now = Reporter.for_user(user("signaleerder")), timezone.now()
    first = signal_create(
        data=SignalInput(category="neglect", address=AddressInput("9901AB", "12")), reporter=reporter, now=now
    )
    second = signal_create(
        data=SignalInput(category="neglect", address=AddressInput("9901AB", "12A")), reporter=reporter, now=now
    )
    third = signal_create(
        data=SignalInput(category="neglect", location_text="Bij het station"), reporter=reporter, now=now
    )
    assert first.household_id != second.household_id
    assert third.household_id is None and third.address_id is None


@pytest.mark.django_db
def test_households_for_addresses_creates_only_the_missing_ones(areas: dict[str, Neighbourhood]) -> None:
    hood = areas["BU99990100"]
    addresses = [
        Address.objects.create(municipality=hood.municipality, neighbourhood=hood, postcode="9901AB", house_number=n)
        for n in (1, 2, 3)
    ]
    now = timezone.now()
    existing = household_for_address(address=addresses[0], now=now - timedelta(days=3))
    found = households_for_addresses({a.pk: (a.municipality_id, a.neighbourhood_id) for a in addresses}, now=now)
    assert found[addresses[0].pk] == existing.pk
    assert Household.objects.count() == 3
    assert (
        households_for_addresses({a.pk: (a.municipality_id, a.neighbourhood_id) for a in addresses}, now=now) == found
    )
    assert Household.objects.get(pk=found[addresses[2].pk]).neighbourhood == hood


@pytest.mark.django_db
def test_the_data_migration_links_signals_taken_in_before_households(town: object) -> None:
    centrum = team("Waakvlam Centrum-Oost")
    early, late = timezone.now() - timedelta(days=30), timezone.now()
    first = signal_for(centrum, received_at=late)
    second = signal_for(centrum, address=first.address, received_at=early)
    other = signal_for(centrum)
    nowhere = signal_for(centrum, address=None)
    Signal.objects.update(household=None)
    Household.objects.all().delete()
    migration = importlib.import_module("waakvlam.intake.migrations.0004_link_signals_to_households")
    migration.link(apps, SimpleNamespace(connection=connection))
    first.refresh_from_db(), second.refresh_from_db(), other.refresh_from_db(), nowhere.refresh_from_db()
    assert first.household_id == second.household_id is not None
    assert other.household_id not in {None, first.household_id}
    assert nowhere.household_id is None
    assert first.household is not None and first.household.created_at == early  # since the first worry
    assert Household.objects.count() == 2
    migration.link(apps, SimpleNamespace(connection=connection))  # running it again changes nothing
    assert Household.objects.count() == 2
