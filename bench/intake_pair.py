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
import http.client
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` importable
    # Appended, not put first: the call count runs this file with the other checkout first on PYTHONPATH,
    # and must import that checkout's waakvlam.
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT, bench_env, cpu_measured, drive, free_port, fresh_database, write_result
from bench.intake import signal_body

CLIENTS = 16


# --- the code under test, as a subprocess of its own checkout ---------------------------------------------


def _code_env(code: Path, env: dict[str, str]) -> dict[str, str]:
    # The checkout's own waakvlam comes first on the path; this checkout's bench/ after it.
    return {**env, "PYTHONPATH": f"{code}:{ROOT}"}


def _cli(code: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "waakvlam.config.cli", *args],
        env=_code_env(code, env),
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _prepared(code: Path, env: dict[str, str]) -> str:
    """Migrate, load the demo town's 2,000 households (as bench/intake.py does) and return a partner key."""
    _cli(code, env, "migrate", "-v0")
    _cli(code, env, "load-demo", "--households", "2000", "--signals", "0")
    return _cli(code, env, "apikey", "create", "--org", "woonstede", "--scope", "signals:write")


@contextmanager
def _served(code: Path, env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """`waakvlam serve` of that checkout with its production defaults: (port, process group)."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "waakvlam.config.cli", "serve", "--port", str(port)],
            env=_code_env(code, env),
            cwd=code,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not _ready(port):
                if time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{code}: the server did not start:\n{log.read()[-3000:].decode()}")
                time.sleep(0.2)
            yield port, process.pid
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _ready(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/readyz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _poster(key: str, tag: str, client_offset: int) -> Any:
    """POSTs with external_ids of their own (a repeated external_id is refused as a duplicate)."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(client: int, sequence: int) -> tuple[str, str, bytes, dict[str, str], int]:
        body = signal_body(client + client_offset, sequence)
        return "POST", "/api/v1/signals", body, {**headers, "Idempotency-Key": f"{tag}-{client}-{sequence}"}, 201

    return post


# --- 1. calls per POST --------------------------------------------------------------------------------------


def _calls_inner(posts: int) -> dict[str, Any]:
    """In the code's own process (run with --inner-calls): count calls for `posts` accepted POSTs."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from django.test import Client

    from waakvlam.intake import group_commit

    key = os.environ["BENCH_PAIR_KEY"]
    client = Client(HTTP_HOST="localhost")
    counts: Counter[str] = Counter()

    def counted(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            counts[f"{code.co_filename.split('/site-packages/')[-1].split('/waakvlam/')[-1]}:{code.co_name}"] += 1
        elif event == "c_call":
            counts[f"~:{getattr(arg, '__qualname__', arg)}"] += 1

    def post(number: int) -> None:
        answer = client.post(
            "/api/v1/signals",
            data=signal_body(number % 97, number),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            HTTP_IDEMPOTENCY_KEY=f"calls-{number}",
        )
        if answer.status_code != 201:
            raise RuntimeError(f"POST answered {answer.status_code}: {answer.content[:300]!r}")

    group_commit.intake_writer_start()
    for number in range(100_000, 100_020):  # warm: imports, caches, the writer's prepared statements
        post(number)
    group_commit.intake_writer_stop()
    # The hook reaches threads started after threading.setprofile: the writer is started again under it.
    sys.setprofile(counted)
    threading.setprofile(counted)
    group_commit.intake_writer_start()
    for number in range(posts):
        post(number)
    group_commit.intake_writer_stop()
    sys.setprofile(None)
    threading.setprofile(None)
    return {"posts": posts, "calls": sum(counts.values()), "per_function": dict(counts)}


def _calls(code: Path, workdir: Path, posts: int) -> dict[str, Any]:
    with fresh_database("postgres", workdir) as url:
        env = bench_env(url, workdir)
        key = _prepared(code, env)
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--inner-calls", str(posts)],
            env={**_code_env(code, env), "BENCH_PAIR_KEY": key},
            cwd=code,
            capture_output=True,
            text=True,
            check=False,
        )
    if child.returncode != 0:
        raise RuntimeError(f"{code}: the call count failed:\n{child.stderr[-4000:]}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


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
            port, group = stack.enter_context(_served(code, env))
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
    parser.add_argument("--inner-calls", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.inner_calls is not None:
        print(json.dumps(_calls_inner(args.inner_calls)))
        return
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
