"""Fuzz the contact and handover endpoints as a logged-in steward and as a clinic professional (the
partner-key fuzzing in tests/api only reaches the read paths): never a 500, only documented status codes,
every answer in its documented shape. Runs in-process through the WSGI app, in the test's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.contact.conftest import World
from tests.contact.helpers import consent_for, postcode_areas
from tests.factories import user
from waakvlam.config.api import api

MINE = r"/api/v1/(contact-plans|contacts|early-warning-plans|consents|handovers)"
schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(path_regex=MINE)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
CSRF = "a" * 32  # an unmasked CSRF secret, sent as both cookie and header


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The raw WSGI handler closes "old" connections around each request, which on PostgreSQL would close
    the test's transaction; Django's own test client switches this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sessions(world: World) -> dict[str, str]:
    postcode_areas()
    consent_for(world.resident, "ggz-kompas")
    cookies = {}
    for username in ("waakvlammer", "ggz"):
        client = Client()
        client.force_login(user(username))
        cookies[username] = client.cookies["sessionid"].value
    return cookies


def _as(session: str) -> dict[str, Any]:
    return {"cookies": {"sessionid": session, "csrftoken": CSRF}, "headers": {"X-CSRFToken": CSRF}}


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.parametrize("username", ["waakvlammer", "ggz"])
@pytest.mark.django_db
def test_contact_api_as_a_person(case: Any, sessions: dict[str, str], username: str) -> None:
    response = case.call(app=WSGIHandler(), **_as(sessions[username]))
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
def test_the_fuzzer_is_logged_in(sessions: dict[str, str]) -> None:
    case = schema["/api/v1/contact-plans"]["GET"].Case()
    response = case.call(app=WSGIHandler(), **_as(sessions["waakvlammer"]))
    assert response.status_code == 200 and response.json()["count"] == 1
    post = schema["/api/v1/contacts"]["POST"].Case(
        body={"plan_id": str(uuid.uuid4()), "channel": "visit", "made": True}
    )
    assert post.call(app=WSGIHandler(), **_as(sessions["waakvlammer"])).status_code == 404, (
        "CSRF passed, the plan is unknown"
    )
