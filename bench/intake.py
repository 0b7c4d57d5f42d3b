"""Intake throughput: POST /api/v1/signals against the production server on PostgreSQL.

16 concurrent clients for 30 s each against (a) GET /healthz — the ceiling: the same server, the same
client, no work — and (b) POST /api/v1/signals with a fresh Idempotency-Key per request. The ratio of
(b) to (a) is the figure to watch; absolute numbers depend on the machine. Target (issue 3): at least
40% of the ceiling and p99 under 100 ms on 2 cores.

A third run, (c), sends the same POST with an urgency that does not exist: the server authenticates the
key, parses and validates the body and answers 422 without touching the signal tables. That is the part
of (b) that no storage design can remove, so (c)'s ratio to (a) is an upper bound for (b)'s.

A fourth run, (d), is an authenticated API call that does no work (`GET /api/v1/categories` with the
same key): the ceiling that ADR 0007's option 3 proposes instead of (a). Its ratio is reported beside the
issue's, never instead of it.

Each run records where the CPU went, in ms per request: the server's processes, PostgreSQL's, and this
load generator's, and the share of the machine that was busy or taken by the hypervisor (steal). On two
cores shared by all three, those figures say how far a ratio can move at all.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.harness import (
    RequestFactory,
    Served,
    bench_env,
    cpu_measured,
    drive,
    fresh_database,
    postgres_available,
    running_server,
    waakvlam,
    write_result,
)
from waakvlam.core.server import DEFAULT_THREADS, default_workers

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CATEGORIES = ["nuisance", "neglect", "worrying_behaviour", "isolation", "relapse_signs", "other"]


def signal_body(client: int, sequence: int) -> bytes:
    number = 1 + (client * 7919 + sequence) % 40
    letters = ["AA", "AB", "AC", "AD"][sequence % 4]
    return json.dumps(
        {
            "category": CATEGORIES[sequence % len(CATEGORIES)],
            "urgency": "high" if sequence % 10 == 0 else "normal",
            "description": "Buurman reageert niet meer op aanbellen, post stapelt zich op.",
            "address": {"postcode": f"99{'0' if client % 2 else '1'}1{letters}", "house_number": str(number)},
            "external_id": f"bench-{client}-{sequence}",
        }
    ).encode()


def measured(server: Served, make_request: RequestFactory) -> dict[str, Any]:
    """One load run of CLIENTS clients for SECONDS: throughput, latency and where the CPU went."""
    with cpu_measured(server.process_group) as cpu:
        result = drive(server.port, make_request, clients=CLIENTS, seconds=SECONDS)
    summary = result.summary()
    if cpu:
        summary.update(cpu[0].summary(result.requests))
    return summary


def ratio(part: dict[str, Any], whole: dict[str, Any]) -> float | None:
    return round(part["per_second"] / whole["per_second"], 3) if whole["per_second"] else None


def main() -> None:
    kind = "postgres" if postgres_available() else "sqlite"
    with tempfile.TemporaryDirectory() as tmp, fresh_database(kind, Path(tmp)) as url:
        env = bench_env(url, Path(tmp))
        waakvlam(["migrate", "-v0"], env)
        waakvlam(["load-demo", "--households", "2000", "--signals", "0"], env)
        key = waakvlam(["apikey", "create", "--org", "woonstede", "--scope", "signals:write"], env).stdout.strip()
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        def healthz(client: int, sequence: int) -> tuple[str, str, None, dict[str, str], int]:
            return "GET", "/healthz", None, {}, 200

        def categories(client: int, sequence: int) -> tuple[str, str, None, dict[str, str], int]:
            return "GET", "/api/v1/categories", None, headers, 200

        def post(client: int, sequence: int) -> tuple[str, str, bytes, dict[str, str], int]:
            return (
                "POST",
                "/api/v1/signals",
                signal_body(client, sequence),
                {**headers, "Idempotency-Key": f"bench-{os.getpid()}-{client}-{sequence}"},
                201,
            )

        def refused(client: int, sequence: int) -> tuple[str, str, bytes, dict[str, str], int]:
            body = json.loads(signal_body(client, sequence))
            body["urgency"] = "extreme"  # not a level: refused after authentication and parsing
            return (
                "POST",
                "/api/v1/signals",
                json.dumps(body).encode(),
                {**headers, "Idempotency-Key": f"bench-refused-{os.getpid()}-{client}-{sequence}"},
                422,
            )

        # The production defaults of `waakvlam serve`, so the figure is what an installation gets.
        with running_server(env) as server:
            # Warm up every path so imports and connection set-up are not measured.
            for warm_up in (healthz, categories, lambda c, s: post(c + 1000, s)):
                drive(server.port, warm_up, clients=4, seconds=2)
            ceiling = measured(server, healthz)
            api_ceiling = measured(server, categories)
            intake = measured(server, post)
            floor = measured(server, refused)
        write_result(
            "intake",
            {
                "database": kind,
                "clients": CLIENTS,
                "seconds_per_run": SECONDS,
                "server": f"waakvlam serve --workers {default_workers()} --threads {DEFAULT_THREADS} (gunicorn gthread)",
                "ceiling_healthz": ceiling,
                "post_signals": intake,
                "ratio_to_ceiling": ratio(intake, ceiling),
                # The same POST refused with 422 (authenticated, parsed, validated, nothing stored): what
                # any accepted signal costs before its first database write. Its ratio bounds intake's.
                "post_refused_422": floor,
                "refused_ratio_to_ceiling": ratio(floor, ceiling),
                # ADR 0007, option 3: an authenticated API call that does no work as the ceiling instead.
                "ceiling_authenticated_api": api_ceiling,
                "ratio_to_authenticated_api_ceiling": ratio(intake, api_ceiling),
                "targets": {"ratio_to_ceiling": ">= 0.40", "p99_ms": "< 100"},
            },
        )


if __name__ == "__main__":
    main()
