"""The rollups agree with the raw rows, are kept current incrementally, and any period reads exactly."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q

from tests.factories import user
from tests.insight.conftest import AMS, BINNENSTAD, HAVENKWARTIER, NOW, STATIONSKWARTIER, World, make_signal
from waakvlam.insight.facts import SIGNAL_KEY
from waakvlam.insight.models import (
    PICKUP_BUCKET_WIDTH,
    SIGNAL_COLUMNS,
    Grain,
    PickupBucketCell,
    PickupCell,
    SignalCell,
)
from waakvlam.insight.rebuild_sql import PICKUP_BUCKETS
from waakvlam.insight.rollups import rollups_rebuild, rollups_update
from waakvlam.insight.selectors import TOTAL_KEY, Scope, percentile, pickup_percentiles, raw_figures
from waakvlam.insight.timing import picked_up_in_time, pickup_tenths
from waakvlam.routing.services import signal_claim


def _by_code(world: World, start: date, end: date, organisation: int = 0) -> dict[str, Counter[str]]:
    raw = raw_figures(Scope(world.municipality.pk, organisation), start, end, NOW)
    from waakvlam.core.models import Neighbourhood

    codes = dict(Neighbourhood.objects.values_list("pk", "code"))
    return {codes.get(h, "none"): c for h, c in raw.counts.items()}


def test_rebuild_matches_the_raw_rows(world: World) -> None:
    rollups_rebuild(now=NOW)
    figures = _by_code(world, date(2026, 10, 1), date(2026, 10, 31))
    assert figures[BINNENSTAD]["signals_in"] == 12
    assert figures[BINNENSTAD]["picked_up"] == 12
    assert figures[BINNENSTAD]["picked_up_in_time"] == 10
    assert figures[BINNENSTAD]["escalated"] == 2
    assert figures[STATIONSKWARTIER]["signals_in"] == 3
    assert figures[STATIONSKWARTIER]["picked_up"] == 0
    assert figures[HAVENKWARTIER]["signals_in"] == 7


def test_the_sweep_rebuilds_nothing_twice_and_sees_a_new_pickup(world: World) -> None:
    rollups_update(NOW)
    assert _by_code(world, date(2026, 10, 1), date(2026, 10, 31))[STATIONSKWARTIER]["picked_up"] == 0
    stuck = world.signals[12]
    signal_claim(signal=stuck, by=user("waakvlammer"), now=stuck.received_at + timedelta(hours=3))
    result = rollups_update(NOW)
    assert result["insight_signals_changed"] == 1
    assert result["insight_signal_cells_changed"] >= 1
    after = _by_code(world, date(2026, 10, 1), date(2026, 10, 31))
    assert after[STATIONSKWARTIER]["picked_up"] == 1
    assert after[STATIONSKWARTIER]["picked_up_in_time"] == 1


def test_a_new_signal_lands_in_its_day_and_month(world: World) -> None:
    rollups_update(NOW)
    make_signal(BINNENSTAD, NOW - timedelta(days=1), hours_to_pickup=None)
    rollups_update(NOW)
    november = _by_code(world, date(2026, 11, 1), date(2026, 11, 30))
    assert november[BINNENSTAD]["signals_in"] == 1
    assert SignalCell.objects.filter(grain=Grain.MONTH, period_start=date(2026, 11, 1), dim="all").exists()


def test_any_period_is_exact_whole_months_and_edges(world: World) -> None:
    rollups_rebuild(now=NOW)
    # 5 Oct 09:00 + i days: Binnenstad's signals fall on 5..16 October.
    assert _by_code(world, date(2026, 10, 7), date(2026, 10, 9))[BINNENSTAD]["signals_in"] == 3
    assert _by_code(world, date(2026, 9, 15), date(2026, 11, 3))[BINNENSTAD]["signals_in"] == 12
    assert _by_code(world, date(2026, 10, 16), date(2026, 12, 31))[BINNENSTAD]["signals_in"] == 1
    assert BINNENSTAD not in _by_code(world, date(2026, 10, 17), date(2026, 10, 31))


def test_every_period_agrees_with_counting_the_raw_rows(world: World) -> None:
    rollups_rebuild(now=NOW)
    received = [s.received_at.astimezone(AMS).date() for s in world.signals]
    for start in (date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 6), date(2026, 10, 12)):
        for end in (date(2026, 10, 6), date(2026, 10, 10), date(2026, 10, 31), date(2026, 11, 1)):
            if end < start:
                continue
            counted = sum(start <= day <= end for day in received)
            figures = _by_code(world, start, end)
            assert sum(c["signals_in"] for c in figures.values()) == counted, (start, end)


def test_partner_rows_hold_only_their_own_signals(world: World) -> None:
    rollups_rebuild(now=NOW)
    own = _by_code(world, date(2026, 10, 1), date(2026, 10, 31), organisation=world.housing.pk)
    assert own == {HAVENKWARTIER: own[HAVENKWARTIER]}
    assert own[HAVENKWARTIER]["signals_in"] == 6


def test_in_time_rule_and_resolution() -> None:
    due = NOW
    assert picked_up_in_time(NOW - timedelta(hours=1), due, 0)
    assert not picked_up_in_time(NOW + timedelta(minutes=1), due, 0)
    assert not picked_up_in_time(NOW - timedelta(hours=1), due + timedelta(days=1), 1)  # escalated first
    assert not picked_up_in_time(None, due, 0)
    assert pickup_tenths(NOW, NOW + timedelta(minutes=5, seconds=59)) == 0
    assert pickup_tenths(NOW, NOW + timedelta(minutes=6)) == 1


def test_percentile_is_percentile_disc() -> None:
    values = Counter({1: 1, 2: 1, 3: 1, 4: 1})
    assert percentile(values, 5) == 2  # first value whose cumulative share reaches 0.5
    assert percentile(values, 9) == 4
    assert percentile(Counter({7: 10}), 9) == 7
    assert percentile(Counter(), 5) is None


def _cells() -> set[tuple[object, ...]]:
    signal = set(
        SignalCell.objects.values_list(
            "municipality_id",
            "organisation_id",
            "neighbourhood_id",
            "grain",
            "period_start",
            "dim",
            "value",
            "signals_in",
            "picked_up",
            "picked_up_in_time",
            "escalated",
            "closed",
        )
    )
    pickup = set(
        PickupCell.objects.values_list(
            "municipality_id", "organisation_id", "neighbourhood_id", "grain", "period_start", "bucket", "tenths", "n"
        )
    )
    buckets = set(
        PickupBucketCell.objects.values_list(
            "municipality_id", "organisation_id", "neighbourhood_id", "grain", "period_start", "bucket", "n"
        )
    )
    return signal | pickup | buckets


def test_the_postgres_rebuild_and_the_python_facts_give_the_same_cells(world: World) -> None:
    from waakvlam.insight.facts import signal_facts_from_scratch
    from waakvlam.insight.models import SignalFact

    rollups_rebuild(now=NOW)  # on PostgreSQL: the set-based SQL; on SQLite: the facts in Python
    built = _cells()
    facts = set(SignalFact.objects.values_list())
    assert built, connection.vendor
    assert len(facts) == len(world.signals)
    # The Python definition (SQLite's path and the worker's pass) gives the very same facts and cells.
    SignalCell.objects.all().delete()
    PickupCell.objects.all().delete()
    PickupBucketCell.objects.all().delete()
    SignalFact.objects.all().delete()
    signal_facts_from_scratch()
    assert _cells() == built
    assert set(SignalFact.objects.values_list()) == facts


def test_the_pass_adds_differences_that_equal_a_rebuild(world: World) -> None:
    """Pickups, escalations, closures, a moved neighbourhood, new signals: the cells the pass keeps by
    differences are exactly the cells a rebuild counts from the raw rows, at every grain."""
    from waakvlam.intake.models import Signal, SignalEvent

    rollups_rebuild(now=NOW)
    rng = random.Random(16)
    signals = list(Signal.objects.order_by("id"))
    for signal in rng.sample(signals, 8):
        choice = rng.randrange(4)
        if choice == 0:
            signal.picked_up_at = signal.received_at + timedelta(minutes=rng.randrange(1, 5000))
        elif choice == 1:
            signal.escalation_level += 1
        elif choice == 2:
            signal.status, signal.outcome = "closed", "no_concern"
        else:
            signal.neighbourhood = world.signals[0].neighbourhood
        signal.save()
        SignalEvent.objects.create(signal=signal, at=NOW, kind="assigned", actor_label="test", note="")
    for _ in range(3):
        make_signal(STATIONSKWARTIER, NOW - timedelta(days=rng.randrange(1, 400)), hours_to_pickup=rng.random() * 9)
    gone = signals[-1]  # a history step that changed nothing the figures count
    SignalEvent.objects.create(signal=gone, at=NOW, kind="assigned", actor_label="test", note="")
    result = rollups_update(NOW)
    assert result["insight_signals_changed"] >= 8
    kept = _cells()
    rollups_rebuild(now=NOW)
    assert kept == _cells()
    # Once counted, a pass over the same signals changes nothing.
    SignalEvent.objects.create(signal=gone, at=NOW, kind="assigned", actor_label="test", note="")
    assert rollups_update(NOW)["insight_signal_cells_changed"] == 0
    assert kept == _cells()


def test_the_exact_median_and_90th_percentile_over_the_municipality(world: World) -> None:
    rollups_rebuild(now=NOW)
    raw = raw_figures(Scope(world.municipality.pk, 0), date(2026, 10, 1), date(2026, 10, 31), NOW)
    # Pickups after 1..10 h and 2 x 60 h (Binnenstad) and 7 x 2.5 h: the 10th and 18th of 19 (tenths of hours).
    assert raw.percentiles[TOTAL_KEY] == (30, 600)


def test_the_percentiles_in_sql_follow_the_definition(town: object) -> None:
    """pickup_percentiles merges the frequency tables in the database; it must give what percentile() says
    percentile_disc means, per neighbourhood and over all, on odd and even counts and ties."""
    rng = random.Random(16)
    histograms: dict[int, Counter[int]] = {}
    cells: Counter[tuple[int, int, int]] = Counter()  # one cell per key, as the rollups keep them
    for hood in (0, 7, 8, 9):
        histogram: Counter[int] = Counter()
        for day in range(1, 1 + rng.randrange(1, 4)):
            for _ in range(rng.randrange(1, 12)):
                tenths, n = rng.randrange(0, 3 * PICKUP_BUCKET_WIDTH), rng.randrange(1, 4)
                histogram[tenths] += n
                cells[(hood, day, tenths)] += n
        histograms[hood] = histogram
    PickupCell.objects.bulk_create(
        PickupCell(
            municipality_id=99,
            neighbourhood_id=hood,
            grain="d",
            period_start=date(2026, 3, day),
            bucket=tenths // PICKUP_BUCKET_WIDTH,
            tenths=tenths,
            n=n,
        )
        for (hood, day, tenths), n in cells.items()
    )
    with connection.cursor() as cursor:  # the bucket cells, summed from these as the rebuild does
        cursor.execute(PICKUP_BUCKETS)
    everything: Counter[int] = Counter()
    for histogram in histograms.values():
        everything.update(histogram)
    expected = {hood: (percentile(h, 5), percentile(h, 9)) for hood, h in histograms.items()}
    expected[TOTAL_KEY] = (percentile(everything, 5), percentile(everything, 9))
    base = Q(municipality_id=99, organisation_id=0)
    assert pickup_percentiles(base, date(2026, 3, 1), date(2026, 3, 10)) == expected  # day rows only


def test_a_period_over_whole_years_reads_year_rows_and_stays_exact(world: World) -> None:
    from datetime import datetime

    from waakvlam.insight.ranges import period_ranges

    spread = [datetime(2025, month, 3 + month, 10, tzinfo=AMS) for month in range(1, 13)]
    spread += [datetime(2024, 12, 20, 10, tzinfo=AMS), datetime(2027, 1, 10, 10, tzinfo=AMS)]
    for moment in spread:
        make_signal(HAVENKWARTIER, moment, hours_to_pickup=1.5)
    rollups_rebuild(now=NOW)
    year = SignalCell.objects.filter(grain=Grain.YEAR, period_start=date(2025, 1, 1), dim="all", organisation_id=0)
    assert sum(year.values_list("signals_in", flat=True)) == 12
    received = [s.received_at.astimezone(AMS).date() for s in world.signals] + [m.date() for m in spread]
    for start, end in [
        (date(2024, 12, 15), date(2026, 11, 3)),  # 2025 whole: a year row, months of 2026, days at both edges
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2024, 12, 1), date(2027, 1, 31)),  # two whole years and whole months around them
        (date(2025, 3, 1), date(2026, 10, 9)),
    ]:
        assert any(q.children[0] == ("grain", Grain.YEAR) for q in period_ranges(start, end)) or start.year == 2025
        counted = sum(start <= day <= end for day in received)
        assert sum(c["signals_in"] for c in _by_code(world, start, end).values()) == counted, (start, end)
    # The worker's pass keeps the year row current too.
    make_signal(HAVENKWARTIER, datetime(2025, 6, 1, 10, tzinfo=AMS), hours_to_pickup=None)
    rollups_update(NOW)
    assert sum(year.values_list("signals_in", flat=True)) == 13
    assert sum(c["signals_in"] for c in _by_code(world, date(2025, 1, 1), date(2025, 12, 31)).values()) == 13


def test_the_first_pass_after_the_facts_arrived_counts_everything_again(world: World) -> None:
    """Insight migration 0005 empties the signal cells and there are no facts yet: the next pass writes both
    from the signals, so nothing is counted twice or missed."""
    from waakvlam.insight.models import SignalFact

    rollups_rebuild(now=NOW)
    built = _cells()
    SignalCell.objects.all().delete()
    PickupCell.objects.all().delete()
    PickupBucketCell.objects.all().delete()
    SignalFact.objects.all().delete()
    rollups_update(NOW)
    assert _cells() == built
    assert SignalFact.objects.count() == len(world.signals)


def test_a_breakdown_row_counts_only_what_is_published_of_it(world: World) -> None:
    """Categories and sources publish their signals in, outcomes their closed ones: the other counts stay 0
    there, so a pickup changes only the 'all' rows of its day, month and year (and the pickup cells)."""
    rollups_update(NOW)
    breakdowns = SignalCell.objects.exclude(dim="all")
    assert breakdowns.filter(dim="category", signals_in__gt=0).exists()
    assert not breakdowns.filter(Q(picked_up__gt=0) | Q(picked_up_in_time__gt=0) | Q(escalated__gt=0)).exists()
    assert not breakdowns.filter(dim__in=["category", "source"], closed__gt=0).exists()

    def rows() -> dict[tuple[object, ...], list[int]]:
        cells = SignalCell.objects.values_list(*SIGNAL_KEY, *SIGNAL_COLUMNS)
        return {tuple(c[: len(SIGNAL_KEY)]): list(c[len(SIGNAL_KEY) :]) for c in cells}

    before = rows()
    stuck = world.signals[12]
    signal_claim(signal=stuck, by=user("waakvlammer"), now=stuck.received_at + timedelta(hours=3))
    rollups_update(NOW)
    after = rows()
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert {key[SIGNAL_KEY.index("dim")] for key in changed} == {"all"}
    assert {key[SIGNAL_KEY.index("grain")] for key in changed} == {"d", "m", "y"}
