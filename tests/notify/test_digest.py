from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail

from tests.notify.helpers import DIGEST_AT, NOW, enqueue
from waakvlam.core.models import Municipality
from waakvlam.notify.delivery import outbox_deliver
from waakvlam.notify.models import Channel, Notification


def _queue_a_day(town: Municipality) -> None:
    enqueue(town, "s1", "waakvlammer", "coordinator", subject="Signaal over overlast")
    enqueue(town, "s2", "waakvlammer", when=NOW + timedelta(hours=2), subject="Contact met bewoner verlopen")
    # 06:00 in Amsterdam: still in tomorrow's 07:00 digest.
    enqueue(town, "s3", "waakvlammer", "coordinator", when=DIGEST_AT - timedelta(hours=1), subject="Overdracht")
    # 07:30 in Amsterdam: the day after.
    enqueue(town, "s4", "waakvlammer", when=DIGEST_AT + timedelta(minutes=30), subject="Te laat voor vandaag")


def test_digest_bundles_a_day_into_one_mail_per_recipient_at_seven(town: Municipality) -> None:
    _queue_a_day(town)
    assert outbox_deliver(NOW + timedelta(hours=3))["digests"] == 0
    assert outbox_deliver(DIGEST_AT - timedelta(minutes=1))["digests"] == 0
    assert mail.outbox == []

    figures = outbox_deliver(DIGEST_AT)
    assert figures["digests"] == 2 and figures["digest_items"] == 5 and figures["sent"] == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"waakvlammer@buurtwerk.demodorp.example", "coordinator@buurtwerk.demodorp.example"}
    steward_mail = by_address["waakvlammer@buurtwerk.demodorp.example"]
    assert steward_mail.subject == "Waakvlam: dagoverzicht 02-12-2026 (3 berichten)"
    assert steward_mail.body.startswith("Goedemorgen Wim,")
    for subject in ("Signaal over overlast", "Contact met bewoner verlopen", "Overdracht"):
        assert subject in steward_mail.body
    assert "Te laat voor vandaag" not in steward_mail.body
    assert "http://127.0.0.1:8000/berichten/" in steward_mail.body
    assert "http://127.0.0.1:8000/signalen/1/" in steward_mail.body
    coordinator_mail = by_address["coordinator@buurtwerk.demodorp.example"]
    assert coordinator_mail.subject.endswith("(2 berichten)")

    sent = Notification.objects.filter(channel=Channel.EMAIL_DIGEST, delivered_at=DIGEST_AT)
    assert sent.count() == 5 and set(sent.values_list("attempts", flat=True)) == {1}

    # A second pass at the same moment sends nothing; the late one waits for the next morning.
    assert outbox_deliver(DIGEST_AT)["digests"] == 0
    assert outbox_deliver(DIGEST_AT + timedelta(hours=12))["digests"] == 0
    assert len(mail.outbox) == 2
    figures = outbox_deliver(DIGEST_AT + timedelta(days=1))
    assert figures["digests"] == 1 and figures["digest_items"] == 1
    assert mail.outbox[-1].subject == "Waakvlam: dagoverzicht 03-12-2026 (1 bericht)"


def test_worker_that_was_down_at_seven_sends_the_digest_when_it_comes_back(town: Municipality) -> None:
    enqueue(town, "s1", "waakvlammer")
    assert outbox_deliver(DIGEST_AT + timedelta(hours=3))["digests"] == 1


def test_failed_digest_is_retried_as_one_mail(town: Municipality, settings: Any) -> None:
    enqueue(town, "s1", "waakvlammer")
    enqueue(town, "s2", "waakvlammer")
    settings.EMAIL_BACKEND = "tests.notify.backends.FailingBackend"
    assert outbox_deliver(DIGEST_AT)["retried"] == 2
    rows = Notification.objects.filter(channel=Channel.EMAIL_DIGEST)
    assert {r.attempts for r in rows} == {1}
    retry_at = max(r.deliver_after for r in rows)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver(retry_at)["digests"] == 1
    assert len(mail.outbox) == 1 and "(2 berichten)" in mail.outbox[0].subject


def test_urgent_mail_goes_now_and_is_not_repeated_in_the_digest(town: Municipality) -> None:
    enqueue(town, "s1", "waakvlammer", urgent=True, subject="Dringend")
    enqueue(town, "s2", "waakvlammer", subject="Gewoon")
    assert outbox_deliver(NOW)["sent"] == 1
    outbox_deliver(DIGEST_AT)
    assert [m.subject for m in mail.outbox] == [
        "Waakvlam (urgent): Dringend",
        "Waakvlam: dagoverzicht 02-12-2026 (1 bericht)",
    ]
    assert "Gewoon" in mail.outbox[1].body and "Dringend" not in mail.outbox[1].body
