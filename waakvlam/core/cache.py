"""Things read on every new signal and changed rarely — routing tables, who hears of a new signal, the
municipalities and neighbourhoods the API writer places signals in — kept per process for a moment, so
taking a signal in costs no query for them.

Loading a municipality's routing table means reading its rules with their teams and users (and, when rules
name districts, the neighbourhood-to-district map): about a tenth of what taking a signal in costs; reading
a team's members is one more query. Signals arrive far more often than rules and teams change, so each
process keeps what it loaded for `PROCESS_CACHE_SECONDS` and then reads it again.

- A change made in this process is seen at once: routing (routing/apps.py) forgets everything when a rule,
  team, user, neighbourhood or organisation is saved or deleted, or a team's members change, when it
  happens and again when its transaction commits (so a value read by another thread in between is not
  kept). Services that bypass model signals (`bulk_update`) call `process_cache_forget()` themselves.
- Other processes see it within `PROCESS_CACHE_SECONDS`: a signal that arrives in that moment is routed
  by the rules as they were a second before, and still gets an owner and a due time.
- A value read while another thread forgot the cache is used once but not kept (the generation check).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import transaction

__all__ = ["PROCESS_CACHE_SECONDS", "process_cache_forget", "process_cache_forget_on_change", "process_cached"]

PROCESS_CACHE_SECONDS = 2.0

T = TypeVar("T")

_lock = threading.Lock()
_generation = 0
_tables: dict[Hashable, tuple[float, Any]] = {}


def process_cached(key: Hashable, load: Callable[[], T]) -> T:
    """What `key` names, from this process's cache, or `load()` when it has none or it is older than
    PROCESS_CACHE_SECONDS. What is cached is shared between threads: never change it after loading."""
    now = time.monotonic()
    found = _tables.get(key)
    if found is not None and found[0] > now:
        return found[1]  # type: ignore[no-any-return]
    generation = _generation
    value = load()
    with _lock:
        if generation == _generation:
            _tables[key] = (now + PROCESS_CACHE_SECONDS, value)
    return value


def process_cache_forget() -> None:
    """Drop everything cached in this process; the next signal reads what it needs again."""
    global _generation
    with _lock:
        _generation += 1
        _tables.clear()


def process_cache_forget_on_change(*_args: Any, **_kwargs: Any) -> None:
    """A model-signal receiver: forget now (this transaction sees its own change) and after commit."""
    process_cache_forget()
    transaction.on_commit(process_cache_forget)
