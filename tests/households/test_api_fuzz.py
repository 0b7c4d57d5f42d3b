"""Fuzz the households endpoints as a logged-in steward (the partner-key fuzzing in tests/api gets a 403 on
every POST): never a 500, only documented status codes, every answer in its documented shape. In-process
through the WSGI app, in the test's transaction, as tests/contact/test_api_fuzz.py does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.factories import user
from waakvlam.config.api import api
from waakvlam.core.models import Neighbourhood
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(path_regex=r"/api/v1/households")
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
    the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(areas: dict[str, Neighbourhood]) -> dict[str, Any]:
    signal_create(
        data=SignalInput(category="neglect", description="Post stapelt zich op.", address=AddressInput("9901AB", "7")),
        reporter=Reporter.for_user(user("signaleerder")),
        now=timezone.now(),
    )
    client = Client()
    client.force_login(user("waakvlammer"))
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    return {"cookies": cookies, "headers": {"X-CSRFToken": CSRF}}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_households_api_as_a_steward(case: Any, session: dict[str, Any]) -> None:
    response = case.call(app=WSGIHandler(), **session)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
def test_the_fuzzer_is_logged_in(session: dict[str, Any]) -> None:
    listing = schema["/api/v1/households"]["GET"].Case().call(app=WSGIHandler(), **session)
    assert listing.status_code == 200 and listing.json()["count"] == 1
    post = schema["/api/v1/households"]["POST"].Case(body={"postcode": "9901 ab", "house_number": "7"})
    assert post.call(app=WSGIHandler(), **session).status_code == 200, "CSRF passed; the steward sees this one"
