"""The two-level pickup frequency table gives exactly the percentiles counted from the raw pickup times, and
the worker's pass keeps the bucket cells equal to the sums of the fine cells (insight/percentiles.py)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, Sum

from tests.insight.conftest import AMS, BINNENSTAD, HAVENKWARTIER, NOW, STATIONSKWARTIER, make_signal
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.insight.models import PICKUP_BUCKET_WIDTH, PickupBucketCell, PickupCell
from waakvlam.insight.ranges import signed_terms
from waakvlam.insight.rollups import rollups_rebuild, rollups_update
from waakvlam.insight.selectors import TOTAL_KEY, pickup_percentiles
from waakvlam.insight.timing import pickup_tenths
from waakvlam.intake.models import Signal, SignalEvent

PERIODS = [
    (date(2024, 12, 15), date(2026, 11, 3)),  # a whole year, whole months, days at both edges
    (date(2025, 1, 1), date(2025, 12, 31)),  # one year row
    (date(2024, 11, 1), date(2026, 11, 20)),  # everything
    (date(2025, 12, 20), date(2026, 1, 10)),  # days across a new year
    (date(2025, 3, 1), date(2025, 5, 31)),  # whole months
    (date(2025, 2, 27), date(2025, 3, 2)),  # days across a month
    (date(2025, 6, 15), date(2025, 6, 15)),  # one day
    (date(2025, 1, 3), date(2025, 12, 29)),  # a year minus days at both ends (signed ranges)
    (date(2025, 2, 4), date(2025, 3, 27)),  # months minus a few days each
]


def _disc(values: list[int], share_tenths: int) -> int:
    """percentile_disc over a sorted list: the value at position ceil(share * n)."""
    return values[-(-share_tenths * len(values) // 10) - 1]


def _counted(start: date, end: date, municipality: Municipality) -> dict[int, tuple[int | None, int | None]]:
    """The median and 90th percentile straight from the raw signals' pickup times."""
    per_hood: dict[int, list[int]] = defaultdict(list)
    for signal in Signal.objects.filter(municipality=municipality, picked_up_at__isnull=False):
        if start <= signal.received_at.astimezone(AMS).date() <= end:
            per_hood[signal.neighbourhood_id or 0].append(pickup_tenths(signal.received_at, signal.picked_up_at))
    if not per_hood:
        return {}
    everything = sorted(t for values in per_hood.values() for t in values)
    result: dict[int, tuple[int | None, int | None]] = {
        hood: (_disc(sorted(v), 5), _disc(sorted(v), 9)) for hood, v in per_hood.items()
    }
    result[TOTAL_KEY] = (_disc(everything, 5), _disc(everything, 9))
    return result


def _hours(tenths: int, rng: random.Random) -> float:
    """A pickup time that floors to `tenths` tenths of an hour, anywhere inside that tenth."""
    return (tenths * 360 + rng.randrange(0, 360)) / 3600


def _random_signals(rng: random.Random, count: int) -> None:
    """Pickups over two years with many ties and values at bucket edges; Stationskwartier gets exactly one."""
    start = datetime(2024, 11, 1, 0, 30, tzinfo=AMS)
    edges = [0, PICKUP_BUCKET_WIDTH - 1, PICKUP_BUCKET_WIDTH, 2 * PICKUP_BUCKET_WIDTH, 3 * PICKUP_BUCKET_WIDTH - 1]
    for _ in range(count):
        received = start + timedelta(minutes=rng.randrange(0, 749 * 24 * 60))
        tenths = rng.choice([*edges, rng.randrange(0, 200), rng.randrange(0, 2500)])
        hours = None if rng.random() < 0.1 else _hours(tenths, rng)
        make_signal(rng.choice([BINNENSTAD, BINNENSTAD, HAVENKWARTIER]), received, hours_to_pickup=hours)
    make_signal(STATIONSKWARTIER, datetime(2025, 6, 15, 10, tzinfo=AMS), hours_to_pickup=_hours(77, rng))


