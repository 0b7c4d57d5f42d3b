"""The pickup percentiles of neighbourhood insight: the two-level frequency table against summing the whole
fine table, side by side in the same run, on a reused insight database (bench/insight.py --keep NAME, or a
copy of one). Every answer of the two must be identical, or the run fails.

    DATABASE_URL=postgres://…/wk_mine python bench/insight_pickup.py --migrate --widths 20,40,80

--migrate applies the pending migrations first (insight 0006 on a database from before it) and times them;
--widths rewrites the buckets at each width in turn (as a migration would), times the reads at each, and
leaves the database at the models' width. The same 60 periods as bench/insight.py (seed 2026).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from bench.harness import write_result  # noqa: E402
from bench.insight import PERIODS, _periods  # noqa: E402
from bench.insight_reuse import reused_now  # noqa: E402
from waakvlam.core.models import User  # noqa: E402
from waakvlam.insight import selectors  # noqa: E402
from waakvlam.insight.models import PICKUP_BUCKET_WIDTH, PickupCell  # noqa: E402
from waakvlam.insight.ranges import signed_sum, signed_terms  # noqa: E402
from waakvlam.insight.rebuild_sql import PICKUP_BUCKETS  # noqa: E402

Percentiles = dict[int, tuple[int | None, int | None]]


def whole_table(base: Q, start: date, end: date) -> Percentiles:
    """The read before the bucket cells (the baseline): every fine row of the period, summed per
    neighbourhood and tenth in the database, merged in Python."""
    rows = signed_sum(PickupCell, base, signed_terms(start, end), ["neighbourhood_id", "tenths"], ["n"])
    histograms: dict[int, Counter[int]] = defaultdict(Counter)
    for hood, tenths, n in rows:
        histograms[hood][tenths] += n
        histograms[selectors.TOTAL_KEY][tenths] += n
    return {hood: (selectors.percentile(h, 5), selectors.percentile(h, 9)) for hood, h in histograms.items()}


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "max_ms": round(ordered[-1], 2)}


def _timed(read: Callable[[Q, date, date], Percentiles], base: Q, start: date, end: date) -> tuple[Percentiles, float]:
    started = time.perf_counter()
    answer = read(base, start, end)
    return answer, (time.perf_counter() - started) * 1000


def compare(base: Q, periods: list[tuple[date, date]], rounds: int) -> dict[str, Any]:
    """Both reads over every period, alternating which goes first; identical answers or an AssertionError."""
    old_ms: list[float] = []
    new_ms: list[float] = []
    for start, end in periods[:3]:  # warm-up
        whole_table(base, start, end)
        selectors.pickup_percentiles(base, start, end)
    for r in range(rounds):
        for i, (start, end) in enumerate(periods):
            order = [(whole_table, old_ms), (selectors.pickup_percentiles, new_ms)]
            answers = []
            for read, times in order if (i + r) % 2 == 0 else order[::-1]:
                answer, ms = _timed(read, base, start, end)
                times.append(ms)
                answers.append(answer)
            assert answers[0] == answers[1], (start, end)
    old, new = _stats(old_ms), _stats(new_ms)
    return {
        "whole_fine_table": old,
        "two_level": new,
        "median_ratio_old_over_new": round(old["median_ms"] / new["median_ms"], 1),
        "p95_ratio_old_over_new": round(old["p95_ms"] / new["p95_ms"], 1),
        "answers_identical": len(periods) * rounds,
    }


@contextmanager
def _recorded() -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def _explained(sql: str, params: Any) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {sql}", params)
        text = [row[0] for row in cursor.fetchall()]
    top = plan[0]["Plan"]
    return {
        "execution_ms": round(plan[0]["Execution Time"], 2),
        "shared_hit": top.get("Shared Hit Blocks", 0),
        "shared_read": top.get("Shared Read Blocks", 0),
        "rows": top.get("Actual Rows", 0),
        "plan": text,
    }


def explain(base: Q, start: date, end: date) -> dict[str, Any]:
    """EXPLAIN ANALYZE BUFFERS of each statement of both reads for one period."""
    result: dict[str, Any] = {"period": [start.isoformat(), end.isoformat()]}
    for name, read in (("whole_fine_table", whole_table), ("two_level", selectors.pickup_percentiles)):
        with _recorded() as statements:
            read(base, start, end)
        result[name] = [_explained(sql, params) for sql, params in statements]
    return result


def rewrite_buckets(width: int) -> float:
    """The buckets at another width: the fine cells' bucket and the bucket cells, as a migration would."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE insight_pickupcell ALTER COLUMN bucket TYPE integer USING tenths / {int(width)}")
        cursor.execute("TRUNCATE insight_pickupbucketcell")
        cursor.execute(PICKUP_BUCKETS)
        cursor.execute("VACUUM ANALYZE insight_pickupcell")
        cursor.execute("VACUUM ANALYZE insight_pickupbucketcell")
    return round(time.perf_counter() - started, 1)


def _table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        sizes = {}
        for table in ("insight_pickupcell", "insight_pickupbucketcell"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cursor.fetchone()[0]
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--migrate", action="store_true", help="apply pending migrations first, timed")
    parser.add_argument("--widths", default="", help="bucket widths to compare, e.g. 20,40,80")
    parser.add_argument("--rounds", type=int, default=2, help="times each period is read by each method")
    parser.add_argument("--name", default="insight_pickup", help="bench/results/NAME.json")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "a reused PostgreSQL insight database (DATABASE_URL)"
    result: dict[str, Any] = {"database": connection.settings_dict["NAME"], "load_before": os.getloadavg()}
    if args.migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        result["migrate_s"] = round(time.perf_counter() - started, 1)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        now = reused_now(cursor)
        cursor.execute("SELECT count(*) FROM intake_signal")
        result["signals"] = cursor.fetchone()[0]
    regie = User.objects.get(username="bench-regie")
    assert regie.organisation is not None
    base = Q(municipality_id=regie.organisation.municipality_id, organisation_id=0)
    periods = _periods(random.Random(2026), now.date(), PERIODS)
    result["tables"] = _table_rows()
    widths = [int(w) for w in args.widths.split(",") if w]
    if widths:
        result["widths"] = {}
        for width in widths:
            rewrite_s = rewrite_buckets(width)
            result["widths"][width] = {"rewrite_s": rewrite_s, **_table_rows(), **compare(base, periods, 1)}
            print(f"width {width}: {result['widths'][width]}", file=sys.stderr, flush=True)
        rewrite_buckets(PICKUP_BUCKET_WIDTH)
    result["bucket_width"] = PICKUP_BUCKET_WIDTH
    result["periods"] = len(periods)
    result["compare"] = compare(base, periods, args.rounds)
    longest = max(periods, key=lambda p: (p[1] - p[0]).days)
    result["explain_longest_period"] = explain(base, *longest)
    result["load_after"] = os.getloadavg()
    write_result(args.name, result)


if __name__ == "__main__":
    main()
