"""Fuzz the public API from its own OpenAPI document, over real HTTP against a live server.

Every operation gets generated requests (valid and invalid); the server must never answer 500, must
only answer status codes the document lists, and every response must match its documented schema.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from waakvlam.config.api import api

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_context(live_server: Any, town: Any) -> dict[str, str]:
    from waakvlam.core.apikeys import SCOPES, api_key_create
    from waakvlam.core.models import Organisation

    _, key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"), scopes=list(SCOPES))
    return {"base_url": live_server.url, "key": key}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_document(case: Any, api_context: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {api_context['key']}"}
    case.call_and_validate(base_url=api_context["base_url"], headers=headers, checks=CHECKS)
