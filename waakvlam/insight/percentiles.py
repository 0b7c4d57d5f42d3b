"""The exact median and 90th percentile of the time to pickup, read from a two-level frequency table.

PickupCell counts pickups per tenth of an hour; PickupBucketCell the same per bucket of
PICKUP_BUCKET_WIDTH tenths, always the sum of its fine rows. A request first sums the bucket cells of the
period (a few dozen buckets per neighbourhood, however many signals there are), over its signed ranges
(insight/ranges.py: an edge that is most of a month is read as the month minus the days outside; a frequency
table subtracts exactly, like the counts). It finds in which bucket each percentile falls and how many pickups
lie below it, and then reads the fine rows of only those (neighbourhood, bucket) pairs: each pair and period
range one tight range of the fine key (municipality, organisation, neighbourhood, bucket, grain,
period_start, tenths). Summing the whole fine table of a long period read some 110,000 rows at ten million
signals (docs/benchmarks.md, "Insight"); this reads at most PICKUP_BUCKET_WIDTH fine rows per pair and
period row.

The percentile is SQL's percentile_disc: the smallest value whose cumulative share reaches 0.5 (0.9).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q

from waakvlam.insight.models import PickupCell
from waakvlam.insight.ranges import Term, term_branches

BUCKET_KEY = ("municipality_id", "organisation_id", "grain", "period_start", "neighbourhood_id", "bucket")
SHARES = (5, 9)  # tenths: the median and the 90th percentile
Pair = tuple[int | None, int | None]  # (median, 90th percentile) in tenths of an hour; None: no pickups


def bucket_deltas(pickup_deltas: dict[tuple[Any, ...], list[int]]) -> dict[tuple[Any, ...], list[int]]:
    """The bucket cells' differences from the fine cells' (keys in facts.PICKUP_KEY order: municipality,
    organisation, neighbourhood, bucket, grain, period start, tenths), so both tables move together."""
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0])
    for (muni, org, hood, bucket, grain, start, _tenths), (n,) in pickup_deltas.items():
        sums[(muni, org, grain, start, hood, bucket)][0] += n
    return sums


def _located(histogram: Counter[int], share_tenths: int) -> tuple[int, int]:
    """The bucket the percentile falls in, and how many pickups lie in the buckets below it."""
    n = sum(histogram.values())
    below = 0
    for bucket in sorted(histogram):
        if (below + histogram[bucket]) * 10 >= share_tenths * n:
            return bucket, below
        below += histogram[bucket]
    raise ValueError("an empty histogram has no percentile")  # callers skip empty ones


def _finished(fine: Counter[int], below: int, n: int, share_tenths: int) -> int:
    """The exact percentile from the fine rows of its bucket and the count below that bucket."""
    cumulative = below
    for tenths in sorted(fine):
        cumulative += fine[tenths]
        if cumulative * 10 >= share_tenths * n:
            return tenths
    raise ValueError("the bucket cells do not match the fine cells")  # they are kept equal (facts.py)


def _fine_rows(base: Q, terms: list[Term], pairs: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(neighbourhood, bucket, tenths, n) of the given (neighbourhood, bucket) pairs over the period, in one
    statement; terms are signed (insight/ranges.py: a range taken away counts its n negative).

    PostgreSQL: the pairs as arrays, each pair a LATERAL of the period's ranges (UNION ALL), so each pair and
    range is one index range. SQLite (small installations, the tests): the same rows by a row-value IN."""
    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(PickupCell._meta.db_table)
    # PostgreSQL: each branch correlated with the pair of the LATERAL's outer row.
    correlated = f" AND {table}.neighbourhood_id = p.hood AND {table}.bucket = p.bucket" if postgres else ""
    keys = ["neighbourhood_id", "bucket", "tenths"]
    union, params = term_branches(PickupCell, base, terms, keys, ["n"], correlated)
    # The branches are the ORM's for the constant model and the given terms; every value is a parameter.
    if postgres:
        sql = (
            "SELECT c.neighbourhood_id, c.bucket, c.tenths, SUM(c.n) "  # noqa: S608
            f"FROM unnest(%s::int[], %s::int[]) AS p(hood, bucket) CROSS JOIN LATERAL ({union}) c GROUP BY 1, 2, 3"
        )
        params = [[h for h, _b in pairs], [b for _h, b in pairs], *params]
    else:
        wanted = ", ".join(["(%s, %s)"] * len(pairs))
        sql = (
            f"SELECT neighbourhood_id, bucket, tenths, SUM(n) FROM ({union}) c "  # noqa: S608
            f"WHERE (neighbourhood_id, bucket) IN (VALUES {wanted}) GROUP BY 1, 2, 3"
        )
        params = [*params, *[v for pair in pairs for v in pair]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def exact_percentiles(
    base: Q, terms: list[Term], bucket_rows: Iterable[tuple[int, int, int]]
) -> tuple[dict[int, Pair], Pair]:
    """The exact (median, 90th percentile) per neighbourhood and over them all, from the period's summed
    bucket cells (neighbourhood, bucket, n) over the signed terms, and the fine rows of the buckets the
    percentiles fall in."""
    buckets: dict[int, Counter[int]] = defaultdict(Counter)
    everything: Counter[int] = Counter()
    for hood, bucket, n in bucket_rows:
        if not n:  # a bucket whose rows were all taken away again (signed ranges)
            continue
        buckets[hood][bucket] += n
        everything[bucket] += n
    if not everything:
        return {}, (None, None)
    located = {hood: [_located(h, share) for share in SHARES] for hood, h in buckets.items()}
    total_located = [_located(everything, share) for share in SHARES]
    total_buckets = {bucket for bucket, _below in total_located}
    # A neighbourhood's own buckets, and the municipality's in every neighbourhood that has pickups there.
    pairs = sorted(
        {(hood, bucket) for hood, places in located.items() for bucket, _below in places}
        | {(hood, bucket) for hood, h in buckets.items() for bucket in total_buckets if h[bucket]}
    )
    fine: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # per (neighbourhood, bucket)
    total_fine: dict[int, Counter[int]] = defaultdict(Counter)  # per bucket, over every neighbourhood
    for hood, bucket, tenths, n in _fine_rows(base, terms, pairs):
        fine[(hood, bucket)][tenths] += n
        total_fine[bucket][tenths] += n
    per_hood: dict[int, Pair] = {}
    for hood, places in located.items():
        n = sum(buckets[hood].values())
        median, p90 = (
            _finished(fine[(hood, bucket)], below, n, s) for (bucket, below), s in zip(places, SHARES, strict=True)
        )
        per_hood[hood] = (median, p90)
    n = sum(everything.values())
    median, p90 = (
        _finished(total_fine[bucket], below, n, s) for (bucket, below), s in zip(total_located, SHARES, strict=True)
    )
    return per_hood, (median, p90)