def _buckets_are_sums_of_fine_cells() -> None:
    key = ("municipality_id", "organisation_id", "neighbourhood_id", "grain", "period_start", "bucket")
    fine = {tuple(r[k] for k in key): r["n"] for r in PickupCell.objects.values(*key).annotate(n=Sum("n"))}
    coarse = {tuple(r[k] for k in key): r["n"] for r in PickupBucketCell.objects.values(*key, "n")}
    assert coarse == fine
    assert all(n > 0 for n in coarse.values())
    wrong = PickupCell.objects.exclude(bucket=0).filter(tenths__lt=PICKUP_BUCKET_WIDTH)
    assert not wrong.exists()


def _assert_exact(municipality: Municipality, periods: list[tuple[date, date]]) -> None:
    base = Q(municipality_id=municipality.pk, organisation_id=0)
    for start, end in periods:
        assert pickup_percentiles(base, start, end) == _counted(start, end, municipality), (start, end)


@pytest.fixture
def spread(town: Municipality) -> Municipality:
    _random_signals(random.Random(16), 160)
    return town


def test_exact_over_periods_across_years_months_and_days(spread: Municipality) -> None:
    rollups_rebuild(now=NOW)
    _buckets_are_sums_of_fine_cells()
    rng = random.Random(9)
    periods = list(PERIODS)
    for _ in range(25):
        end = date(2026, 11, 20) - timedelta(days=rng.randrange(0, 740))
        periods.append((end - timedelta(days=rng.choice([0, 6, 30, 90, 365, 500])), end))
    _assert_exact(spread, periods)
    one = Neighbourhood.objects.get(code=STATIONSKWARTIER).pk
    answer = pickup_percentiles(Q(municipality_id=spread.pk, organisation_id=0), date(2025, 1, 1), date(2025, 12, 31))
    assert answer[one] == (77, 77)  # a neighbourhood with one pickup
    empty = Neighbourhood.objects.filter(municipality=spread).exclude(
        code__in=[BINNENSTAD, STATIONSKWARTIER, HAVENKWARTIER]
    )
    assert empty.exists()
    assert not set(answer) & set(empty.values_list("pk", flat=True))  # no pickups, no percentile


def test_a_period_without_pickups_has_no_percentiles(spread: Municipality) -> None:
    rollups_rebuild(now=NOW)
    assert (
        pickup_percentiles(Q(municipality_id=spread.pk, organisation_id=0), date(2023, 1, 1), date(2023, 12, 31)) == {}
    )


def test_percentiles_on_a_bucket_boundary(town: Municipality) -> None:
    """A median on the last tenth of one bucket, a 90th percentile on the first tenth of the next."""
    rng = random.Random(3)
    day = datetime(2026, 3, 4, 9, tzinfo=AMS)
    w = PICKUP_BUCKET_WIDTH
    for i, tenths in enumerate([w - 2, w - 1, w - 1, w - 1, w - 1, w, w, w + 5, w + 5, 2 * w]):
        make_signal(BINNENSTAD, day + timedelta(minutes=i), hours_to_pickup=_hours(tenths, rng))
    for i, tenths in enumerate([5, 6, 7, w]):
        make_signal(HAVENKWARTIER, day + timedelta(minutes=i), hours_to_pickup=_hours(tenths, rng))
    rollups_rebuild(now=NOW)
    binnenstad = Neighbourhood.objects.get(code=BINNENSTAD).pk
    havenkwartier = Neighbourhood.objects.get(code=HAVENKWARTIER).pk
    answer = pickup_percentiles(Q(municipality_id=town.pk, organisation_id=0), date(2026, 3, 1), date(2026, 3, 31))
    assert answer[binnenstad] == (w - 1, w + 5)  # 5th of 10: the bucket's last tenth; 9th: inside the next
    assert answer[havenkwartier] == (6, w)  # 2nd of 4; 4th of 4: the first tenth of the next bucket
    assert answer[TOTAL_KEY] == (w - 1, w + 5)  # 7th and 13th of 14
    _assert_exact(town, [(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 3, 4), date(2026, 3, 4))])


