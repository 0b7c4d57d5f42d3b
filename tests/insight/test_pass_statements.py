"""The worker's pass: statements whose cost follows the day's changes, not the size of the tables."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from tests.insight.conftest import NOW, World
from waakvlam.followup.sweep import pending_items
from waakvlam.insight.care import care_organisations
from waakvlam.insight.facts import SIGNAL_KEY, SIGNAL_SUMS, _upsert, array_literal, signal_facts_apply
from waakvlam.insight.facts_sql import signal_facts_apply_sql
from waakvlam.insight.models import ALL_ORGANISATIONS, CareCell, Grain, SignalCell
from waakvlam.routing.followups import SIGNAL_PICKUP


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_stuck_count_can_read_the_partial_index_of_unpicked_signals(world: World) -> None:
    """The index holds only open signals nobody picked up; the stuck filter must imply its condition, or the
    planner can only scan every signal (intake's signal_unpicked_due)."""
    rows = pending_items(SIGNAL_PICKUP, NOW).order_by().values("municipality_id").annotate(n=Count("id"))
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: a scan would be cheaper here
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "signal_unpicked_due" in plan, plan


def test_the_organisations_of_a_municipality_care_cells_by_walking_the_index(world: World) -> None:
    town = world.municipality.pk
    for org in (ALL_ORGANISATIONS, 7, 7, 3, 12):
        CareCell.objects.create(
            municipality_id=town, organisation_id=org, grain=Grain.DAY, period_start=NOW.date(), dim="contacts", a=1
        )
    CareCell.objects.create(
        municipality_id=town + 1, organisation_id=5, grain=Grain.DAY, period_start=NOW.date(), dim="contacts", a=1
    )
    assert care_organisations(town) == [0, 3, 7, 12]
    assert care_organisations(town + 2) == []


ODD = ["", "NULL", 'a "quoted" word', "back\\slash", "comma, {braces}", "tab\tand ünïcode"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array input")
@pytest.mark.django_db
def test_an_array_literal_gives_back_every_value_exactly() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::date[]",
            [array_literal(ODD), array_literal([0, -3, 2**40]), array_literal([NOW.date()])],
        )
        assert cursor.fetchone() == (ODD, [0, -3, 2**40], [NOW.date()])
        cursor.execute("SELECT %s::bigint[]", [array_literal([1, None])])
        assert cursor.fetchone() == ([1, None],)
        plain = ["", "NULL", "all", "two words"]  # nothing to escape: joined as they are
        cursor.execute("SELECT %s::text[], %s::text[]", [array_literal(plain), array_literal([])])
        assert cursor.fetchone() == (plain, [])


def test_differences_add_up_in_place_whatever_the_value(world: World) -> None:
    town, day = world.municipality.pk, NOW.date()

    def deltas(sign: int) -> dict[tuple[object, ...], list[int]]:
        return {(town, 0, "d", day, 0, "category", v): [sign, sign, 0, 0, 0] for v in ODD}

    _upsert("insight_signalcell", SIGNAL_KEY, SIGNAL_SUMS, deltas(+1))
    _upsert("insight_signalcell", SIGNAL_KEY, SIGNAL_SUMS, deltas(+1))
    cells = dict(SignalCell.objects.filter(municipality_id=town, dim="category").values_list("value", "signals_in"))
    assert cells == dict.fromkeys(ODD, 2)
    _upsert("insight_signalcell", SIGNAL_KEY, SIGNAL_SUMS, deltas(-1))
    _upsert("insight_signalcell", SIGNAL_KEY, SIGNAL_SUMS, deltas(-1))
    assert not SignalCell.objects.filter(municipality_id=town, dim="category").exists()


def _rollups() -> tuple[set[tuple[object, ...]], ...]:
    from waakvlam.insight.models import PickupBucketCell, PickupCell, SignalFact

    def rows(model: type[Any]) -> set[tuple[object, ...]]:
        return {row[1:] for row in model.objects.values_list()}  # without the id a table gives its rows

    return rows(SignalCell), rows(PickupCell), rows(PickupBucketCell), set(SignalFact.objects.values_list())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based pass is PostgreSQL's")
def test_the_set_based_pass_writes_what_the_python_pass_writes(world: World) -> None:
    """Pickups (one moving to another bucket), an escalation, a closure, a move to another neighbourhood and
    reporter, a new signal and one deleted: facts_sql.py and facts.py leave the same cells and facts, and
    cells whose last signal left are gone in both."""
    from django.db import transaction

    from tests.insight.conftest import STATIONSKWARTIER, make_signal
    from waakvlam.insight.rollups import rollups_rebuild
    from waakvlam.intake.models import Signal

    rollups_rebuild(now=NOW)
    signals = list(Signal.objects.order_by("id"))
    first, second, third, fourth, fifth = signals[:5]
    Signal.objects.filter(pk=first.pk).update(picked_up_at=first.received_at + timedelta(hours=30))
    Signal.objects.filter(pk=second.pk).update(escalation_level=second.escalation_level + 1)
    Signal.objects.filter(pk=third.pk).update(status="closed", outcome="no_concern")
    Signal.objects.filter(pk=fourth.pk).update(
        neighbourhood=signals[-1].neighbourhood, reporter_organisation=world.housing
    )
    fifth_id = fifth.pk
    Signal.objects.filter(pk=fifth_id).delete()
    new = make_signal(STATIONSKWARTIER, NOW - timedelta(days=3), hours_to_pickup=2.5)
    changed = [first.pk, second.pk, third.pk, fourth.pk, fifth_id, new.pk, signals[-1].pk]
    with transaction.atomic():
        python_count = signal_facts_apply(changed)
        by_python = _rollups()
        transaction.set_rollback(True)
    sql_count = signal_facts_apply_sql(changed)
    assert _rollups() == by_python
    assert python_count == sql_count > 0
    assert signal_facts_apply_sql(changed) == 0  # counted once, the same signals change nothing
    assert _rollups() == by_python
