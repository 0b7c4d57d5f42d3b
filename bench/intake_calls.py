"""Calls per accepted POST /api/v1/signals, counted in-process: bench/intake_pair.py's deterministic half.

Run by bench/intake_pair.py as a file, with the checkout under test first on PYTHONPATH (so its waakvlam and
its bench.intake are imported, whatever their age) and DATABASE_URL a prepared database; BENCH_PAIR_KEY is a
partner key with signals:write. Prints one JSON line: posts, calls, and calls per function.

    python bench/intake_calls.py POSTS
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from typing import Any

# The checkout under test is first on PYTHONPATH; this file's own directory (sys.path[0]) holds neither bench nor waakvlam.
from bench.intake import signal_body


def counted_calls(posts: int) -> dict[str, Any]:
    """Count every Python and built-in call in the request and writer threads for `posts` accepted POSTs."""
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


if __name__ == "__main__":
    print(json.dumps(counted_calls(int(sys.argv[1]))))