def test_pickups_taken_away_again_leave_no_percentile(town: Municipality) -> None:
    """A year read as the year minus its last day: a neighbourhood whose only pickup fell on that day sums to
    zero in its bucket and gets no percentile; the others stay exact."""
    rng = random.Random(5)
    for i in range(12):
        make_signal(BINNENSTAD, datetime(2025, 3, 1 + i, 9, tzinfo=AMS), hours_to_pickup=_hours(3 * i, rng))
    make_signal(HAVENKWARTIER, datetime(2025, 12, 31, 9, tzinfo=AMS), hours_to_pickup=_hours(44, rng))
    rollups_rebuild(now=NOW)
    start, end = date(2025, 1, 1), date(2025, 12, 30)
    assert any(sign < 0 for *_term, sign in signed_terms(start, end))
    answer = pickup_percentiles(Q(municipality_id=town.pk, organisation_id=0), start, end)
    assert Neighbourhood.objects.get(code=HAVENKWARTIER).pk not in answer
    _assert_exact(town, [(start, end), (date(2025, 1, 1), date(2025, 12, 31))])


def test_the_pass_keeps_the_buckets_equal_to_a_rebuild(spread: Municipality) -> None:
    """Pickups that move a signal between buckets, a pickup undone, a moved neighbourhood, new signals: the
    bucket cells stay the sums of the fine cells, equal to a rebuild's, and the percentiles exact."""
    rollups_rebuild(now=NOW)
    rng = random.Random(61)
    signals = list(Signal.objects.filter(municipality=spread).order_by("id"))
    havenkwartier = Neighbourhood.objects.get(code=HAVENKWARTIER)
    for signal in rng.sample(signals, 25):
        choice = rng.randrange(3)
        if choice == 0:
            signal.picked_up_at = signal.received_at + timedelta(hours=_hours(rng.randrange(0, 400), rng))
        elif choice == 1:
            signal.picked_up_at = None
        else:
            signal.neighbourhood = havenkwartier
        signal.save()
        SignalEvent.objects.create(signal=signal, at=NOW, kind="assigned", actor_label="test", note="")
    _random_signals(random.Random(62), 10)
    rollups_update(NOW)
    _buckets_are_sums_of_fine_cells()
    kept = (set(PickupCell.objects.values_list()), set(PickupBucketCell.objects.values_list()))
    _assert_exact(spread, PERIODS)
    rollups_rebuild(now=NOW)
    rebuilt = (set(PickupCell.objects.values_list()), set(PickupBucketCell.objects.values_list()))
    assert {row[1:] for row in kept[0]} == {row[1:] for row in rebuilt[0]}  # all but the row id
    assert {row[1:] for row in kept[1]} == {row[1:] for row in rebuilt[1]}


@pytest.mark.django_db(transaction=True)
def test_migration_0006_fills_the_buckets_from_the_fine_cells(town: Municipality) -> None:
    """A database as 0005 left it, with fine cells: the migration gives each its bucket and sums the bucket
    cells from them, so the percentiles are exact without a rebuild (SQLite and PostgreSQL)."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    rng = random.Random(5)
    cells = {
        (hood, grain, start, rng.randrange(0, 300)): rng.randrange(1, 5)
        for hood in (0, 7, 8)
        for grain, start in (("d", date(2026, 3, 2)), ("d", date(2026, 3, 3)), ("m", date(2026, 2, 1)))
        for _ in range(30)
    }
    executor.migrate([("insight", "0005_signal_facts_and_unique_cell_keys")])
    try:
        with connection.cursor() as cursor:
            for (hood, grain, start, tenths), n in cells.items():
                cursor.execute(
                    "INSERT INTO insight_pickupcell (municipality_id, organisation_id, neighbourhood_id, grain, "
                    "period_start, tenths, n) VALUES (99, 0, %s, %s, %s, %s, %s)",
                    [hood, grain, start, tenths, n],
                )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    _buckets_are_sums_of_fine_cells()
    assert all(
        bucket == tenths // PICKUP_BUCKET_WIDTH for bucket, tenths in PickupCell.objects.values_list("bucket", "tenths")
    )
    per_hood: dict[int, list[int]] = defaultdict(list)
    for (hood, _grain, start, tenths), n in cells.items():
        if start >= date(2026, 2, 1) and start != date(2026, 3, 3):  # February's month row and 2 March
            per_hood[hood] += [tenths] * n
    everything = sorted(t for values in per_hood.values() for t in values)
    expected = {hood: (_disc(sorted(v), 5), _disc(sorted(v), 9)) for hood, v in per_hood.items()}
    expected[TOTAL_KEY] = (_disc(everything, 5), _disc(everything, 9))
    base = Q(municipality_id=99, organisation_id=0)
    assert pickup_percentiles(base, date(2026, 2, 1), date(2026, 3, 2)) == expected
