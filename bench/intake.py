"""Intake throughput: POST /api/v1/signals against the production server on PostgreSQL.

16 concurrent clients for 30 s each against (a) GET /healthz — the ceiling: the same server, the same
client, no work — and (b) POST /api/v1/signals with a fresh Idempotency-Key per request. The ratio of
(b) to (a) is the figure to watch; absolute numbers depend on the machine. Target (issue 3): at least
40% of the ceiling and p99 under 100 ms on 2 cores.

A third run, (c), sends the same POST with an urgency that does not exist: the server authenticates the
key, parses and validates the body and answers 422 without touching the signal tables. That is the part
of (b) that no storage design can remove, so (c)'s ratio to (a) is an upper bound for (b)'s.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from bench.harness import bench_env, drive, fresh_database, postgres_available, running_server, waakvlam, write_result
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


def main() -> None:
    kind = "postgres" if postgres_available() else "sqlite"
    with tempfile.TemporaryDirectory() as tmp, fresh_database(kind, Path(tmp)) as url:
        env = bench_env(url, Path(tmp))
        waakvlam(["migrate", "-v0"], env)
        waakvlam(["load-demo", "--households", "2000", "--signals", "0"], env)
        key = waakvlam(["apikey", "create", "--org", "woonstede", "--scope", "signals:write"], env).stdout.strip()
        # The production defaults of `waakvlam serve`, so the figure is what an installation gets.
        with running_server(env) as port:
            # Warm up both paths so imports and connection set-up are not measured.
            drive(port, lambda c, s: ("GET", "/healthz", None, {}, 200), clients=4, seconds=2)
            ceiling = drive(port, lambda c, s: ("GET", "/healthz", None, {}, 200), clients=CLIENTS, seconds=SECONDS)
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

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

            drive(port, lambda c, s: post(c + 1000, s), clients=4, seconds=2)
            intake = drive(port, post, clients=CLIENTS, seconds=SECONDS)
            floor = drive(port, refused, clients=CLIENTS, seconds=SECONDS)
        ceiling_s, intake_s, floor_s = ceiling.summary(), intake.summary(), floor.summary()
        write_result(
            "intake",
            {
                "database": kind,
                "clients": CLIENTS,
                "seconds_per_run": SECONDS,
                "server": f"waakvlam serve --workers {default_workers()} --threads {DEFAULT_THREADS} (gunicorn gthread)",
                "ceiling_healthz": ceiling_s,
                "post_signals": intake_s,
                "ratio_to_ceiling": round(intake_s["per_second"] / ceiling_s["per_second"], 3)
                if ceiling_s["per_second"]
                else None,
                # The same POST refused with 422 (authenticated, parsed, validated, nothing stored): what
                # any accepted signal costs before its first database write. Its ratio bounds intake's.
                "post_refused_422": floor_s,
                "refused_ratio_to_ceiling": round(floor_s["per_second"] / ceiling_s["per_second"], 3)
                if ceiling_s["per_second"]
                else None,
                "targets": {"ratio_to_ceiling": ">= 0.40", "p99_ms": "< 100"},
            },
        )


if __name__ == "__main__":
    main()
