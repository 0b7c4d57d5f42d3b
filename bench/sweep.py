"""The follow-up sweep over 100,000 open, overdue signals: one pass, timed.

In a fresh database (SQLite, and PostgreSQL too when it is reachable) the demo town is loaded and N open
signals are inserted whose due time has passed — 70% never escalated, 20% at level 1, 10% at level 2 —
so one pass exercises every step of the chain (coordinator, municipality, "still stuck"). The worker's
follow-up sweep (every registered kind; the other kinds have nothing to do here) then runs once,
in-process, and is timed (after VACUUM ANALYZE / ANALYZE, as a database in use would be);
afterwards the "stuck signals" figure must be zero.
Target (issue 3): under 10 s for 100,000 signals. Writes bench/results/sweep.json.

    python -m bench sweep            # or: python bench/sweep.py [--signals N] [--database sqlite|postgres]

BENCH_SWEEP_PROFILE=/path/to/file.prof profiles the timed pass with cProfile (read it with pstats).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import time
from pathlib import Path

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import database_kinds, run_inner_on_fresh_database, write_result

SIGNALS = int(os.environ.get("BENCH_SWEEP_SIGNALS", "100000"))
TARGET_SECONDS = 10.0


def _inner(signals: int) -> dict[str, object]:
    """Runs in a child process whose DATABASE_URL points at the fresh database."""
    import random
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from django.db import connection

    from waakvlam.core.models import Neighbourhood, Team
    from waakvlam.demo.services import demo_load_town
    from waakvlam.followup.sweep import followup_sweep, pending_items
    from waakvlam.intake.models import Signal
    from waakvlam.notify.models import Notification
    from waakvlam.routing.followups import SIGNAL_PICKUP

    municipality = demo_load_town()
    now = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    rng = random.Random(7513)
    teams = list(Team.objects.filter(municipality=municipality))
    hoods = list(Neighbourhood.objects.filter(municipality=municipality))
    categories = ["nuisance", "neglect", "worrying_behaviour", "payment_arrears", "isolation", "discharge"]
    batch: list[Signal] = []
    started = time.perf_counter()
    for i in range(signals):
        due = now - timedelta(minutes=rng.randint(1, 5 * 24 * 60))
        roll = rng.random()
        batch.append(
            Signal(
                municipality=municipality,
                tracking_code=f"B{i:09d}",
                category=rng.choice(categories),
                urgency="high" if roll < 0.1 else "normal",
                description="Bench",
                neighbourhood=rng.choice(hoods),
                received_at=due - timedelta(days=2),
                updated_at=due - timedelta(days=2),
                source_kind="professional",
                owner_team=rng.choice(teams),
                due_at=due,
                escalation_level=0 if roll < 0.7 else 1 if roll < 0.9 else 2,
            )
        )
        if len(batch) == 5000:
            Signal.objects.bulk_create(batch)
            batch.clear()
    Signal.objects.bulk_create(batch)
    # A steady-state database, as autovacuum / a checkpoint leave it: statistics gathered, the bulk load
    # written out, so the timing below is the sweep's own work.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE intake_signal")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    setup_seconds = time.perf_counter() - started

    profile_to = os.environ.get("BENCH_SWEEP_PROFILE", "")
    profiler = cProfile.Profile() if profile_to else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    all_counts = followup_sweep(now)
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler is not None:
        # Where the pass's time goes, for docs/benchmarks.md (the timing then includes cProfile's overhead).
        profiler.dump_stats(profile_to)
    prefix = f"{SIGNAL_PICKUP.name}."
    counts = {name.removeprefix(prefix): n for name, n in all_counts.items() if name.startswith(prefix)}
    stuck_after = pending_items(SIGNAL_PICKUP, now).count()
    assert counts["escalated"] == signals, counts
    assert stuck_after == 0, stuck_after
    return {
        "database": connection.vendor,
        "signals": signals,
        "seconds": round(seconds, 2),
        "per_second": round(signals / seconds, 1),
        "counts": counts,
        "notifications_rows": Notification.objects.count(),
        "stuck_after_sweep": stuck_after,
        "setup_seconds": round(setup_seconds, 1),
        "under_target": seconds < TARGET_SECONDS,
    }


def run(kind: str, signals: int) -> dict[str, object]:
    return run_inner_on_fresh_database(kind, "bench.sweep", ["--signals", str(signals)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--signals", type=int, default=SIGNALS)
    parser.add_argument("--database", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.inner:
        print(json.dumps(_inner(args.signals)))
        return
    kinds = database_kinds(args.database)
    runs = {kind: run(kind, args.signals) for kind in kinds}
    first = runs[kinds[0]]
    write_result(
        "sweep",
        {
            "signals": first["signals"],
            "seconds": first["seconds"],
            "per_second": first["per_second"],
            "database": first["database"],
            "target_seconds": TARGET_SECONDS,
            "by_database": runs,
        },
    )


if __name__ == "__main__":
    main(sys.argv[1:])
