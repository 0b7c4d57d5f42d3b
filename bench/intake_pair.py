"""The intake before and after a change, side by side: is POST /api/v1/signals slower than it was?

bench/intake.py's figures move by 5-10% between runs on this shared host, more than a change under test
usually costs. This benchmark compares two checkouts in one run, two ways:

1. **Calls per accepted POST** (deterministic): each code posts `--calls` signals in-process through the
   API and the group writer (docs/decisions/0007) on a fresh PostgreSQL database, with a profile hook that
   counts every Python and built-in call in the request thread and the writer thread. Load does not move
   this count, so a difference of a few calls per POST is real, and the per-function differences say where
   it is.
2. **Server CPU per POST under load, paired**: both codes' `waakvlam serve` run at once on their own fresh
   databases; 16 clients post to one, then the other, in short slots that alternate (AB, BA, ...), so the
   host's drift over minutes hits both alike. Per slot: POSTs/s and the server's and PostgreSQL's CPU per
   POST. The whole pairing runs twice with the servers' start order swapped (the server started second
   used up to 7% less CPU per POST in this VM), and the figure is the geometric mean of the two medians of
   after/before.

    python bench/intake_pair.py --against /path/to/checkout-before   # a checkout with its own waakvlam/

Results in bench/results/intake_pair.json (or --output).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    ROOT,
    bench_env,
    cpu_measured,
    drive,
    fresh_database,
    inner_json,
    running_server,
    waakvlam,
    write_result,
)
from bench.intake import signal_body

CLIENTS = 16


# --- the code under test: its own checkout's waakvlam (bench.harness's code=) ---------------------------------


def _prepared(code: Path, env: dict[str, str]) -> str:
    """Migrate, load the demo town's 2,000 households (as bench/intake.py does) and return a partner key."""
    waakvlam(["migrate", "-v0"], env, code=code)
    waakvlam(["load-demo", "--households", "2000", "--signals", "0"], env, code=code)
    key = waakvlam(["apikey", "create", "--org", "woonstede", "--scope", "signals:write"], env, code=code)
    return key.stdout.strip()


