"""Neighbourhood insight at national scale, side by side with DuckDB on the raw rows.

On a fresh PostgreSQL database: 10 million signals, 1 million households and 2 million contact moments
(times --scale) over 20 municipalities of 50 neighbourhoods, written with INSERT … SELECT generate_series
(bench/insight_data.py). Then:
1. `waakvlam insight-rebuild`'s work (rollups_rebuild), timed;
2. a day's new signals and as many pickups, then the worker's incremental pass, timed (target < 10 s);
3. p95 of every insight page and API call over random periods (target 300 ms): GET /api/v1/insight/neighbourhoods
   as JSON and CSV, the /inzicht/ page (plain, sorted, coloured by each figure), its CSV, the open-data CSV,
   the municipality's start page and a partner's view (bench/insight_read.py's list);
4. the raw rows exported to Parquet, and DuckDB answering the same questions from them: every figure per
   neighbourhood (counts, breakdowns, the exact median and 90th percentile) must be identical to what
   Waakvlam's rollups give, or the run fails loudly; DuckDB's time per question is recorded beside ours.

    python -m bench insight                    # full size
    python bench/insight.py --scale 0.01       # a quick run while developing
    python bench/insight.py --keep wk_ins10m   # generate into database wk_ins10m and keep it
    python bench/insight.py --reuse wk_ins10m  # only the timed part, against that database (a quiet machine)
    python bench/insight.py --reuse wk_ins10m --no-rebuild  # the same on the rollups the passes kept
    python bench/insight.py --reuse wk_ins10m --no-rebuild --no-day --output insight_reads  # reads and DuckDB only

The referral, case-conference, task and area-alarm figures are generated too (bench/insight_casework.py)
and compared with DuckDB like the rest.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import run_inner_on_fresh_database, write_result
from bench.insight_casework import EXPORTS, duck_casework
from bench.insight_read import KINDS, summary_of, timed_requests
from bench.insight_reuse import casework_sizes, on_named_database, reused_now, sizes_of

MUNICIPALITIES = 20
SIGNALS, HOUSEHOLDS, MOMENTS, HANDOVERS = 10_000_000, 1_000_000, 2_000_000, 40_000
TARGET_P95_MS = 300.0
TARGET_UPDATE_S = 10.0
PERIODS = 60
# Timed here: every insight page and API call; the regie's stuck page (followup) is timed by bench/insight_read.py.
READ_KINDS = tuple(k for k in KINDS if k != "stuck_page")


def _say(text: str) -> None:
    print(f"[insight bench] {text}", file=sys.stderr, flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)


def _periods(rng: random.Random, today: date, count: int) -> list[tuple[date, date]]:
    periods = []
    for _ in range(count):
        length = rng.choice([1, 7, 30, 31, 90, 182, 365, 500])
        end = today - timedelta(days=rng.randrange(0, 700 - min(length, 600)))
        periods.append((max(today - timedelta(days=729), end - timedelta(days=length - 1)), end))
    return periods


def _export(cursor: Any, directory: Path) -> float:
    """The raw rows DuckDB reads: COPY to CSV from PostgreSQL, then DuckDB writes Parquet."""
    import duckdb

    queries = {
        "signals": "SELECT municipality_id, neighbourhood_id, reporter_organisation_id, category, source_kind, "
        "outcome, status, received_at, picked_up_at, due_at, escalation_level FROM intake_signal",
        "moments": "SELECT municipality_id, plan_id, happened_on, made FROM contact_contactmoment",
        "plans": "SELECT id, municipality_id, organisation_id, resident_id, starts_on, closed_at, status, "
        "next_contact_due FROM contact_contactplan",
        "residents": "SELECT id, household_id FROM households_resident",
        "households": "SELECT id, neighbourhood_id FROM households_household",
        "handovers": "SELECT municipality_id, from_organisation_id, household_id, discharge_on, first_contact_on, "
        "first_contact_due FROM handover_handover",
        **EXPORTS,
    }
    started = time.perf_counter()
    db = duckdb.connect()
    for name, query in queries.items():
        csv_path = directory / f"{name}.csv"
        with csv_path.open("wb") as out, cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for chunk in copy:
                out.write(chunk)
        db.execute(
            f"COPY (SELECT * FROM read_csv_auto('{csv_path}', header=true)) TO '{directory / name}.parquet' "
            "(FORMAT parquet)"
        )
        csv_path.unlink()
    return time.perf_counter() - started


DUCK_SIGNALS = """
SELECT coalesce(neighbourhood_id, 0) AS hood, count(*) AS signals_in, count(picked_up_at) AS picked_up,
  count(*) FILTER (WHERE picked_up_at IS NOT NULL AND escalation_level = 0 AND picked_up_at <= due_at)
    AS picked_up_in_time,
  count(*) FILTER (WHERE escalation_level > 0) AS escalated, count(*) FILTER (WHERE status = 'closed') AS closed
