"""Group commit for `POST /api/v1/signals` in the production server on PostgreSQL (docs/decisions/0007).

Taking one signal in through the ORM costs about fifteen statements; on two cores that caps intake near
150 signals/s, while everything before the first write (authentication, parsing, validation, the
free-text check) runs ten times faster. So in `waakvlam serve` each worker process has one writer thread:
a request checks its signal itself, hands it over and waits; the writer takes whatever has queued and
writes it set-based in five round trips for the whole batch (group_write.py) and answers every request
after the one COMMIT. Invariants hold as in `signal_create`: a 201 is only sent after the commit that
holds the signal with its owner and due time, its history, notifications, idempotent answer and
access-log entry.

Anything unusual falls back to the one-at-a-time path (`signal_create` inside `idempotent`), run by the
request's own thread after the batch: a retried Idempotency-Key, an external_id seen before, two
requests of one batch sharing a key or external_id, or any error in the batch (which is then rolled back
whole). That path gives the exact answers (replay, 409) and owns the rare races.

On SQLite (the demo default) there is no writer: SQLite takes one writer at a time anyway, and the
one-at-a-time path is what every test and `runserver` use.
"""

from __future__ import annotations

import logging
import queue
import threading

from django.db import connection

from waakvlam.intake.group_write import Grouped, signals_write_batch

__all__ = [
    "Grouped",
    "IntakeWriter",
    "intake_writer",
    "intake_writer_start",
    "intake_writer_stop",
    "signals_write_batch",
]

logger = logging.getLogger("waakvlam.intake")

MAX_BATCH = 64
WAIT_SECONDS = 50.0  # below gunicorn's 60 s worker timeout


# --- the writer thread --------------------------------------------------------------------------------------


class IntakeWriter:
    """One per server process: a queue of checked signals and the thread that writes them in batches."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Grouped | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def submit(self, item: Grouped) -> bool:
        """Queue `item` and wait for its batch. False when the writer did not answer in time (the item may
        still be written: the caller must not write it again but answer 503, so a retry replays)."""
        self._queue.put(item)
        return item.done.wait(WAIT_SECONDS)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, close the thread's database connection and end the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        self._queue.put(None)  # stop after this batch
                        break
                    batch.append(item)
                self._write(batch)
        finally:
            connection.close()

    @staticmethod
    def _write(batch: list[Grouped]) -> None:
        # The writer keeps its connection: no health check (a round trip) before every batch. A batch that
        # fails on a broken connection falls back whole, and the connection is dropped so the next reconnects.
        try:
            signals_write_batch(batch)
        except Exception:
            logger.exception("intake batch of %d failed; each signal is taken in one by one instead", len(batch))
            for item in batch:
                item.outcome = ("fallback",)
            if connection.connection is not None and not connection.is_usable():
                connection.close()
        finally:
            for item in batch:
                item.done.set()


_writer: list[IntakeWriter] = []
_writer_lock = threading.Lock()


def intake_writer_start() -> None:
    """Called by `waakvlam serve` in each worker process; everywhere else signals go one at a time."""
    if connection.vendor != "postgresql":
        return
    with _writer_lock:
        if not _writer or not _writer[0].alive:
            _writer[:] = [IntakeWriter()]


def intake_writer() -> IntakeWriter | None:
    return _writer[0] if _writer and _writer[0].alive else None


def intake_writer_stop() -> None:
    with _writer_lock:
        if _writer:
            _writer.pop().stop()
