"""The rollups read new signal history through the commit-safe feed (core/id_feed.py): a signal whose
transaction took a lower id and committed after a higher one was read is still counted. On PostgreSQL with
two real connections; SQLite has one writer at a time, so its ids commit in order."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import connection, transaction

from tests.insight.conftest import AMS, BINNENSTAD, make_signal
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.insight.models import Watermark
from waakvlam.insight.rollups import rollups_update
from waakvlam.insight.selectors import Scope, raw_figures
from waakvlam.intake.models import SignalEvent

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=AMS)
DAY = datetime(2026, 11, 18, 9, 0, tzinfo=AMS)


class InFlight:
    """A signal (and its 'received' step) inserted in another connection's transaction, committed only when
    told to."""

    def __init__(self) -> None:
        self.inserted, self.commit, self.done = threading.Event(), threading.Event(), threading.Event()
        self.event_id = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.inserted.wait(30)

    def _run(self) -> None:
        try:
            with transaction.atomic():
                signal = make_signal(BINNENSTAD, DAY, hours_to_pickup=None)
                self.event_id = SignalEvent.objects.filter(signal=signal).get().pk
                self.inserted.set()
                assert self.commit.wait(30)
        finally:
            connection.close()
            self.done.set()

    def finish(self) -> None:
        self.commit.set()
        assert self.done.wait(30)
        self.thread.join(30)


def _signals_in(town: Municipality) -> int:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    counts = raw_figures(Scope(town.pk, 0), date(2026, 11, 1), date(2026, 11, 20), NOW).counts
    return counts[hood.pk]["signals_in"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids commit in order on SQLite: no gap to reproduce")
def test_a_signal_committed_below_the_watermark_is_still_counted(town: Municipality) -> None:
    make_signal(BINNENSTAD, DAY - timedelta(days=1), hours_to_pickup=1)
    rollups_update(NOW)
    assert _signals_in(town) == 1
    in_flight = InFlight()  # takes the lower id, commits last
    make_signal(BINNENSTAD, DAY + timedelta(hours=1), hours_to_pickup=None)
    rollups_update(NOW)
    assert _signals_in(town) == 2  # the later one; the one in flight is not visible yet
    mark = Watermark.objects.get(name="signal_events")
    assert mark.last_id > in_flight.event_id  # an "id above the watermark" reader would now skip it

    rollups_update(NOW)  # still open: not yet safe to tell, nothing read again
    assert _signals_in(town) == 2
    in_flight.finish()
    result = rollups_update(NOW)
    assert _signals_in(town) == 3
    assert result["insight_late_rows_reread"] >= 1
    mark = Watermark.objects.get(name="signal_events")
    assert mark.safe_id == mark.last_id
    assert "insight_late_rows_reread" not in rollups_update(NOW)  # and only once
