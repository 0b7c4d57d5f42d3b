"""The exact median and 90th percentile of the time to pickup, read from a two-level frequency table.

PickupCell counts pickups per tenth of an hour; PickupBucketCell the same per bucket of
PICKUP_BUCKET_WIDTH tenths, always the sum of its fine rows. A request first has the database sum the bucket
cells of the period (a few dozen buckets per neighbourhood, however many signals there are) over its signed
terms (insight/ranges.py: an edge that is most of a month is read as the month minus the days outside; a
frequency table subtracts exactly, like the counts) and find in which bucket each percentile falls and how many
pickups lie below it. It then reads the fine rows of only those (neighbourhood, bucket) pairs: each pair and period
range one tight range of the fine key (municipality, organisation, neighbourhood, bucket, grain,
period_start, tenths). Summing the whole fine table of a long period read some 110,000 rows at ten million
signals (docs/benchmarks.md, "Insight"); this reads at most PICKUP_BUCKET_WIDTH fine rows per pair and
period row.

The percentile is SQL's percentile_disc: the smallest value whose cumulative share reaches 0.5 (0.9).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db import connection
from django.db.models import Q

from waakvlam.insight.models import PickupBucketCell, PickupCell
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


TOTAL = -1  # the row of every neighbourhood together (selectors.TOTAL_KEY)


def _located(base: Q, terms: list[Term]) -> dict[int, tuple[int, list[tuple[int, int]]]]:
    """Per neighbourhood and (TOTAL) over them all: how many pickups the period holds, and for each share the
    bucket its percentile falls in with the pickups in the buckets below it.

    The database sums the period's bucket cells over the signed terms and finds the buckets with running
    sums: at ten million signals a long period sums some 40,000 bucket rows into ~8,000 (neighbourhood,
    bucket) sums, which Python walked one by one (~10 ms a period); now ~100 rows come back. A bucket whose
    rows were all taken away again (signed terms) sums to 0 and is left out, as a histogram would."""
    union, params = term_branches(PickupBucketCell, base, terms, ["neighbourhood_id", "bucket"], ["n"])
    shares = " UNION ALL ".join(f"SELECT {share} AS share" for share in SHARES)
    # The branches are the ORM's for the constant model and the given terms; every value is a parameter.
    sql = f"""
WITH b AS (SELECT neighbourhood_id AS hood, bucket, SUM(n) AS n FROM ({union}) t GROUP BY neighbourhood_id, bucket),
g AS (SELECT hood, bucket, n FROM b WHERE n <> 0
      UNION ALL SELECT {TOTAL}, bucket, SUM(n) FROM b GROUP BY bucket HAVING SUM(n) <> 0),
c AS (SELECT hood, bucket, n, SUM(n) OVER (PARTITION BY hood ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS cum,
        SUM(n) OVER (PARTITION BY hood) AS total FROM g)
SELECT hood, share, bucket, cum - n, total FROM c CROSS JOIN ({shares}) s
WHERE cum * 10 >= share * total AND (cum - n) * 10 < share * total
ORDER BY hood, share, bucket"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    located: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    for hood, share, bucket, below, total in rows:
        _n, places = located.setdefault(hood, (int(total), []))
        if len(places) == SHARES.index(share):  # the first (lowest) bucket of each share, in share order
            places.append((bucket, int(below)))
    if any(len(places) != len(SHARES) for _n, places in located.values()):
        raise ValueError("the bucket cells hold a negative count")  # they are sums of pickups (facts.py)
    return located


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


def exact_percentiles(base: Q, terms: list[Term]) -> tuple[dict[int, Pair], Pair]:
    """The exact (median, 90th percentile) per neighbourhood and over them all over the signed terms: the
    buckets the percentiles fall in (_located), then the fine rows of only those buckets."""
    located = _located(base, terms)
    if TOTAL not in located:
        return {}, (None, None)
    total_buckets = {bucket for bucket, _below in located[TOTAL][1]}
    hoods = [hood for hood in located if hood != TOTAL]
    # A neighbourhood's own buckets, and the municipality's in every neighbourhood with pickups (one without
    # any in those buckets adds no fine rows).
    pairs = sorted(
        {(hood, bucket) for hood in hoods for bucket, _below in located[hood][1]}
        | {(hood, bucket) for hood in hoods for bucket in total_buckets}
    )
    fine: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # per (neighbourhood, bucket)
    total_fine: dict[int, Counter[int]] = defaultdict(Counter)  # per bucket, over every neighbourhood
    for hood, bucket, tenths, n in _fine_rows(base, terms, pairs):
        fine[(hood, bucket)][tenths] += n
        total_fine[bucket][tenths] += n
    fine.update({(TOTAL, bucket): histogram for bucket, histogram in total_fine.items()})
    answers: dict[int, Pair] = {}
    for hood, (n, places) in located.items():
        median, p90 = (
            _finished(fine[(hood, bucket)], below, n, share)
            for (bucket, below), share in zip(places, SHARES, strict=True)
        )
        answers[hood] = (median, p90)
    total = answers.pop(TOTAL)
    return answers, total
