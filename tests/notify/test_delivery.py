from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from tests.notify.backends import FailingBackend
from tests.notify.helpers import NOW, enqueue, user
from waakvlam.core.models import Municipality
from waakvlam.core.worker import registered_sweeps, run_once
from waakvlam.notify.delivery import LEASE, MAX_ATTEMPTS, outbox_deliver
from waakvlam.notify.models import Channel, Notification
from waakvlam.notify.selectors import outbox_figures


def _email_row(key: str) -> Notification:
    return Notification.objects.get(dedupe_key=key, channel=Channel.EMAIL_NOW)


def test_immediate_mail_is_sent_once_and_recorded(town: Municipality) -> None:
    enqueue(town, "signal:1:urgent", "waakvlammer", urgent=True, subject="Dringend signaal in Centrum")
    figures = outbox_deliver(NOW)
    assert figures["sent"] == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["waakvlammer@buurtwerk.demodorp.example"]
    assert message.subject == "Waakvlam (urgent): Dringend signaal in Centrum"
    assert "http://127.0.0.1:8000/signalen/1/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row = _email_row("signal:1:urgent")
    assert row.delivered_at == NOW and row.attempts == 1 and row.claim_token == "" and row.failed_at is None

    # The same moment again, and later: nothing more goes out.
    assert outbox_deliver(NOW)["sent"] == 0
    assert outbox_deliver(NOW + timedelta(days=1))["sent"] == 0
    assert len(mail.outbox) == 1


def test_public_reporter_gets_mail_without_an_account(town: Municipality, settings: Any) -> None:
    settings.WAAKVLAM_BASE_URL = "https://waakvlam.demodorp.example/"
    enqueue(
        town, "signal:2:picked_up", email="melder@example.org", subject="Je melding is opgepakt", link="/volg/AB12/"
    )
    outbox_deliver(NOW)
    assert [m.to for m in mail.outbox] == [["melder@example.org"]]
    assert mail.outbox[0].subject == "Waakvlam: Je melding is opgepakt"
    assert "https://waakvlam.demodorp.example/volg/AB12/" in mail.outbox[0].body


def test_not_before_deliver_after(town: Municipality) -> None:
    enqueue(town, "later", "waakvlammer", urgent=True, when=NOW + timedelta(minutes=5))
    assert outbox_deliver(NOW)["sent"] == 0
    assert outbox_deliver(NOW + timedelta(minutes=5))["sent"] == 1


def test_failing_mail_server_retries_with_backoff_then_gives_up(town: Municipality, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notify.backends.FailingBackend"
    FailingBackend.calls = 0
    enqueue(town, "signal:3:urgent", "waakvlammer", urgent=True)

    moment = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS):
        figures = outbox_deliver(moment)
        assert figures == {"sent": 0, "digests": 0, "digest_items": 0, "retried": 1, "failed": 0}
        row = _email_row("signal:3:urgent")
        assert row.attempts == attempt and "SMTPServerDisconnected" in row.last_error
        assert row.delivered_at is None and row.failed_at is None and row.claim_token == ""
        waits.append(row.deliver_after - moment)
        # Before the wait is over, nothing is tried.
        assert outbox_deliver(row.deliver_after - timedelta(seconds=1))["retried"] == 0
        moment = row.deliver_after
    assert waits == sorted(waits) and waits[0] >= timedelta(minutes=1) and len(set(waits)) == len(waits)

    assert outbox_deliver(moment)["failed"] == 1
    row = _email_row("signal:3:urgent")
    assert row.attempts == MAX_ATTEMPTS and row.failed_at == moment and row.delivered_at is None
    assert FailingBackend.calls == MAX_ATTEMPTS
    # Given up for good, and visible to the operator.
    assert outbox_deliver(moment + timedelta(days=7)) == {
        "sent": 0,
        "digests": 0,
        "digest_items": 0,
        "retried": 0,
        "failed": 0,
    }
    assert FailingBackend.calls == MAX_ATTEMPTS
    assert outbox_figures(moment)["failed"] == 1
    assert mail.outbox == []


def test_a_retry_succeeds_when_the_server_is_back(town: Municipality, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notify.backends.FailingBackend"
    enqueue(town, "signal:4:urgent", "waakvlammer", urgent=True)
    outbox_deliver(NOW)
    retry_at = _email_row("signal:4:urgent").deliver_after
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver(retry_at)["sent"] == 1
    row = _email_row("signal:4:urgent")
    assert row.delivered_at == retry_at and row.attempts == 2
    assert len(mail.outbox) == 1


def test_unreachable_server_stops_the_pass_and_counts_an_attempt(town: Municipality, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notify.backends.UnreachableBackend"
    enqueue(town, "a", "waakvlammer", urgent=True)
    enqueue(town, "b", "coordinator", urgent=True)
    figures = outbox_deliver(NOW)
    assert figures["retried"] == 2 and figures["sent"] == 0
    assert set(Notification.objects.filter(channel=Channel.EMAIL_NOW).values_list("attempts", flat=True)) == {1}
    assert "ConnectionRefusedError" in _email_row("a").last_error


def test_recipient_who_left_gets_no_mail(town: Municipality) -> None:
    enqueue(town, "signal:5:urgent", "waakvlammer", urgent=True)
    steward = user("waakvlammer")
    steward.is_active = False
    steward.save()
    assert outbox_deliver(NOW)["failed"] == 1
    assert mail.outbox == []
    assert _email_row("signal:5:urgent").failed_at == NOW


def test_a_claim_left_by_a_crashed_worker_expires_and_the_mail_goes_out(town: Municipality) -> None:
    enqueue(town, "signal:6:urgent", "waakvlammer", urgent=True)
    # A worker claimed the row and died before recording anything.
    Notification.objects.filter(dedupe_key="signal:6:urgent", channel=Channel.EMAIL_NOW).update(
        claim_token="dead", claimed_until=NOW + LEASE
    )
    assert outbox_deliver(NOW)["sent"] == 0
    assert outbox_deliver(NOW + LEASE - timedelta(seconds=1))["sent"] == 0
    assert outbox_deliver(NOW + LEASE)["sent"] == 1
    assert len(mail.outbox) == 1


def test_in_app_rows_are_never_mailed(town: Municipality) -> None:
    steward = user("waakvlammer")
    steward.email = ""
    steward.save()
    enqueue(town, "signal:7", "waakvlammer", urgent=True)
    assert outbox_deliver(NOW)["sent"] == 0
    assert mail.outbox == []


def test_batches_cover_everything_due(town: Municipality) -> None:
    for i in range(12):
        enqueue(town, f"signal:{i}:picked_up", email=f"melder{i}@example.org")
    assert outbox_deliver(NOW, batch_size=5)["sent"] == 12
    assert len({m.to[0] for m in mail.outbox}) == 12


# transaction=True: the worker's pass starts with close_old_connections(), which on PostgreSQL drops a
# connection that sits inside a test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_outbox_sweep(town: Municipality) -> None:
    assert "notify.outbox" in [s.name for s in registered_sweeps()]
    enqueue(town, "signal:8:urgent", "waakvlammer", urgent=True)
    assert run_once(NOW)["notify.outbox"]["sent"] == 1
    assert run_once(NOW)["notify.outbox"]["sent"] == 0
