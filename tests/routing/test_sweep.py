"""Signal pickup on the follow-up clock: escalation at exactly the right moment, up the chain, once, and the
invariant that no open signal is ever past its due time without an escalation recorded. The due time never
moves; the clock keeps the level and the next step (next_step_at)."""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import signal_for, team
from tests.routing.conftest import MONDAY
from waakvlam.core.models import Municipality
from waakvlam.followup import sweep
from waakvlam.followup.calendar import add_working_days, add_working_hours
from waakvlam.followup.sweep import followup_escalate_item, pending_items, sweep_kind
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.routing.followups import SIGNAL_PICKUP

pytestmark = pytest.mark.django_db

TICK = timedelta(microseconds=1)


def deadlines_sweep(now: datetime) -> dict[str, int]:
    return sweep_kind(SIGNAL_PICKUP, now)


def stuck_signals(now: datetime):  # type: ignore[no-untyped-def]
    return pending_items(SIGNAL_PICKUP, now)


def signal_escalate(*, signal: Signal, now: datetime) -> bool:
    return followup_escalate_item(SIGNAL_PICKUP, pk=signal.pk, now=now)


def _stuck(due: datetime, **fields: object) -> Signal:
    return signal_for(team("Waakvlam Centrum-Oost"), received_at=due - timedelta(days=2), due_at=due, **fields)


def _escalations(signal: Signal) -> list[str]:
    return list(
        SignalEvent.objects.filter(signal=signal, kind="escalated").order_by("pk").values_list("note", flat=True)
    )


def _recipients(signal: Signal, level: int) -> set[str]:
    rows = Notification.objects.filter(kind="signal_escalated", dedupe_key__startswith=f"escalate:{signal.pk}:{level}:")
    return set(rows.filter(channel="in_app").values_list("recipient__username", flat=True))


def test_not_before_the_due_time_and_right_after_it(town: Municipality) -> None:
    signal = _stuck(MONDAY)
    assert deadlines_sweep(MONDAY)["escalated"] == 0  # due now is not late yet
    assert deadlines_sweep(MONDAY + TICK)["escalated"] == 1
    signal.refresh_from_db()
    assert signal.escalation_level == 1
    assert signal.due_at == MONDAY  # late stays late: the due time does not move
    assert signal.next_step_at == add_working_hours(MONDAY + TICK, 4)
    assert _escalations(signal) == ["Niveau 1: coördinator ingeschakeld."]
    assert _recipients(signal, 1) == {"coordinator"}


def test_the_chain_coordinator_then_municipality_then_still_stuck(town: Municipality) -> None:
    signal = _stuck(MONDAY)
    now = MONDAY + TICK
    counts = []
    for _ in range(4):
        counts.append(deadlines_sweep(now))
        signal.refresh_from_db()
        assert signal.next_step_at is not None
        now = signal.next_step_at + TICK
    assert [c["to_coordinator"] for c in counts] == [1, 0, 0, 0]
    assert [c["to_municipality"] for c in counts] == [0, 1, 0, 0]
    assert [c["still_stuck"] for c in counts] == [0, 0, 1, 1]
    assert signal.escalation_level == 4
    assert _recipients(signal, 1) == {"coordinator"}
    assert _recipients(signal, 2) == {"regie"}
    assert _recipients(signal, 3) == {"coordinator", "regie"}
    assert len(_escalations(signal)) == 4
    # Each step waits longer at the municipality level: one working day.
    events = list(SignalEvent.objects.filter(signal=signal, kind="escalated").order_by("pk"))
    assert signal.next_step_at == add_working_days(events[-1].at, 1)
    assert signal.due_at == MONDAY


