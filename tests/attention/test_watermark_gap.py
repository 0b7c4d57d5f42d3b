"""The incremental sweep misses no signal that commits late: a transaction that took a lower id and commits
after a higher id was read (the gap of an "id above the watermark" reader) is caught once it is safe to tell.
On PostgreSQL with two real connections; SQLite has one writer at a time, so its ids commit in order."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from waakvlam.attention.models import AttentionItem, ItemStatus, Watermark
from waakvlam.attention.recompute import attention_recompute
from waakvlam.attention.sweep import attention_sweep
from waakvlam.core.id_feed import IdCursor, id_feed_read
from waakvlam.core.models import Municipality
from waakvlam.households.models import Household
from waakvlam.intake.models import Signal

from .conftest import household_in, signal_at
from .helpers import TODAY, moment

NOW = moment(TODAY, 12)
pytestmark = pytest.mark.django_db(transaction=True)


class InFlight:
    """A signal inserted in another connection's transaction, committed only when told to."""

    def __init__(self, household: Household) -> None:
        self.inserted, self.commit, self.done = threading.Event(), threading.Event(), threading.Event()
        self.signal_id = 0
        self.thread = threading.Thread(target=self._run, args=(household,), daemon=True)
        self.thread.start()
        assert self.inserted.wait(30)

    def _run(self, household: Household) -> None:
        try:
            with transaction.atomic():
                self.signal_id = signal_at(household, at=NOW - timedelta(hours=2), org="woonstede").pk
                self.inserted.set()
                assert self.commit.wait(30)
        finally:
            connection.close()
            self.done.set()

    def finish(self) -> None:
        self.commit.set()
        assert self.done.wait(30)
        self.thread.join(30)


def one_police_signal_each(count: int) -> list[Household]:
    households = [household_in(now=NOW) for _ in range(count)]
    for household in households:
        signal_at(household, at=NOW - timedelta(days=20), org="politie")
    return households


def open_item(household: Household) -> bool:
    return AttentionItem.objects.filter(household=household, status=ItemStatus.OPEN).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids commit in order on SQLite: no gap to reproduce")
def test_a_signal_committed_below_the_watermark_is_caught_by_the_sweep(demodorp: Municipality) -> None:
    late, early = one_police_signal_each(2)
    attention_sweep(NOW)
    in_flight = InFlight(late)  # takes the lower id, commits last
    higher = signal_at(early, at=NOW - timedelta(hours=1), org="woonstede")
    assert higher.pk > in_flight.signal_id

    attention_sweep(NOW)
    assert open_item(early) and not open_item(late)
    # The gap: the sweep has read past the late signal's id, which an "id above the watermark" reader skips.
    assert Watermark.objects.get().last_signal_id >= higher.pk > in_flight.signal_id
    attention_sweep(NOW)  # still running: not yet safe to tell, nothing read again
    assert not open_item(late)

    in_flight.finish()
    counts = attention_sweep(NOW)
    assert open_item(late)
    assert counts["late_signals_reread"] == 2  # the range that held a late signal, read once more
    mark = Watermark.objects.get()
    assert mark.safe_signal_id == mark.last_signal_id >= higher.pk
    assert "late_signals_reread" not in attention_sweep(NOW)  # and only once


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids commit in order on SQLite: no gap to reproduce")
def test_a_full_recompute_moves_the_cursor_on_without_losing_a_late_signal(demodorp: Municipality) -> None:
    late, early = one_police_signal_each(2)
    in_flight = InFlight(late)
    signal_at(early, at=NOW - timedelta(hours=1), org="woonstede")
    attention_recompute(now=NOW)
    assert open_item(early) and not open_item(late)
    in_flight.finish()
    attention_sweep(NOW)
    assert open_item(late)


def test_without_late_commits_every_signal_is_handed_out_once(demodorp: Municipality) -> None:
    households = one_police_signal_each(3)
    first = id_feed_read(Signal, IdCursor(), fields=("household_id",), limit=2)
    second = id_feed_read(Signal, first.cursor, fields=("household_id",), limit=10)
    third = id_feed_read(Signal, second.cursor, fields=("household_id",), limit=10)
    handed = [row[0] for row in first.rows + second.rows + third.rows]
    assert sorted(handed) == sorted(Signal.objects.values_list("pk", flat=True)) and len(handed) == 3
    assert {row[1] for row in first.rows + second.rows} == {h.pk for h in households}
    assert third.cursor.safe_id == third.cursor.last_id == max(handed)
    assert first.reread == second.reread == third.reread == 0
