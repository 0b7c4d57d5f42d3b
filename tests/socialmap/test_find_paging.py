"""The find screen pages its results, and the number of queries it makes does not grow with the results."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import user
from tests.socialmap import factories
from waakvlam.core.models import Municipality
from waakvlam.socialmap.search import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _queries(client: Client, params: dict[str, str]) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/sociale-kaart/", params)
    assert page.status_code == 200
    return len(captured), page.content.decode()


def test_find_pages_and_makes_as_many_queries_for_one_result_as_for_a_page(town: Municipality, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    factories.service(town, name="Eerste")
    one, html = _queries(client, {"free": "on"})
    assert "Eerste" in html and "pagina=2" not in html
    for i in range(PAGE_SIZE + 3):
        factories.service(town, name=f"Koffie {i:02d}")
    many, html = _queries(client, {"free": "on"})
    assert many == one, "the result cards' schedules, places and contacts are fetched per page, not per card"
    assert f"{PAGE_SIZE + 4} gevonden" in html and "pagina=2" in html and "Koffie 18" in html
    assert "Koffie 19" not in html
    _n, second = _queries(client, {"free": "on", "pagina": "2"})
    assert "Koffie 19" in second and "Koffie 22" in second and "Eerste" not in second and 'rel="prev"' in second
    _n, bad = _queries(client, {"free": "on", "pagina": "-1"})
    assert "Eerste" in bad
    _n, far = _queries(client, {"free": "on", "pagina": "999"})
    assert f"{PAGE_SIZE + 4} gevonden" in far
