"""The demo municipality: the promised names exist, and the same seed gives the same town."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waakvlam.core.models import Address, District, Neighbourhood, Organisation, PostcodeArea, User
from waakvlam.demo import town
from waakvlam.demo.services import demo_address_plan


@pytest.mark.django_db
def test_load_demo_creates_the_promised_town() -> None:
    call_command("load-demo", "--households", "300", "--seed", "1")
    assert District.objects.filter(municipality__code="GM9999").count() >= 3
    assert Neighbourhood.objects.filter(municipality__code="GM9999").count() >= 10
    assert set(Organisation.objects.values_list("slug", flat=True)) >= {
        "gemeente",
        "woonstede",
        "buurtwerk",
        "wijkteam",
        "ggz-kompas",
        "politie",
        "opvang-dak",
        "schuldhulp",
        "energie-noord",
    }
    for spec in town.DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password("demo-waakvlam")
        assert (user.organisation.slug, user.role) == (spec.organisation, spec.role)  # type: ignore[union-attr]
    assert Address.objects.count() == 300
    assert all(n.outline and n.outline["type"] == "Polygon" for n in Neighbourhood.objects.all())
    # Every address can be placed in its neighbourhood through the postcode table.
    address = Address.objects.order_by("?").first()
    assert address is not None
    assert PostcodeArea.objects.get(postcode=address.postcode).neighbourhood_id == address.neighbourhood_id


@pytest.mark.django_db
def test_loading_twice_is_refused_with_advice() -> None:
    call_command("load-demo", "--households", "10")
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load-demo", "--households", "10")


def test_same_seed_same_town_other_seed_other_town() -> None:
    codes = [f"BU9999{s}{i:02d}" for s, _, hs in town.DISTRICTS for i in range(len(hs))]
    first = list(demo_address_plan(codes, 5000, random.Random(42)))
    again = list(demo_address_plan(codes, 5000, random.Random(42)))
    other = list(demo_address_plan(codes, 5000, random.Random(43)))
    assert first == again
    assert first != other
    assert sum(p.houses for p in first) == 5000


def test_a_million_households_fit() -> None:
    codes = [f"BU9999{s}{i:02d}" for s, _, hs in town.DISTRICTS for i in range(len(hs))]
    plan = demo_address_plan(codes, 1_000_000, random.Random(1))
    assert sum(p.houses for p in plan) == 1_000_000
