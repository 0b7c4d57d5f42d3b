"""The public HSDS 3.0 API: every answer validates against the official schemas; bad parameters are 4xx
JSON; only published, public information comes out."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.socialmap import factories
from tests.socialmap.hsds_schemas import assert_valid, compiled_validator, validator_for
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.socialmap import models as m

pytestmark = pytest.mark.django_db

BASE = "/api/v1/hsds"


@pytest.fixture
def services(town: Municipality) -> list[m.Service]:
    hood = Neighbourhood.objects.get(name="Molenwijk")
    return [
        factories.service(town, name="Koffieochtend", neighbourhood=hood),
        factories.service(town, name="Budgetcafé", need_code="geld", collective=False, free=False),
        factories.service(town, name="Verborgen", moderation=m.Moderation.PENDING),
    ]


def test_root_names_version_and_profile(client: Client) -> None:
    answer = client.get(f"{BASE}/")
    assert answer.status_code == 200
    assert answer.json()["version"] == "3.0"
    assert_valid(validator_for("/"), answer.json())


@pytest.mark.parametrize(
    ("path", "schema_path"),
    [
        ("/services", "/services"),
        ("/organizations", "/organizations"),
        ("/service_at_locations", "/service_at_locations"),
        ("/taxonomies", "/taxonomies"),
        ("/taxonomy_terms", "/taxonomy_terms"),
    ],
)
def test_every_list_validates(client: Client, services: list[m.Service], path: str, schema_path: str) -> None:
    answer = client.get(f"{BASE}{path}", {"per_page": 1})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    for key in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"):
        assert key in body
    assert body["size"] == 1
    assert_valid(validator_for(schema_path), body)


def test_service_detail_validates_and_hides_pending(client: Client, services: list[m.Service]) -> None:
    answer = client.get(f"{BASE}/services/{services[0].pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert_valid(validator_for("/services/{id}"), body)
    codes = {a["taxonomy_term"].get("code") for a in body["attributes"]}
    assert {"ontmoeting", "collectief", "gratis", "binnenlopen"} <= codes
    assert client.get(f"{BASE}/services/{services[2].pk}").status_code == 404
    assert client.get(f"{BASE}/services").json()["total_items"] == 2


def test_organization_and_service_at_location_detail_validate(client: Client, services: list[m.Service]) -> None:
    org = client.get(f"{BASE}/organizations/{services[0].organization_id}")
    assert org.status_code == 200
    assert_valid(validator_for("/organizations/{id}"), org.json())
    sal = services[0].service_at_locations.get()
    answer = client.get(f"{BASE}/service_at_locations/{sal.pk}")
    assert answer.status_code == 200
    assert_valid(compiled_validator("service_at_location.json"), answer.json())


def test_filters(client: Client, services: list[m.Service]) -> None:
    term = m.TaxonomyTerm.objects.get(code="geld")
    by_term = client.get(f"{BASE}/services", {"taxonomy_term_id": str(term.pk)}).json()
    assert [s["name"] for s in by_term["contents"]] == ["Budgetcafé"]
    assert client.get(f"{BASE}/services", {"search": "koffie"}).json()["total_items"] == 1
    later = client.get(f"{BASE}/services", {"modified_after": "2999-01-01T00:00:00Z"}).json()
    assert later["empty"] is True and later["total_items"] == 0
    page2 = client.get(f"{BASE}/services", {"per_page": 1, "page": 2}).json()
    assert page2["page_number"] == 2 and page2["last_page"] is True and page2["first_page"] is False


@pytest.mark.parametrize(
    "query",
    [{"page": "0"}, {"page": "x"}, {"per_page": "1000"}, {"taxonomy_term_id": "nope"}, {"modified_after": "gisteren"}],
)
def test_bad_parameters_are_422_json(client: Client, services: list[m.Service], query: dict[str, str]) -> None:
    answer = client.get(f"{BASE}/services", query)
    assert answer.status_code == 422
    assert "detail" in answer.json()


def test_unknown_ids_are_404(client: Client, town: Municipality) -> None:
    for path in ("services", "organizations", "service_at_locations"):
        assert client.get(f"{BASE}/{path}/{uuid.uuid4()}").status_code == 404
        assert client.get(f"{BASE}/{path}/not-a-uuid").json() == {"detail": "Not found."}


def test_nothing_about_residents_or_referrals(client: Client, services: list[m.Service]) -> None:
    text = client.get(f"{BASE}/services/{services[0].pk}").content.decode()
    for word in ("resident", "referral", "bewoner", "places_taken", "keeper"):
        assert word not in text
