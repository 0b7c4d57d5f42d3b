"""What one POST /api/v1/signals costs the database, and in which order: the intake benchmark's budget.

Every statement is a round trip and a share of the CPU, and the access-log entry takes the lock every
writer queues for until COMMIT, so it must stay the last statement (docs/benchmarks.md, "Intake")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.intake.conftest import signal_body
from waakvlam.core.models import Municipality, Neighbourhood

pytestmark = pytest.mark.django_db

# Statements for a signal about an address seen before (savepoints included), on either database.
QUERY_BUDGET = 20


def _statements(captured: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in captured if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_signal_costs_at_most_the_budget_and_logs_last(
    town: Municipality, areas: dict[str, Neighbourhood], post_json: Callable[..., Any], api_key: Callable[..., str]
) -> None:
    key = api_key()
    # The address and its household exist after the first signal; a routing table is cached after it too.
    assert post_json("/api/v1/signals", signal_body(external_id="warm-1"), key=key, idem="warm-1").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = post_json("/api/v1/signals", signal_body(external_id="budget-1"), key=key, idem="budget-1")
    assert response.status_code == 201
    queries = captured.captured_queries
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:120] for q in queries)
    statements = _statements(queries)
    # The chain's lock (PostgreSQL) or tail read, then the entry: nothing of the create after them.
    assert "privacy_accesslogentry" in statements[-2] and statements[-1].startswith(
        'INSERT INTO "privacy_accesslogentry"'
    ), statements[-3:]
    assert not any("privacy_accesslogentry" in s for s in statements[:-2])
