"""The big fuzz run: every API operation, as a partner key with every scope and as a session of each role,
over real HTTP. No server error, only documented statuses and shapes.

Not part of `make test` (it takes long): `make fuzz` runs it with WAAKVLAM_FUZZ_EXAMPLES examples per
operation and caller (60 gives over 10,000 cases), and writes the count to var/fuzz-count.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.api.test_schemathesis import CHECKS
from waakvlam.config.api import api

EXAMPLES = int(os.environ.get("WAAKVLAM_FUZZ_EXAMPLES", "0"))
pytestmark = [
    pytest.mark.server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(EXAMPLES == 0, reason="the big fuzz run: make fuzz (WAAKVLAM_FUZZ_EXAMPLES)"),
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())

# A partner key with every scope, and a session of each role that uses the API.
CALLERS = ["key", "waakvlammer", "coordinator", "ggz", "signaleerder", "privacy", "regie"]
COUNT: dict[str, int] = {}


@pytest.fixture(params=CALLERS)
def caller(request: pytest.FixtureRequest, live_server: Any, town: Any) -> dict[str, Any]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]

    from waakvlam.core.apikeys import SCOPES, api_key_create
    from waakvlam.core.models import Organisation, User

    if request.param == "key":
        _, key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"), scopes=list(SCOPES))
        return {"name": "key", "base_url": live_server.url, "headers": {"Authorization": f"Bearer {key}"}}
    user = User.objects.get(username=request.param)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = _get_new_csrf_string()
    return {
        "name": request.param,
        "base_url": live_server.url,
        "headers": {"Cookie": f"sessionid={session.session_key}; csrftoken={csrf}", "X-CSRFToken": csrf},
    }


@schema.parametrize()
@settings(max_examples=max(EXAMPLES, 1), deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_as_every_caller(case: Any, caller: dict[str, Any]) -> None:
    COUNT[caller["name"]] = COUNT.get(caller["name"], 0) + 1
    case.call_and_validate(base_url=caller["base_url"], headers=caller["headers"], checks=CHECKS)
    out = Path(os.environ.get("WAAKVLAM_FUZZ_COUNT_FILE", "var/fuzz-count.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"cases": sum(COUNT.values()), "per_caller": COUNT}))
