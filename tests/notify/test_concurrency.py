"""Several workers at once (PostgreSQL only: SKIP LOCKED is what makes it safe there; SQLite has one writer)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from tests.notify.helpers import DIGEST_AT, enqueue
from waakvlam.core.models import Municipality
from waakvlam.notify.delivery import outbox_deliver
from waakvlam.notify.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED)"),
]


def _run_workers(now: datetime, workers: int = 3) -> list[dict[str, int]]:
    start = threading.Barrier(workers)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            results.append(outbox_deliver(now, batch_size=4))
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_workers_at_once_send_every_mail_exactly_once(town: Municipality, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notify.backends.SlowBackend"
    for i in range(40):
        enqueue(town, f"signal:{i}:picked_up", email=f"melder{i}@example.org", when=DIGEST_AT)
    usernames = ("waakvlammer", "waakvlammer2", "coordinator", "ggz", "regie")
    for i in range(3):
        enqueue(town, f"signal:{i}:assigned", *usernames)  # digest rows, due at DIGEST_AT

    results = _run_workers(DIGEST_AT)

    sent_to = Counter(m.to[0] for m in mail.outbox)
    assert len(sent_to) == 40 + len(usernames)
    assert set(sent_to.values()) == {1}, [a for a, n in sent_to.items() if n > 1]
    assert sum(r["sent"] for r in results) == 40
    assert sum(r["digests"] for r in results) == len(usernames)
    assert sum(r["digest_items"] for r in results) == 3 * len(usernames)
    # More than one worker really took part.
    assert sum(1 for r in results if r["sent"] or r["digests"]) >= 2
    mailed = Notification.objects.exclude(channel="in_app")
    assert mailed.filter(delivered_at__isnull=True).count() == 0
    assert set(mailed.values_list("attempts", flat=True)) == {1}

    # And once everything is out, more workers find nothing.
    assert all(not r["sent"] and not r["digests"] for r in _run_workers(DIGEST_AT))
    assert len(mail.outbox) == 40 + len(usernames)