def test_sweeping_twice_at_the_same_moment_escalates_nothing_twice(town: Municipality) -> None:
    signals = [_stuck(MONDAY - timedelta(hours=i)) for i in range(5)]
    now = MONDAY + timedelta(minutes=5)
    assert deadlines_sweep(now)["escalated"] == 5
    notifications = Notification.objects.count()
    events = SignalEvent.objects.count()
    assert deadlines_sweep(now) == {
        "escalated": 0,
        "to_coordinator": 0,
        "to_municipality": 0,
        "still_stuck": 0,
        "notifications": 0,
    }
    assert (Notification.objects.count(), SignalEvent.objects.count()) == (notifications, events)
    for signal in signals:
        assert len(_escalations(signal)) == 1
    # Five at once for one coordinator: one summary (in-app and e-mail digest) listing them, enqueued once.
    summary = Notification.objects.filter(dedupe_key__startswith="escalate-summary:")
    assert summary.count() == 2
    assert summary.first().subject == "5 signalen niet op tijd opgepakt"  # type: ignore[union-attr]
    assert all(s.tracking_code in summary.first().body for s in signals)  # type: ignore[union-attr]


def test_a_few_escalations_are_notified_one_by_one(town: Municipality) -> None:
    signals = [_stuck(MONDAY - timedelta(hours=i)) for i in range(3)]
    deadlines_sweep(MONDAY + timedelta(minutes=5))
    for signal in signals:
        assert Notification.objects.filter(dedupe_key__startswith=f"escalate:{signal.pk}:1:").count() == 2
    assert not Notification.objects.filter(dedupe_key__startswith="escalate-summary:").exists()


def test_notifications_are_deduplicated_even_if_a_step_repeats(town: Municipality) -> None:
    signal = _stuck(MONDAY)
    assert deadlines_sweep(MONDAY + TICK)["notifications"] == 2  # in-app and the e-mail digest
    # Simulate a crashed pass that committed the notification but is replayed on the same missed due time.
    Signal.objects.filter(pk=signal.pk).update(escalation_level=0, next_step_at=None)
    assert deadlines_sweep(MONDAY + 2 * TICK)["notifications"] == 0
    assert Notification.objects.filter(dedupe_key__startswith=f"escalate:{signal.pk}:1:").count() == 2


def test_picked_up_and_closed_signals_are_left_alone(town: Municipality) -> None:
    picked = _stuck(MONDAY, status="assigned", picked_up_at=MONDAY - timedelta(hours=1))
    closed = _stuck(MONDAY, status="closed", outcome="no_concern", closed_at=MONDAY)
    later = MONDAY + timedelta(days=3)
    assert deadlines_sweep(later)["escalated"] == 0
    assert _escalations(picked) == [] and _escalations(closed) == []


def test_notification_texts_hold_no_personal_data(town: Municipality) -> None:
    signal = _stuck(MONDAY, description="Mevrouw Jansen op nummer 12 roept om hulp.")
    now = MONDAY + TICK
    for _ in range(2):
        deadlines_sweep(now)
        signal.refresh_from_db()
        assert signal.next_step_at is not None
        now = signal.next_step_at + TICK
    assert signal.address is not None
    for note in Notification.objects.filter(kind="signal_escalated"):
        assert "Jansen" not in note.body and "Jansen" not in note.subject
        assert signal.address.street not in note.body
        assert signal.tracking_code in note.body
    municipality_rows = Notification.objects.filter(kind="signal_escalated", recipient__username="regie")
    assert {n.link for n in municipality_rows} == {"/regie/vastgelopen/"}


def test_the_sweep_is_logged_once_per_pass(town: Municipality) -> None:
    for i in range(3):
        _stuck(MONDAY - timedelta(hours=i))
    before = AccessLogEntry.objects.count()
    deadlines_sweep(MONDAY + TICK)
    entries = list(AccessLogEntry.objects.filter(seq__gt=before))
    assert len(entries) == 1
    assert (entries[0].username, entries[0].context, entries[0].reason) == (
        "system:deadlines_sweep",
        "sweep:deadlines",
        "3 signalen geëscaleerd",
    )
    assert entries[0].municipality_code == "GM9999"