FROM s GROUP BY 1"""
DUCK_BREAKDOWN = "SELECT coalesce(neighbourhood_id, 0), {col}, count(*) FROM s {where} GROUP BY 1, 2"
# percentile_disc spelled out: the first value whose cumulative share reaches the fraction. Elapsed time as
# the difference of epochs: DuckDB subtracts two TIMESTAMPTZ values on the local calendar, so a pickup
# across a DST change came out an hour off (found at scale 0.1; PostgreSQL's percentile_disc agrees with ours).
DUCK_PERCENTILES = """
WITH t AS (SELECT coalesce(neighbourhood_id, 0) AS hood,
             floor((epoch(picked_up_at) - epoch(received_at)) / 360)::BIGINT AS tenths
           FROM s WHERE picked_up_at IS NOT NULL),
     r AS (SELECT hood, tenths, row_number() OVER (PARTITION BY hood ORDER BY tenths) AS rn,
             count(*) OVER (PARTITION BY hood) AS n FROM t),
     a AS (SELECT tenths, row_number() OVER (ORDER BY tenths) AS rn, count(*) OVER () AS n FROM t)
SELECT hood, min(tenths) FILTER (WHERE rn * 10 >= 5 * n), min(tenths) FILTER (WHERE rn * 10 >= 9 * n) FROM r GROUP BY 1
UNION ALL
SELECT -1, min(tenths) FILTER (WHERE rn * 10 >= 5 * n), min(tenths) FILTER (WHERE rn * 10 >= 9 * n) FROM a"""
DUCK_CARE = """
WITH p AS (SELECT p.*, coalesce(h.neighbourhood_id, 0) AS hood FROM plans p
             JOIN residents r ON r.id = p.resident_id JOIN households h ON h.id = r.household_id
           WHERE p.municipality_id = $m)
SELECT 'contacts', p.hood, count(*) FILTER (WHERE made), count(*) FILTER (WHERE NOT made)
  FROM moments mo JOIN p ON p.id = mo.plan_id WHERE mo.happened_on BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'started', hood, count(*), 0 FROM p WHERE starts_on BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'ended', hood, count(*), 0 FROM p WHERE closed_at IS NOT NULL
  AND CAST(timezone('Europe/Amsterdam', closed_at) AS DATE) BETWEEN $a AND $b GROUP BY 2
UNION ALL
SELECT 'running', hood, count(*) FILTER (WHERE starts_on <= $b)
  - count(*) FILTER (WHERE closed_at IS NOT NULL AND CAST(timezone('Europe/Amsterdam', closed_at) AS DATE) <= $b), 0
  FROM p GROUP BY 2
