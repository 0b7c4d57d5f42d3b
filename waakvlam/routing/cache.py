"""Routing tables (and who is told of a new signal) kept per process for a moment, so routing and
announcing one signal cost no query.

Loading a municipality's table means reading its rules with their teams and users (and, when rules name
districts, the neighbourhood-to-district map): about a tenth of what taking a signal in costs; reading a
team's members is one more query. Signals arrive far more often than rules and teams change, so each
process keeps what it loaded for `ROUTING_TABLE_SECONDS` and then reads it again.

- A change made in this process is seen at once: saving or deleting a rule, team, user, neighbourhood
  or organisation, or changing a team's members, forgets every table, when it happens and again when its
  transaction commits (so a table read by another thread in between is not kept). Rule services that
  bypass model signals (`bulk_update`) call `routing_tables_forget()` themselves.
- Other processes see it within `ROUTING_TABLE_SECONDS`: a signal that arrives in that moment is routed
  by the rules as they were a second before, and still gets an owner and a due time.
- A table read while another thread forgot the tables is used once but not kept (the generation check).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import transaction

__all__ = ["ROUTING_TABLE_SECONDS", "routing_cached", "routing_tables_forget", "routing_tables_forget_on_change"]

ROUTING_TABLE_SECONDS = 2.0

T = TypeVar("T")

_lock = threading.Lock()
_generation = 0
_tables: dict[Hashable, tuple[float, Any]] = {}


def routing_cached(key: Hashable, load: Callable[[], T]) -> T:
    """What `key` names, from this process's cache, or `load()` when it has none or it is older than
    ROUTING_TABLE_SECONDS. What is cached is shared between threads: never change it after loading."""
    now = time.monotonic()
    found = _tables.get(key)
    if found is not None and found[0] > now:
        return found[1]  # type: ignore[no-any-return]
    generation = _generation
    value = load()
    with _lock:
        if generation == _generation:
            _tables[key] = (now + ROUTING_TABLE_SECONDS, value)
    return value


def routing_tables_forget() -> None:
    """Drop every cached table in this process; the next signal reads its municipality's rules again."""
    global _generation
    with _lock:
        _generation += 1
        _tables.clear()


def routing_tables_forget_on_change(*_args: Any, **_kwargs: Any) -> None:
    """A model-signal receiver: forget now (this transaction sees its own change) and after commit."""
    routing_tables_forget()
    transaction.on_commit(routing_tables_forget)
