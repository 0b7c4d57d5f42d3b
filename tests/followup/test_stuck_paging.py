"""The stuck page pages the signals at the top from their keys: the same rows in the same order as reading them
all, a fixed number of statements however deep the page, and an index the planner can read alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.models import Municipality
from waakvlam.followup.selectors import escalated_page, escalated_to_municipality, municipality_level
from waakvlam.followup.views import PAGE_SIZE
from waakvlam.intake.models import Signal
from waakvlam.routing.followups import ESCALATABLE, SIGNAL_PICKUP

pytestmark = pytest.mark.django_db


def _at_top(n: int) -> list[Signal]:
    """n signals at the municipality's level or above, with levels and due times that tie, so the page's
    order (level down, then due time, then key) is tested on every part."""
    now, owner = timezone.now(), team("Waakvlam Centrum-Oost")
    top = municipality_level(SIGNAL_PICKUP)
    return [
        signal_for(owner, escalation_level=top + i % 3, due_at=now - timedelta(hours=i % 4), received_at=now)
        for i in range(n)
    ]


def test_pages_of_keys_give_every_row_once_in_the_page_order(town: Municipality) -> None:
    _at_top(PAGE_SIZE * 2 + 3)
    signal_for(team("Waakvlam Centrum-Oost"), escalation_level=1)  # below the municipality's level
    regie = user("regie")
    everything = list(escalated_to_municipality(regie, SIGNAL_PICKUP))
    assert len(everything) == PAGE_SIZE * 2 + 3
    paged: list[dict[str, object]] = []
    for number in (1, 2, 3):
        page = escalated_page(regie, SIGNAL_PICKUP, number, PAGE_SIZE)
        assert page.paginator.count == len(everything) and page.number == number
        paged.extend(page.object_list)
    assert paged == everything
    assert escalated_page(regie, SIGNAL_PICKUP, "999", PAGE_SIZE).number == 3  # past the end: the last page
    assert list(escalated_page(user("coordinator"), SIGNAL_PICKUP, 1, PAGE_SIZE).object_list) == []


def test_the_stuck_page_reads_as_many_statements_on_a_deep_page_as_on_the_first(
    login: Callable[[str], Client], town: Municipality
) -> None:
    signals = _at_top(PAGE_SIZE * 3)
    client = login("regie")
    counts = []
    for number in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/regie/vastgelopen/?soort=signal_pickup&pagina={number}").content.decode()
        counts.append(len(queries.captured_queries))
        assert re.search(rf"Pagina {number} van 3", html)
    assert counts[0] == counts[1]
    last = Signal.objects.filter(pk__in=[s.pk for s in signals]).order_by("-escalation_level", "due_at", "pk").last()
    assert last is not None and f"<code>{last.tracking_code}</code>" in html


def test_the_top_index_holds_what_the_page_asks_for() -> None:
    """intake's signal_at_top is partial: only the pickup ladder's open, unpicked signals at the municipality's
    level. If the ladder or the open statuses change, the page's filter no longer implies its condition."""
    index = next(i for i in Signal._meta.indexes if i.name == "signal_at_top")
    assert index.condition is not None
    condition = dict(index.condition.children)  # type: ignore[arg-type]
    assert condition["escalation_level__gte"] == municipality_level(SIGNAL_PICKUP)
    assert set(condition["status__in"]) == set(ESCALATABLE)
    assert condition["picked_up_at__isnull"] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_count_and_the_page_keys_are_read_from_the_top_index_alone(town: Municipality) -> None:
    _at_top(3)
    regie = user("regie")
    with CaptureQueriesContext(connection) as queries:
        escalated_page(regie, SIGNAL_PICKUP, 1, PAGE_SIZE)
    count, keys, _rows = (q["sql"] for q in queries.captured_queries if '"intake_signal"' in q["sql"])
    with connection.cursor() as cursor:
        # A tiny table: a scan would be cheaper here; at ten million signals it is the other way round.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # And no plain index scan: on a tiny table the planner may as well pick another partial index that
        # holds these rows (intake's signal_unpicked_due) and read the heap. Left with index-only scans,
        # it finds one only if signal_at_top covers the statement, which is what this test is about.
        cursor.execute("SET LOCAL enable_indexscan = off")
        for sql in (count, keys):
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan using signal_at_top" in plan, plan
            assert "Sort" not in plan and "Join" not in plan and "Nested" not in plan, plan