def test_a_single_signal_can_be_escalated_by_hand(town: Municipality) -> None:
    signal = _stuck(MONDAY)
    assert signal_escalate(signal=signal, now=MONDAY) is False
    assert signal_escalate(signal=signal, now=MONDAY + TICK) is True
    assert signal_escalate(signal=signal, now=MONDAY + TICK) is False
    assert len(_escalations(signal)) == 1


def test_batches_cover_everything(town: Municipality, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep, "BATCH_SIZE", 3)
    for i in range(10):
        _stuck(MONDAY - timedelta(minutes=i))
    assert deadlines_sweep(MONDAY + TICK)["escalated"] == 10
    assert stuck_signals(MONDAY + TICK).count() == 0


@pytest.mark.parametrize("seed", range(12))
def test_after_any_sweep_no_open_signal_is_past_due_without_escalation(town: Municipality, seed: int) -> None:
    """Random mixes of statuses, due times and levels; after each sweep the stuck figure is zero, and each
    signal that was stuck got exactly one new escalation."""
    rng = random.Random(seed)
    teams = [team("Waakvlam Centrum-Oost"), team("Waakvlam West"), team("Vroegsignalering")]
    base = MONDAY + timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 24 * 60))
    for _ in range(rng.randint(5, 25)):
        status = rng.choice(["received", "received", "received", "assigned", "in_progress", "closed"])
        extra: dict[str, object] = {"status": status, "escalation_level": rng.choice([0, 0, 1, 2, 3, 7])}
        if status in {"assigned", "in_progress"}:
            extra["picked_up_at"] = base - timedelta(days=3)
        if status == "closed":
            extra.update(outcome="no_concern", closed_at=base - timedelta(days=1))
        due = base + timedelta(minutes=rng.randint(-5 * 24 * 60, 2 * 24 * 60))
        signal_for(rng.choice(teams), received_at=due - timedelta(days=2), due_at=due, **extra)
    now = base
    for _ in range(rng.randint(1, 4)):
        was_stuck = dict(stuck_signals(now).values_list("pk", "escalation_level"))
        before = dict(Signal.objects.values_list("pk", "escalation_level"))
        events_before = {pk: len(_escalations(Signal(pk=pk))) for pk in before}
        counts = deadlines_sweep(now)
        assert counts["escalated"] == len(was_stuck)
        assert stuck_signals(now).count() == 0
        for pk, level in Signal.objects.values_list("pk", "escalation_level"):
            new_events = len(_escalations(Signal(pk=pk))) - events_before[pk]
            assert new_events == (1 if pk in was_stuck else 0)
            assert level == before[pk] + new_events
        for signal in Signal.objects.filter(pk__in=was_stuck):
            assert signal.next_step_at is not None and signal.next_step_at > now
            assert signal.due_at < now  # still late: the due time never moves
        now += timedelta(hours=rng.choice([1, 5, 26, 80]))


@pytest.mark.django_db(transaction=True)
def test_worker_once_shows_the_sweeps_counts() -> None:
    # A transactional test: the worker closes connections between sweeps, which would end a test transaction.
    from waakvlam.demo.services import demo_load_town

    demo_load_town()
    _stuck(datetime.fromisoformat("2026-11-27T09:00:00+01:00"))
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-12-01T09:00", stdout=out)
    assert "followup: signal_pickup.escalated=1, signal_pickup.to_coordinator=1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_escalate_each_signal_once(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE SKIP LOCKED is a PostgreSQL matter; SQLite serialises writers anyway")
    from waakvlam.demo.services import demo_load_town

    demo_load_town()
    monkeypatch.setattr(sweep, "BATCH_SIZE", 25)
    signals = [_stuck(MONDAY - timedelta(minutes=i)) for i in range(300)]
    now = MONDAY + TICK
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(deadlines_sweep(now))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r["escalated"] for r in results) == len(signals)
    per_signal = SignalEvent.objects.filter(kind="escalated").values_list("signal_id", flat=True)
    assert sorted(per_signal) == sorted(s.pk for s in signals)
    assert set(Signal.objects.values_list("escalation_level", flat=True)) == {1}
