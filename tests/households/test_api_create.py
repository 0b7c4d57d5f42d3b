"""POST /api/v1/households: get-or-create by a normalised address, who may, what the answer tells, and the
access log. The answer must not tell whether someone reported about an address the caller cannot see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import user
from tests.households.test_api import ROLES
from waakvlam.core.models import Neighbourhood
from waakvlam.households.models import Household
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
REGISTERS = {"waakvlammer", "waakvlammer2", "coordinator", "budgetcoach"}  # stewards and coordinators


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/households", body, content_type="application/json")


@pytest.fixture
def reported(areas: dict[str, Neighbourhood]) -> Household:
    """9901AB 7, with a neglect signal owned by Waakvlam Centrum-Oost (waakvlammer's team)."""
    signal = signal_create(
        data=SignalInput(category="neglect", description="Post stapelt zich op.", address=AddressInput("9901AB", "7")),
        reporter=Reporter.for_user(user("signaleerder")),
        now=timezone.now(),
    )
    assert signal.household is not None
    return signal.household


@pytest.mark.parametrize("username", ROLES)
def test_who_may_register(areas: dict[str, Neighbourhood], login: Login, username: str) -> None:
    response = _post(login(username), {"postcode": "9901AB", "house_number": 40})
    if username in REGISTERS:
        assert response.status_code == 201
        assert "id" not in response.json()
        assert Household.objects.filter(address__house_number=40).exists()
    else:
        assert response.status_code == 403 and "detail" in response.json()
        assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ({"postcode": "9901 ab", "house_number": "12"}, {"postcode": "9901AB", "house_number": 12}),
        (
            {"postcode": " 9901ab ", "house_number": "12a"},
            {"postcode": "9901 AB", "house_number": 12, "house_letter": "a"},
        ),
        (
            {"postcode": "9901AB", "house_number": "12-2"},
            {"postcode": "9901ab", "house_number": "12", "house_number_addition": "2"},
        ),
    ],
)
def test_messy_spellings_give_one_household(
    areas: dict[str, Neighbourhood], login: Login, first: dict[str, Any], again: dict[str, Any]
) -> None:
    client = login("waakvlammer")
    one, two = _post(client, first), _post(client, again)
    assert one.status_code == two.status_code == 201
    assert one.json() == two.json() and Household.objects.count() == 1
    logged = AccessLogEntry.objects.filter(context="api:household_create").order_by("seq")
    assert [(e.action, e.object_id) for e in logged] == [
        ("create", str(Household.objects.get().pk)),
        ("view", str(Household.objects.get().pk)),
    ]
    assert {e.subject for e in logged} == {f"address:{Household.objects.get().address_id}"}


def test_new_household_takes_its_place_from_the_postcode_table(areas: dict[str, Neighbourhood], login: Login) -> None:
    answer = _post(login("coordinator"), {"postcode": "9902ef", "house_number": 60}).json()
    assert answer == {
        "address": {
            "postcode": "9902EF",
            "house_number": 60,
            "house_letter": "",
            "house_number_addition": "",
            "street": "Stationsweg",
            "city": "Demodorp",
        },
    }
    assert Household.objects.get().neighbourhood == areas["BU99990200"]


def test_a_household_you_see_answers_200_with_its_timeline(reported: Household, login: Login) -> None:
    response = _post(login("waakvlammer"), {"postcode": "9901 ab", "house_number": "7"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["id"] == str(reported.public_id) and [s["category"] for s in answer["timeline"]] == ["neglect"]
    assert Household.objects.count() == 1
    (entry,) = AccessLogEntry.objects.filter(context="api:household_create")
    assert (entry.action, entry.object_id, entry.username) == ("view", str(reported.pk), "waakvlammer")


def test_a_household_you_cannot_see_looks_like_a_new_one(reported: Household, login: Login) -> None:
    """waakvlammer2 (other team) learns no more about 9901AB 7, where a signal exists, than about 9901AB 8."""
    client = login("waakvlammer2")
    hidden = _post(client, {"postcode": "9901AB", "house_number": 7})
    fresh = _post(client, {"postcode": "9901AB", "house_number": 8})
    assert hidden.status_code == fresh.status_code == 201
    # The same answer but for the house number: no id, whose value (old or just counted up) would tell.
    assert set(hidden.json()) == set(fresh.json()) == {"address"}
    assert {**hidden.json()["address"], "house_number": 0} == {**fresh.json()["address"], "house_number": 0}
    assert client.get(f"/api/v1/households/{reported.public_id}").status_code == 404
    # The look-up is logged all the same: someone trying address after address shows in the log.
    entry = AccessLogEntry.objects.filter(context="api:household_create", object_id=str(reported.pk)).get()
    assert (entry.action, entry.username, entry.subject) == ("view", "waakvlammer2", f"address:{reported.address_id}")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"postcode": "nope", "house_number": 1}, "postcode"),
        ({"postcode": "0901AB", "house_number": 1}, "postcode"),
        ({"postcode": "9901AB", "house_number": "twaalf"}, "house_number"),
        ({"postcode": "9901AB", "house_number": 0}, "house_number"),
        ({"postcode": "9901AB", "house_number": 1, "house_letter": "7"}, "house_letter"),
        ({"postcode": "9901AB", "house_number": "1A", "house_letter": "B"}, "house_letter"),
        ({"postcode": "9901AB", "house_number": 1, "house_number_addition": "x" * 9}, "house_number_addition"),
        ({"house_number": 1}, "postcode"),
        ({"postcode": "9901AB\x00", "house_number": 1}, "postcode"),
    ],
)
def test_bad_address_is_a_422_naming_the_field(
    areas: dict[str, Neighbourhood], login: Login, body: dict[str, Any], field: str
) -> None:
    response = _post(login("waakvlammer"), body)
    assert response.status_code == 422
    # A union type (number or text) reports one entry per alternative: all for the same field.
    assert {tuple(e["loc"][:3]) for e in response.json()["detail"]} == {("body", "payload", field)}
    assert not Household.objects.exists() and not AccessLogEntry.objects.exists()


def test_a_session_needs_its_csrf_token(areas: dict[str, Neighbourhood]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("waakvlammer"))
    assert _post(client, {"postcode": "9901AB", "house_number": 40}).status_code == 403
    assert not Household.objects.exists()
