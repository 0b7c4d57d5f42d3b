"""Every API list bounds its paging in one place (core.pagination): a huge offset or limit is a 422."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from waakvlam.config.api import api
from waakvlam.core.apikeys import SCOPES, api_key_create
from waakvlam.core.models import Municipality, Organisation
from waakvlam.core.pagination import MAX_LIMIT, MAX_OFFSET

pytestmark = pytest.mark.django_db


def _paged_lists() -> list[str]:
    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get")
        if get and "{" not in path and any(p["name"] == "offset" for p in get.get("parameters", [])):
            paths.append(path)
    return paths


def test_every_paged_list_is_found() -> None:
    # The walk below must reach the lists it is about; a list that stops taking offset drops out here.
    assert {"/api/v1/notifications", "/api/v1/signals", "/api/v1/households"} <= set(_paged_lists())


SESSION_ONLY = ("/notifications",)


@pytest.mark.parametrize("path", _paged_lists())
def test_huge_offset_or_limit_is_a_422_on_every_list(
    path: str, town: Municipality, login: Callable[[str], Client]
) -> None:
    _, key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"), scopes=list(SCOPES))
    client = login("waakvlammer")
    # A session for the list no API key may read (no key has a notification inbox); the key for the others.
    headers = {} if path.endswith(SESSION_ONLY) else {"Authorization": f"Bearer {key}"}
    for params in ({"offset": 10**12}, {"offset": 10**30}, {"offset": MAX_OFFSET + 1}, {"limit": MAX_LIMIT + 1}):
        response = client.get(path, params, headers=headers)
        assert response.status_code == 422, (path, params, response.status_code)
        assert "detail" in response.json()
    assert client.get(path, {"offset": MAX_OFFSET}, headers=headers).status_code == 200