def _poster(key: str, tag: str, client_offset: int) -> Any:
    """POSTs with external_ids of their own (a repeated external_id is refused as a duplicate)."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(client: int, sequence: int) -> tuple[str, str, bytes, dict[str, str], int]:
        body = signal_body(client + client_offset, sequence)
        return "POST", "/api/v1/signals", body, {**headers, "Idempotency-Key": f"{tag}-{client}-{sequence}"}, 201

    return post


# --- 1. calls per POST --------------------------------------------------------------------------------------


def _calls(code: Path, workdir: Path, posts: int) -> dict[str, Any]:
    with fresh_database("postgres", workdir) as url:
        env = bench_env(url, workdir)
        env["BENCH_PAIR_KEY"] = _prepared(code, env)
        script = str(Path(__file__).resolve().with_name("intake_calls.py"))
        return inner_json([script, str(posts)], env, code=code, what=f"the call count of {code}")


def _calls_compared(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    posts = before["posts"]
    names = set(before["per_function"]) | set(after["per_function"])
    moved = sorted(((after["per_function"].get(n, 0) - before["per_function"].get(n, 0)) / posts, n) for n in names)
    return {
        "posts": posts,
        "before_per_post": round(before["calls"] / posts, 1),
        "after_per_post": round(after["calls"] / posts, 1),
        "ratio": round(after["calls"] / before["calls"], 4),
        # Where the counts moved most, per POST (function names of both checkouts, paths made relative).
        "largest_changes_per_post": {n: round(d, 2) for d, n in sorted(moved, key=lambda m: -abs(m[0]))[:15]},
    }


# --- 2. paired load ---------------------------------------------------------------------------------------


def _paired(first: tuple[str, Path], second: tuple[str, Path], rounds: int, seconds: float) -> dict[str, Any]:
    """Both servers up (started in this order); `rounds` rounds of one slot each, alternating who goes first."""
    with ExitStack() as stack:
        sides: dict[str, tuple[int, int, str]] = {}
        for label, code in (first, second):
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            env = bench_env(stack.enter_context(fresh_database("postgres", workdir)), workdir)
            key = _prepared(code, env)
            served = stack.enter_context(running_server(env, code=code))
            port, group = served.port, served.process_group
            sides[label] = (port, group, key)
            drive(port, _poster(key, "warm", 100_000), clients=4, seconds=3)
        slots: list[dict[str, dict[str, float]]] = []
        for number in range(rounds):
            order = [first[0], second[0]] if number % 2 == 0 else [second[0], first[0]]
            slot: dict[str, dict[str, float]] = {}
            for label in order:
                port, group, key = sides[label]
                with cpu_measured(group) as cpu:
                    result = drive(
                        port, _poster(key, f"r{number}", 1000 * (number + 1)), clients=CLIENTS, seconds=seconds
                    )
                use = cpu[0].summary(result.requests)["cpu_ms_per_request"] if cpu else {}
                slot[label] = {
                    "per_second": result.summary()["per_second"],
                    "server_ms": use.get("server", 0.0),
                    "postgres_ms": use.get("postgres", 0.0),
                }
            slots.append(slot)
            print(f"[intake_pair] round {number + 1}/{rounds}: {json.dumps(slot)}", file=sys.stderr, flush=True)
    return {
        "started_first": first[0],
        "slots": slots,
        **{f"median_after_to_before_{k}": _median_ratio(slots, k) for k in ("per_second", "server_ms", "postgres_ms")},
    }


def _median_ratio(slots: list[dict[str, dict[str, float]]], figure: str) -> float:
    return round(statistics.median(s["after"][figure] / s["before"][figure] for s in slots if s["before"][figure]), 4)


def _geometric_mean(values: list[float]) -> float:
    return round(math.exp(statistics.mean(math.log(v) for v in values)), 4)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--against", type=Path, help="the checkout before (a directory holding waakvlam/)")
    parser.add_argument("--rounds", type=int, default=20, help="slots per code in each pairing (0: calls only)")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of one slot")
    parser.add_argument("--calls", type=int, default=200, help="POSTs counted in-process per code (0: skip)")
    parser.add_argument("--output", default="intake_pair", help="the result's name in bench/results/")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.against is None or not (args.against / "waakvlam").is_dir():
        parser.error("--against DIR is required: a checkout of the code before, holding waakvlam/")
    before, after = ("before", args.against.resolve()), ("after", ROOT)
    started, loads = time.strftime("%Y-%m-%d %H:%M:%S"), [os.getloadavg()[0]]
    result: dict[str, Any] = {"before": str(before[1]), "after": str(after[1]), "clients": CLIENTS}
    if args.calls:
        with tempfile.TemporaryDirectory() as tmp:
            counted = {label: _calls(code, Path(tmp), args.calls) for label, code in (before, after)}
        result["calls"] = _calls_compared(counted["before"], counted["after"])
        print(
            f"[intake_pair] calls: {json.dumps({k: v for k, v in result['calls'].items() if k != 'largest_changes_per_post'})}",
            file=sys.stderr,
        )
    pairings = []
    if args.rounds:
        pairings = [
            _paired(before, after, args.rounds, args.seconds),
            _paired(after, before, args.rounds, args.seconds),
        ]
    loads.append(os.getloadavg()[0])
    result.update(
        {
            "rounds": args.rounds,
            "seconds_per_slot": args.seconds,
            "started": started,
            "finished": time.strftime("%H:%M:%S"),
            "load_average_1m_before_after": [round(x, 2) for x in loads],
            "pairings": pairings,
        }
    )
    if pairings:
        result.update(
            {
                f"after_to_before_{k}": _geometric_mean([p[f"median_after_to_before_{k}"] for p in pairings])
                for k in ("per_second", "server_ms", "postgres_ms")
            }
        )
    write_result(args.output, result)
    print(json.dumps({k: v for k, v in result.items() if k != "pairings"}, indent=2))


if __name__ == "__main__":
    main()
