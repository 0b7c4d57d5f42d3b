"""Where the worker's insight pass spends its time: a day's new signals and as many pickups, then
`rollups_update`, per step and per statement, repeated.

Against an already generated and migrated bench database (bench/insight.py --keep NAME), in this process:

    DATABASE_URL=postgres://…/NAME python bench/insight_pass.py --repeat 3 [--code DIR] [--label before]

`--code DIR` imports `waakvlam` from DIR (a `git archive` of another commit, say), so the code before and
after a change can be timed on the same database in the same run. Each repetition adds a day's signals
(`bench.insight_data.a_days_signals`, committed), then times one pass; the JSON (last line) holds every
repetition's step times, the median per step, the heaviest statements and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Steps of the pass: (module, function). Wrapped where the pass looks them up (the module's globals), so
# the same names work for the code before and after a change; a name a version lacks is skipped.
STEPS = (
    ("waakvlam.insight.rollups", "id_feed_read"),
    ("waakvlam.insight.rollups", "signal_facts_apply"),
    ("waakvlam.insight.rollups", "signal_facts_apply_sql"),
    ("waakvlam.insight.facts", "_signal_rows"),
    ("waakvlam.insight.facts", "_upsert"),
    ("waakvlam.insight.rollups", "spells_recompute"),
    ("waakvlam.insight.rollups", "casework_changed_days"),
    ("waakvlam.insight.rollups", "rollups_recompute_days"),
    ("waakvlam.insight.rollups", "_care_day_cells"),
    ("waakvlam.insight.rollups", "_months_from_days"),
    ("waakvlam.insight.rollups", "care_days_write"),
    ("waakvlam.insight.rollups", "state_refresh"),
)


class Clock:
    """Inclusive time per step, and every statement's time under the innermost step it ran in."""

    def __init__(self, explain: str | None = None) -> None:
        self.explain = re.compile(explain) if explain else None
        self.plans: list[dict[str, Any]] = []
        self.stack: list[str] = ["rollups_update"]
        self.steps: dict[str, float] = defaultdict(float)
        self.statements: dict[tuple[str, str], list[float]] = defaultdict(list)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(name)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.steps[name] += time.perf_counter() - started
                self.stack.pop()

        return timed

    def execute(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.explain and not many and self.explain.search(str(sql)):
            self._explain(context["connection"].connection.cursor(), str(sql), params)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"\(%s(, %s)*\)(, \(%s(, %s)*\))*", "(…)", " ".join(str(sql).split()))[:150]
            self.statements[(self.stack[-1], shape)].append(time.perf_counter() - started)

    def _explain(self, cursor: Any, sql: str, params: Any) -> None:
        """EXPLAIN (ANALYZE, BUFFERS, WAL) in a savepoint rolled back, before the statement runs for real."""
        cursor.execute("SAVEPOINT insight_pass_explain")
        try:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT insight_pass_explain")
        self.plans.append({"step": self.stack[-1], "sql": " ".join(sql.split())[:300], "plan": plan})


def _database_counters() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT blks_hit + blks_read, blks_read, tup_inserted, tup_updated, tup_deleted, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    names = ("buffers", "buffers_read", "rows_inserted", "rows_updated", "rows_deleted", "wal_bytes")
    return dict(zip(names, (int(v) for v in row), strict=True))


@contextmanager
def instrumented(clock: Clock) -> Iterator[None]:
    import importlib

    from django.db import connection

    saved = []
    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        if hasattr(module, name):
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, clock.wrap(name, getattr(module, name)))
    try:
        with connection.execute_wrapper(clock.execute):
            yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", help="import waakvlam from this directory")
    parser.add_argument("--label", default="")
    parser.add_argument("--explain", help="EXPLAIN (ANALYZE, BUFFERS, WAL) statements matching this regex")
    parser.add_argument("--append", help="also append this run's JSON to the list in this file (bench/results/…)")
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="CHECKPOINT before each pass (needs a superuser): every pass is then the first write of its pages "
        "since a checkpoint, as a pass every few minutes mostly is, and writes them whole into the WAL",
    )
    parser.add_argument("--top", type=int, default=12, help="heaviest statements to report")
    parser.add_argument(
        "--io-timing",
        action="store_true",
        help="SET track_io_timing = on (needs a superuser): the plans of --explain then say how long reads took",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if args.code:
        sys.path.insert(0, args.code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    import django

    django.setup()
    from django.db import connection

    import waakvlam
    from bench.insight_data import a_days_signals
    from bench.insight_reuse import reused_now
    from waakvlam.insight import rollups

    with connection.cursor() as cursor:
        if args.io_timing:
            cursor.execute("SET track_io_timing = on")
        now = reused_now(cursor)
        cursor.execute("SELECT count(*) FROM intake_signal")
        day = max(1, cursor.fetchone()[0] // 730)
    started = time.perf_counter()
    rollups.rollups_update(now)  # whatever was pending (a migration's rebuild, say): not timed as a day's pass
    print(f"[insight pass] catch-up pass {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    runs: list[dict[str, Any]] = []
    for i in range(args.repeat):
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM intake_signal")
            a_days_signals(cursor, first=cursor.fetchone()[0] + 1, count=day)
            if args.checkpoint:
                cursor.execute("CHECKPOINT")
        clock = Clock(args.explain)
        load = os.getloadavg()[0]
        before = _database_counters()
        with instrumented(clock):
            started = time.perf_counter()
            result = rollups.rollups_update(now)
            total = time.perf_counter() - started
        after = _database_counters()
        heaviest = sorted(clock.statements.items(), key=lambda kv: -sum(kv[1]))[: args.top]
        run: dict[str, Any] = {
            "seconds": round(total, 3),
            "load_average": round(load, 2),
            "steps": {k: round(v, 3) for k, v in sorted(clock.steps.items(), key=lambda kv: -kv[1])},
            "result": result,
            # Load-independent: what the pass read and wrote in the database (this process's statements only,
            # on a database nobody else uses), and the WAL it wrote.
            "database": {k: after[k] - before[k] for k in before},
            "statements": [
                {"step": step, "sql": sql, "n": len(times), "seconds": round(sum(times), 3)}
                for (step, sql), times in heaviest
            ],
        }
        runs.append(run)
        print(f"[insight pass] run {i + 1}: {total:.2f} s at load {load:.2f}: {run['steps']}", file=sys.stderr)
        print(f"    database: {run['database']}", file=sys.stderr)
        for plan in clock.plans:
            print(f"--- [{plan['step']}] {plan['sql'][:200]}\n{plan['plan']}", file=sys.stderr)
        for s in run["statements"]:
            print(f"    {s['seconds']:8.3f} s {s['n']:5d}x [{s['step']}] {s['sql'][:110]}", file=sys.stderr)
    steps = sorted({k for r in runs for k in r["steps"]})
    summary = {
        "label": args.label,
        "code": str(Path(waakvlam.__file__).parent),
        "day_signals": day,
        "pass_seconds": [r["seconds"] for r in runs],
        "pass_median_seconds": round(statistics.median(r["seconds"] for r in runs), 3),
        "step_median_seconds": {k: round(statistics.median(r["steps"].get(k, 0.0) for r in runs), 3) for k in steps},
        "runs": runs,
    }
    print(json.dumps(summary))
    if args.append:
        path = Path(args.append)
        earlier = json.loads(path.read_text())["passes"] if path.exists() else []
        measured = {"benchmark": "insight_pass", "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        path.write_text(json.dumps({**measured, "passes": [*earlier, summary]}, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
