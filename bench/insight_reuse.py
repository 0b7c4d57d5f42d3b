"""bench/insight.py against a named database: generate into it and keep it (`--keep NAME`), or run only the
timed part against one generated before (`--reuse NAME`), e.g. a 10-million-signal set timed later on a
quiet machine."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.harness import PG_ADMIN_URL, ROOT, bench_env, waakvlam


def reused_now(cursor: Any) -> datetime:
    """The moment the reused data was generated up to (bench_meta), or for a database from before bench_meta
    the hour after its newest signal. insight_data writes a day's signals relative to it."""
    from bench import insight_data

    cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
    if cursor.fetchone()[0]:
        cursor.execute("SELECT now FROM bench_meta")
        now = cursor.fetchone()[0]
    else:
        cursor.execute("SELECT date_trunc('hour', max(received_at)) + interval '1 hour' FROM intake_signal")
        now = cursor.fetchone()[0]
    now = now.astimezone(insight_data.AMS)
    insight_data.NOW = now
    return now  # type: ignore[no-any-return]


def sizes_of(cursor: Any) -> dict[str, int]:
    sizes = {}
    for name, table in (
        ("signals", "intake_signal"),
        ("households", "households_household"),
        ("contact_moments", "contact_contactmoment"),
        ("handovers", "handover_handover"),
    ):
        cursor.execute(f"SELECT count(*) FROM {table}")
        sizes[name] = cursor.fetchone()[0]
    return sizes


def casework_sizes(cursor: Any) -> dict[str, int]:
    sizes = {}
    for name, table in (("referrals", "socialmap_referral"), ("case_conferences", "cases_caseconference")):
        cursor.execute(f"SELECT count(*) FROM {table}")
        sizes[name] = cursor.fetchone()[0]
    return sizes


def on_named_database(name: str, args: list[str], *, migrate: bool) -> dict[str, Any]:
    """Run the inner part against the database `name` on the bench's PostgreSQL (created when missing)."""
    import psycopg

    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"{base}/{name}", Path(tmp))
        if migrate:
            waakvlam(["migrate", "-v0"], env)
        child = subprocess.run(
            [sys.executable, "-m", "bench.insight", "--inner", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode != 0:
        raise RuntimeError(f"bench.insight failed on {name}:\n{child.stderr[-4000:]}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))