UNION ALL
SELECT 'overdue', hood, count(*), 0 FROM p WHERE status = 'active' AND next_contact_due < $today GROUP BY 2
UNION ALL
SELECT 'handovers', coalesce(h.neighbourhood_id, 0), count(*),
  count(*) FILTER (WHERE first_contact_on IS NOT NULL AND first_contact_on <= first_contact_due)
  FROM handovers ho JOIN households h ON h.id = ho.household_id
  WHERE ho.municipality_id = $m AND discharge_on BETWEEN $a AND $b GROUP BY 2"""


def _duck_answer(db: Any, municipality: int, start: date, end: date, now: datetime) -> dict[str, Any]:
    from waakvlam.insight.timing import day_start

    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    db.execute(
        f"CREATE OR REPLACE TEMP VIEW s AS SELECT * FROM signals_all WHERE municipality_id = {int(municipality)} "
        f"AND received_at >= TIMESTAMPTZ '{lo.isoformat()}' AND received_at < TIMESTAMPTZ '{hi.isoformat()}'"
    )
    counts: dict[int, Counter[str]] = {}
    names = ("signals_in", "picked_up", "picked_up_in_time", "escalated", "closed")
    for hood, *values in db.execute(DUCK_SIGNALS).fetchall():
        counts.setdefault(hood, Counter()).update(dict(zip(names, values, strict=True)))
    breakdowns: dict[str, dict[int, Counter[str]]] = {}
    for dim, col, where in (
        ("category", "category", ""),
        ("source", "source_kind", ""),
        ("outcome", "outcome", "WHERE status = 'closed' AND outcome <> ''"),
    ):
        per: dict[int, Counter[str]] = {}
        for hood, key, n in db.execute(DUCK_BREAKDOWN.format(col=col, where=where)).fetchall():
            per.setdefault(hood, Counter())[key] += n
        breakdowns[dim] = per
    percentiles = {hood: (med, p90) for hood, med, p90 in db.execute(DUCK_PERCENTILES).fetchall()}
    care_names = {
        "contacts": ("contacts_made", "contacts_attempted"),
        "started": ("plans_started", None),
        "ended": ("plans_ended", None),
        "running": ("plans_running", None),
        "overdue": ("plans_overdue", None),
        "handovers": ("handovers", "handovers_first_contact_in_time"),
    }
    for kind, hood, a, b in db.execute(
        DUCK_CARE, {"m": municipality, "a": start, "b": end, "today": now.date()}
    ).fetchall():
        first, second = care_names[kind]
        counts.setdefault(hood, Counter())[first] += a
        if second:
            counts[hood][second] += b
    stuck = db.execute(
        "SELECT coalesce(neighbourhood_id, 0), count(*) FROM signals_all WHERE municipality_id = $m "
        "AND status <> 'closed' AND picked_up_at IS NULL AND due_at < $now GROUP BY 1",
        {"m": municipality, "now": now},
    ).fetchall()
    for hood, n in stuck:
        counts.setdefault(hood, Counter())["stuck"] += n
    duck_casework(db, municipality, start, end, counts)
    return {"counts": counts, "breakdowns": breakdowns, "percentiles": percentiles}


def _ours(scope: Any, start: date, end: date, now: datetime) -> dict[str, Any]:
    from waakvlam.insight.selectors import raw_figures

    raw = raw_figures(scope, start, end, now)
    return {"counts": raw.counts, "breakdowns": raw.breakdowns, "percentiles": raw.percentiles}


def _clean(per: dict[int, Counter[str]]) -> dict[int, dict[str, int]]:
    return {h: {k: v for k, v in c.items() if v} for h, c in per.items() if any(c.values())}


def _compare(ours: dict[str, Any], theirs: dict[str, Any], label: str) -> int:
    """Every figure identical, or raise with the first differences."""
    problems = []
    if _clean(ours["counts"]) != _clean(theirs["counts"]):
        a, b = _clean(ours["counts"]), _clean(theirs["counts"])
        for hood in sorted(set(a) | set(b)):
            if a.get(hood) != b.get(hood):
                problems.append(f"counts hood {hood}: waakvlam {a.get(hood)} duckdb {b.get(hood)}")
    for dim in ("category", "source", "outcome"):
        if _clean(ours["breakdowns"][dim]) != _clean(theirs["breakdowns"][dim]):
            problems.append(f"{dim} breakdown differs")
    theirs_p = {h: v for h, v in theirs["percentiles"].items() if v != (None, None)}
    if ours["percentiles"] != theirs_p and not (ours["percentiles"] == {-1: (None, None)} and not theirs_p):
        problems.append(f"percentiles differ: {ours['percentiles']} vs {theirs_p}"[:800])
    if problems:
        raise AssertionError(f"Waakvlam and DuckDB disagree for {label}:\n" + "\n".join(problems[:10]))
    return sum(sum(c.values()) for c in ours["counts"].values())


def _inner(scale: float, periods: int, reuse: bool = False, rebuild: bool = True, day: bool = True) -> dict[str, Any]:
    """day: add a day's signals and pickups and time the worker's pass (else only the reads and DuckDB's
    comparison, on the database as it is: nothing is written to it but the bench's partner user)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from django.db import connection

    from bench import insight_data
    from bench.insight_casework import generate_casework
    from bench.insight_data import a_days_signals, generate, reference_data
    from waakvlam.core.models import User
    from waakvlam.insight.rollups import rollups_rebuild, rollups_update

    NOW = insight_data.NOW
    from waakvlam.insight.selectors import Scope

    sizes = {
        "signals": max(1000, int(SIGNALS * scale)),
        "households": max(100, int(HOUSEHOLDS * scale)),
        "contact_moments": max(100, int(MOMENTS * scale)),
        "handovers": max(20, int(HANDOVERS * scale)),
    }
    generate_s = None
    if reuse:
        with connection.cursor() as cursor:
            NOW = reused_now(cursor)
            sizes = sizes_of(cursor)
        regie: Any = User.objects.get(username="bench-regie")
        _say(f"reusing {sizes} of {NOW:%Y-%m-%d %H:%M}")
    else:
        started = time.perf_counter()
        ref = reference_data(MUNICIPALITIES)
        regie = ref["regie"]
        with connection.cursor() as cursor:
            generate(
                cursor,
                signals=sizes["signals"],
                households=sizes["households"],
                moments=sizes["contact_moments"],
                handovers=sizes["handovers"],
                hoods=ref["hoods"],
            )
            cursor.execute("CREATE TABLE bench_meta (now timestamptz, scale float8)")
            cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", [NOW, scale])
        generate_s = time.perf_counter() - started
        _say(f"generated {sizes} in {generate_s:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM socialmap_referral")
        if cursor.fetchone()[0] == 0:  # a database generated before the casework figures
            started = time.perf_counter()
            casework = generate_casework(
                cursor,
                referrals=max(50, sizes["contact_moments"] // 10),
                conferences=max(20, sizes["households"] // 50),
                now=NOW,
            )
            casework_s = time.perf_counter() - started
            generate_s = (generate_s or 0) + casework_s
            _say(f"generated {casework} in {casework_s:.1f} s")
        sizes.update(casework_sizes(cursor))
    rebuild_s = None
    if rebuild:
        started = time.perf_counter()
        rollups_rebuild(now=NOW)
        rebuild_s = time.perf_counter() - started
        _say(f"rollups rebuilt in {rebuild_s:.1f} s")
    update_s, update_result, day_signals = None, {}, None
    if day:
        rollups_update(NOW)  # the worker's first pass after the rebuild (or since the last run): nothing new
        day_signals = max(1, sizes["signals"] // 730)
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM intake_signal")
            a_days_signals(cursor, first=cursor.fetchone()[0] + 1, count=day_signals)
        started = time.perf_counter()
        update_result = rollups_update(NOW)
        update_s = time.perf_counter() - started
        _say(f"a day's {day_signals} new signals and pickups brought in by the worker's pass in {update_s:.2f} s")

    load_before = os.getloadavg()  # the machine is shared: the load goes into the result beside the figures
    municipality = regie.organisation.municipality_id
    scope = Scope(municipality, 0)
    rng = random.Random(2026)
    chosen = _periods(rng, NOW.date(), periods)
    # Every insight page and API call, each once per period (60 samples each for the p95), in turn.
    timings, statements = timed_requests(regie, chosen, READ_KINDS, NOW)
    per_call = {kind: {**summary_of(values), "statements": statements[kind]} for kind, values in timings.items()}
    _say(", ".join(f"{kind} p95 {figures['p95_ms']} ms" for kind, figures in per_call.items()))
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        with connection.cursor() as cursor:
            export_s = _export(cursor.connection.cursor(), Path(tmp))
        db = duckdb.connect()
        db.execute("SET TimeZone = 'Europe/Amsterdam'")
        for name in ("signals", "moments", "plans", "residents", "households", "handovers", *EXPORTS):
            view = "signals_all" if name == "signals" else name
            db.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{Path(tmp) / name}.parquet')")
        duck_ms, ours_ms, figures_compared = [], [], 0
        for start, end in chosen:
            t = time.perf_counter()
            theirs = _duck_answer(db, municipality, start, end, NOW)
            duck_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ours = _ours(scope, start, end, NOW)
            ours_ms.append((time.perf_counter() - t) * 1000)
            figures_compared += _compare(ours, theirs, f"{start}..{end}")
    return {
        "database": connection.vendor,
        "scale": scale,
        "sizes": sizes,
        "municipalities": MUNICIPALITIES,
        "neighbourhoods_per_municipality": 50,
        "generate_seconds": None if generate_s is None else round(generate_s, 1),
        "reused_database": reuse,
        "rebuild_seconds": None if rebuild_s is None else round(rebuild_s, 1),
        "day_new_signals": day_signals,
        "day_pickups": day_signals,
        "incremental_update_seconds": None if update_s is None else round(update_s, 2),
        "incremental_days_recomputed": update_result.get("insight_days_recomputed"),
        "incremental_signals_changed": update_result.get("insight_signals_changed"),
        "incremental_signal_cells_changed": update_result.get("insight_signal_cells_changed"),
        "periods": len(chosen),
        "api_json_p95_ms": per_call["api"]["p95_ms"],
        "api_json_median_ms": per_call["api"]["median_ms"],
        "api_csv_p95_ms": per_call["csv"]["p95_ms"],
        "page_p95_ms": per_call["page"]["p95_ms"],
        "page_median_ms": per_call["page"]["median_ms"],
        "per_call": per_call,
        "waakvlam_raw_figures_p95_ms": _p95(ours_ms),
        "duckdb_p95_ms": _p95(duck_ms),
        "duckdb_median_ms": round(statistics.median(duck_ms), 2),
        "parquet_export_seconds": round(export_s, 1),
        "figures_identical": True,
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "counted_values_compared": figures_compared,
        "under_target": all(f["p95_ms"] < TARGET_P95_MS for f in per_call.values())
        and (update_s is None or update_s < TARGET_UPDATE_S),
        "at_least_as_fast_as_duckdb": per_call["api"]["p95_ms"] <= _p95(duck_ms),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--periods", type=int, default=PERIODS)
    parser.add_argument("--reuse", metavar="NAME", help="time against this already generated database")
    parser.add_argument("--keep", metavar="NAME", help="generate into this (new) database and keep it")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--inner-reuse", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="with --reuse: keep the rollups the worker's passes kept (so DuckDB checks those), no rebuild",
    )
    parser.add_argument(
        "--no-day",
        action="store_true",
        help="with --reuse --no-rebuild: no day's signals and no pass; only the reads and DuckDB's comparison",
    )
    parser.add_argument("--output", default="insight", help="the result's name in bench/results/")
    args = parser.parse_args(argv if argv is not None else [])
    if args.inner:
        answer = _inner(
            args.scale, args.periods, reuse=args.inner_reuse, rebuild=not args.no_rebuild, day=not args.no_day
        )
        print(json.dumps(answer))
        return
    inner = ["--scale", str(args.scale), "--periods", str(args.periods), *(["--no-rebuild"] if args.no_rebuild else [])]
    inner += ["--no-day"] if args.no_day else []
    if args.reuse:
        result = on_named_database(args.reuse, [*inner, "--inner-reuse"], migrate=True)
    elif args.keep:
        result = on_named_database(args.keep, inner, migrate=True)
    else:
        result = run_inner_on_fresh_database("postgres", "bench.insight", inner)
    result["target_p95_ms"] = TARGET_P95_MS
    result["target_update_seconds"] = TARGET_UPDATE_S
    write_result(args.output, result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
