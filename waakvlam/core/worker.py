"""The background worker: a loop over idempotent sweeps, each taking `now` so it can be tested without waiting.

Apps register their sweeps (deadlines, escalations, outbox delivery, retention) in AppConfig.ready();
the worker knows nothing about what they do. Each sweep must be safe to run twice and on several
workers at once (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger("waakvlam.worker")

Sweep = Callable[[datetime], dict[str, int]]


@dataclass(frozen=True)
class RegisteredSweep:
    name: str
    run: Sweep
    order: int


_SWEEPS: dict[str, RegisteredSweep] = {}


def register_sweep(name: str, run: Sweep, *, order: int = 100) -> None:
    _SWEEPS[name] = RegisteredSweep(name, run, order)


def at_most_every(interval: timedelta, run: Sweep) -> Sweep:
    """`run`, but skipped (answering the counts of its last run as zeros) when it ran less than `interval`
    before `now` in this process: for sweeps whose query is heavy and whose work is counted in months."""
    last: list[datetime] = []
    zeros: dict[str, int] = {}

    def throttled(now: datetime) -> dict[str, int]:
        if last and timedelta(0) <= now - last[0] < interval:
            return dict(zeros)
        result = run(now)
        last[:] = [now]
        zeros.clear()
        zeros.update(dict.fromkeys(result, 0))
        return result

    return throttled


def in_batches(next_ids: Callable[[], list[int]], write: Callable[[list[int]], int]) -> int:
    """Run `write` over `next_ids()` until nothing is left, each batch its own transaction; returns how many
    were written. Stops early when a batch writes nothing: another worker holds those rows and finishes
    them (the rows are taken with SKIP LOCKED)."""
    total = 0
    while ids := next_ids():
        done = write(ids)
        total += done
        if done == 0:
            break
    return total


def registered_sweeps() -> list[RegisteredSweep]:
    return sorted(_SWEEPS.values(), key=lambda s: (s.order, s.name))


def run_once(now: datetime | None = None) -> dict[str, dict[str, int]]:
    """One pass over every sweep. A failing sweep is logged and does not stop the others."""
    moment = now or timezone.now()
    results: dict[str, dict[str, int]] = {}
    for sweep in registered_sweeps():
        close_old_connections()
        try:
            results[sweep.name] = sweep.run(moment)
        except Exception:
            logger.exception("sweep %s failed; it will be retried on the next pass", sweep.name)
            results[sweep.name] = {"failed": 1}
    return results


def run_forever(interval: float = 15.0, should_stop: Callable[[], bool] = lambda: False) -> None:
    while not should_stop():
        started = time.monotonic()
        results = run_once()
        busy = {name: counts for name, counts in results.items() if any(counts.values())}
        if busy:
            logger.info("worker pass: %s", busy)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
