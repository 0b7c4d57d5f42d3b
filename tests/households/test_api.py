"""The households API: the role matrix for list and detail, get-or-create by address, keys and scopes, and
the access log.

Two households: "centre" (9901AB 7, Binnenstad) with a neglect signal of Waakvlam Centrum-Oost, a relapse
signal of the GGZ team and an arrears signal of Vroegsignalering, as in test_timeline.py; and "west"
(9921CD 3, Zonnehoek) with one signal of Waakvlam West.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Neighbourhood, Organisation
from waakvlam.households import api as households_api
from waakvlam.households import selectors
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
ROLES = [
    "waakvlammer",
    "waakvlammer2",
    "coordinator",
    "ggz",
    "signaleerder",
    "wijkagent",
    "regie",
    "privacy",
    "beheer",
    "budgetcoach",
]
# Per role: the households seen, and on "centre" the categories of the signals shown.
SEES = {
    "waakvlammer": {"centre"},
    "waakvlammer2": {"west"},
    "coordinator": {"centre", "west"},  # buurtwerk's coordinator: both buurtwerk teams
    "ggz": {"centre"},
    "budgetcoach": {"centre"},
}
CENTRE_TIMELINE = {
    "waakvlammer": {"neglect"},
    "coordinator": {"neglect"},
    "ggz": {"relapse_signs"},
    "budgetcoach": {"payment_arrears"},
}


def _reported(postcode: str, number: str, category: str = "neglect") -> Signal:
    return signal_create(
        data=SignalInput(
            category=category, description="Post stapelt zich op.", address=AddressInput(postcode, number)
        ),
        reporter=Reporter.for_user(user("signaleerder")),
        now=timezone.now(),
    )


@pytest.fixture
def homes(areas: dict[str, Neighbourhood]) -> dict[str, Household]:
    first = _reported("9901AB", "7")
    assert first.owner_team.name == "Waakvlam Centrum-Oost" and first.household is not None
    centre = first.household
    signal_for(team("GGZ Kompas FACT-team"), address=first.address, household=centre, category="relapse_signs")
    signal_for(team("Vroegsignalering"), address=first.address, household=centre, category="payment_arrears")
    other = _reported("9921CD", "3")
    west = other.household
    assert west is not None and other.owner_team.name == "Waakvlam West"
    return {"centre": centre, "west": west}


def _names(homes: dict[str, Household], ids: list[str]) -> set[str]:
    return {name for name, h in homes.items() if str(h.public_id) in ids}


def _key(org: str, *scopes: str) -> dict[str, str]:
    _, key = api_key_create(organisation=Organisation.objects.get(slug=org), scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client: Client, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/households", body, content_type="application/json", **headers)


# --- list ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_list_role_matrix_and_one_log_entry_per_household(
    homes: dict[str, Household], login: Login, username: str
) -> None:
    before = AccessLogEntry.objects.count()
    response = login(username).get("/api/v1/households")
    assert response.status_code == 200
    answer = response.json()
    ids = [item["id"] for item in answer["items"]]
    expected = SEES.get(username, set())
    assert _names(homes, ids) == expected and answer["count"] == len(expected) == len(ids)
    logged = AccessLogEntry.objects.filter(seq__gt=before) if before else AccessLogEntry.objects.all()
    # The log keeps the internal id (it never leaves the privacy officer's screens).
    internal = [str(h.pk) for h in homes.values() if str(h.public_id) in ids]
    assert sorted(e.object_id for e in logged) == sorted(internal)
    for entry in logged:
        assert (entry.username, entry.action, entry.context) == (username, "view", "api:household_list")
        assert entry.subject == f"address:{Household.objects.get(pk=entry.object_id).address_id}"


def test_list_item_shows_the_address(homes: dict[str, Household], login: Login) -> None:
    (item,) = login("waakvlammer").get("/api/v1/households").json()["items"]
    assert item["address"] == {
        "postcode": "9901AB",
        "house_number": 7,
        "house_letter": "",
        "house_number_addition": "",
        "street": "Dorpsstraat",
        "city": "Demodorp",
    }
    assert item["neighbourhood"] == "BU99990100" and item["id"] == str(homes["centre"].public_id)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("neighbourhood=BU99990100", {"centre"}),
        ("neighbourhood=bu99990300", {"west"}),
        ("neighbourhood=BU00000000", set()),
        ("postcode=9921%20cd", {"west"}),
        ("postcode=9901AB&neighbourhood=BU99990300", set()),
    ],
)
def test_list_filters(homes: dict[str, Household], login: Login, query: str, expected: set[str]) -> None:
    answer = login("coordinator").get(f"/api/v1/households?{query}").json()
    assert _names(homes, [i["id"] for i in answer["items"]]) == expected and answer["count"] == len(expected)


@pytest.mark.parametrize("query", ["neighbourhood=%00", "postcode=9901%00AB"])
def test_nul_in_a_filter_is_a_422(homes: dict[str, Household], login: Login, query: str) -> None:
    assert login("coordinator").get(f"/api/v1/households?{query}").status_code == 422


def test_filters_never_widen_the_visible_set(homes: dict[str, Household], login: Login) -> None:
    assert login("waakvlammer").get("/api/v1/households?neighbourhood=BU99990300").json()["count"] == 0


def test_bad_postcode_filter_is_a_422_naming_it(homes: dict[str, Household], login: Login) -> None:
    response = login("coordinator").get("/api/v1/households?postcode=nope")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", "postcode"]]


def test_pagination(homes: dict[str, Household], login: Login) -> None:
    client = login("coordinator")
    first = client.get("/api/v1/households?limit=1").json()
    second = client.get("/api/v1/households?limit=1&offset=1").json()
    assert first["count"] == second["count"] == 2 and (first["limit"], second["offset"]) == (1, 1)
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [
        str(homes["west"].public_id),
        str(homes["centre"].public_id),
    ]
    assert client.get("/api/v1/households?limit=101").status_code == 422


# --- detail --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ROLES)
def test_detail_role_matrix(homes: dict[str, Household], login: Login, username: str) -> None:
    centre = homes["centre"]
    before = AccessLogEntry.objects.filter(object_type="households.household").count()
    response = login(username).get(f"/api/v1/households/{centre.public_id}")
    expected = CENTRE_TIMELINE.get(username, set())
    assert response.status_code == (200 if expected else 404)
    logged = AccessLogEntry.objects.filter(object_type="households.household").order_by("-seq")
    assert logged.count() == before + (1 if expected else 0)
    if not expected:
        assert response.json() == {"detail": "Not found."}
        return
    answer = response.json()
    assert {s["category"] for s in answer["timeline"]} == expected and answer["timeline_truncated"] is False
    assert answer["address"]["postcode"] == "9901AB" and answer["neighbourhood"] == "BU99990100"
    entry = logged.first()
    assert entry is not None
    assert (entry.username, entry.action, entry.object_id) == (username, "view", str(centre.pk))
    assert (entry.subject, entry.context) == (f"address:{centre.address_id}", "api:household_detail")


def test_hidden_and_missing_look_the_same(homes: dict[str, Household], login: Login) -> None:
    client = login("waakvlammer2")
    hidden = client.get(f"/api/v1/households/{homes['centre'].public_id}")
    missing = client.get("/api/v1/households/999999")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert client.get(f"/api/v1/households/{2**63}").status_code == 404


def test_timeline_is_newest_first_and_capped(
    homes: dict[str, Household], login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    centre = homes["centre"]
    mine = Signal.objects.get(household=centre, category="neglect")
    later = signal_for(team("Waakvlam Centrum-Oost"), address=centre.address, household=centre, category="isolation")
    client = login("waakvlammer")
    timeline = client.get(f"/api/v1/households/{centre.public_id}").json()["timeline"]
    assert [s["id"] for s in timeline] == [later.pk, mine.pk]
    assert set(timeline[0]) == {
        "id",
        "tracking_code",
        "category",
        "urgency",
        "status",
        "neighbourhood",
        "owner",
        "owner_team_id",
        "received_at",
        "due_at",
        "overdue",
    }
    monkeypatch.setattr(selectors, "MAX_TIMELINE", 1)
    monkeypatch.setattr(households_api, "MAX_TIMELINE", 1)
    answer = client.get(f"/api/v1/households/{centre.public_id}").json()
    assert [s["id"] for s in answer["timeline"]] == [later.pk] and answer["timeline_truncated"] is True


# --- API keys and credentials --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org", "households", "categories"),
    [
        ("buurtwerk", {"centre", "west"}, {"neglect"}),
        ("ggz-kompas", {"centre"}, {"relapse_signs"}),
        ("woonstede", set(), set()),  # it reported the signals; owning them is what counts
    ],
)
def test_key_with_households_read_sees_its_organisations_households(
    homes: dict[str, Household], client: Client, org: str, households: set[str], categories: set[str]
) -> None:
    headers = _key(org, "households:read")
    answer = client.get("/api/v1/households", **headers).json()
    assert _names(homes, [i["id"] for i in answer["items"]]) == households
    detail = client.get(f"/api/v1/households/{homes['centre'].public_id}", **headers)
    assert detail.status_code == (200 if categories else 404)
    if categories:
        assert {s["category"] for s in detail.json()["timeline"]} == categories
        entry = AccessLogEntry.objects.order_by("-seq").first()
        assert entry is not None and (entry.role, entry.organisation, entry.context) == (
            "api",
            org,
            "api:household_detail",
        )


def test_key_without_the_scope_is_403(homes: dict[str, Household], client: Client) -> None:
    headers = _key("buurtwerk", "signals:read", "signals:write", "contact:read")
    before = AccessLogEntry.objects.count()
    for path in ("/api/v1/households", f"/api/v1/households/{homes['centre'].public_id}", "/api/v1/households/999999"):
        response = client.get(path, **headers)
        assert response.status_code == 403 and "households:read" in response.json()["detail"]
    assert AccessLogEntry.objects.count() == before


def test_no_key_may_register_a_household(areas: dict[str, Neighbourhood], client: Client) -> None:
    response = _post(client, {"postcode": "9901AB", "house_number": 40}, **_key("buurtwerk", "households:read"))
    assert response.status_code == 403 and not Household.objects.exists()


def test_without_credentials_is_401(homes: dict[str, Household], client: Client) -> None:
    for response in (
        client.get("/api/v1/households"),
        client.get(f"/api/v1/households/{homes['centre'].public_id}"),
        _post(client, {"postcode": "9901AB", "house_number": 40}),
        client.get("/api/v1/households", HTTP_AUTHORIZATION="Bearer wv_nope_nope"),
    ):
        assert response.status_code == 401 and "detail" in response.json()


def test_urls_and_answers_carry_the_public_id_not_the_counter(homes: dict[str, Household], login: Login) -> None:
    client = login("waakvlammer")
    centre = homes["centre"]
    answer = client.get(f"/api/v1/households/{centre.public_id}")
    assert answer.status_code == 200 and answer.json()["id"] == str(centre.public_id)
    assert client.get(f"/api/v1/households/{centre.pk}").status_code == 404
    assert str(centre.pk) not in [i["id"] for i in client.get("/api/v1/households").json()["items"]]
