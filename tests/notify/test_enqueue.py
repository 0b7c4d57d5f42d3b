from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.notify.helpers import DIGEST_AT, NOW, enqueue, user
from waakvlam.core.models import Municipality
from waakvlam.notify.models import Channel, Notification
from waakvlam.notify.services import NotificationMessage, clean_link, next_digest_at, notifications_enqueue_many


def test_one_row_per_recipient_and_channel(town: Municipality) -> None:
    assert enqueue(town, "signal:1:assigned", "waakvlammer", "coordinator") == 4
    rows = Notification.objects.filter(dedupe_key="signal:1:assigned")
    assert sorted(rows.values_list("recipient__username", "channel")) == [
        ("coordinator", Channel.EMAIL_DIGEST),
        ("coordinator", Channel.IN_APP),
        ("waakvlammer", Channel.EMAIL_DIGEST),
        ("waakvlammer", Channel.IN_APP),
    ]
    in_app = rows.get(recipient=user("waakvlammer"), channel=Channel.IN_APP)
    assert in_app.delivered_at == NOW and in_app.read_at is None
    digest = rows.get(recipient=user("waakvlammer"), channel=Channel.EMAIL_DIGEST)
    assert digest.delivered_at is None and digest.deliver_after == DIGEST_AT
    # Staff are mailed at their address at the time of sending; the row keeps no copy of it.
    assert digest.email is None and digest.email_index == ""


def test_same_dedupe_key_twice_queues_nothing_new(town: Municipality) -> None:
    assert enqueue(town, "signal:1:assigned", "waakvlammer") == 2
    assert enqueue(town, "signal:1:assigned", "waakvlammer") == 0
    # A recipient added on the retry still gets theirs; the first one gets no second copy.
    assert enqueue(town, "signal:1:assigned", "waakvlammer", "coordinator") == 2
    assert Notification.objects.filter(dedupe_key="signal:1:assigned").count() == 4


def test_email_only_rows_are_deduplicated_too(town: Municipality) -> None:
    assert enqueue(town, "signal:1:picked_up", email="melder@example.org") == 1
    assert enqueue(town, "signal:1:picked_up", email="melder@example.org") == 0
    assert enqueue(town, "signal:1:picked_up", email="ander@example.org") == 1
    rows = Notification.objects.filter(dedupe_key="signal:1:picked_up")
    assert set(rows.values_list("channel", flat=True)) == {Channel.EMAIL_NOW}
    assert rows.filter(recipient__isnull=True).count() == 2


def test_urgent_goes_out_immediately(town: Municipality) -> None:
    enqueue(town, "signal:2:urgent", "waakvlammer", urgent=True)
    mail = Notification.objects.get(dedupe_key="signal:2:urgent", channel=Channel.EMAIL_NOW)
    assert mail.deliver_after == NOW and mail.urgent


def test_user_without_email_gets_in_app_only_and_inactive_users_nothing(town: Municipality) -> None:
    steward = user("waakvlammer")
    steward.email = ""
    steward.save()
    gone = user("waakvlammer2")
    gone.is_active = False
    gone.save()
    assert enqueue(town, "signal:3", "waakvlammer", "waakvlammer2") == 1
    assert Notification.objects.get(dedupe_key="signal:3").channel == Channel.IN_APP


def test_subject_is_one_line_and_links_are_safe(town: Municipality) -> None:
    enqueue(
        town, "signal:4", "waakvlammer", subject="Regel een\r\nBcc: iedereen@example.org", link="javascript:alert(1)"
    )
    row = Notification.objects.filter(dedupe_key="signal:4").first()
    assert row is not None
    assert row.subject == "Regel een Bcc: iedereen@example.org"
    assert row.link == ""
    assert clean_link("//evil.example/x") == ""
    assert clean_link("/signalen/4/") == "/signalen/4/"
    assert clean_link("https://partner.example/x") == "https://partner.example/x"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 06:59 local: today 07:00.
        (datetime(2026, 12, 1, 5, 59, tzinfo=UTC), datetime(2026, 12, 1, 6, 0, tzinfo=UTC)),
        # exactly 07:00 local: that digest is (being) sent, so tomorrow.
        (datetime(2026, 12, 1, 6, 0, tzinfo=UTC), datetime(2026, 12, 2, 6, 0, tzinfo=UTC)),
        # late in the evening, local date still today.
        (datetime(2026, 12, 1, 22, 30, tzinfo=UTC), datetime(2026, 12, 2, 6, 0, tzinfo=UTC)),
        # the night summer time starts: still 07:00 local, now UTC+2.
        (datetime(2027, 3, 27, 12, 0, tzinfo=UTC), datetime(2027, 3, 28, 5, 0, tzinfo=UTC)),
    ],
)
def test_next_digest_moment_is_seven_local_time(settings: object, now: datetime, expected: datetime) -> None:
    assert next_digest_at(now) == expected


def test_digest_hour_is_configurable(settings: object) -> None:
    settings.WAAKVLAM_DIGEST_HOUR = 17  # type: ignore[attr-defined]
    assert next_digest_at(NOW) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_a_reporters_address_is_stored_encrypted_and_found_by_its_index(town: Municipality) -> None:
    from django.db import connection

    from waakvlam.core.encryption import email_index

    assert enqueue(town, "signal:9:picked_up", email="melder@example.org") == 1
    row = Notification.objects.get(dedupe_key="signal:9:picked_up")
    assert row.email == "melder@example.org" and row.email_index == email_index("melder@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM notify_notification WHERE id = %s", [row.pk])
        (stored,) = cursor.fetchone()
    assert "melder" not in stored and "example.org" not in stored


_ROW_FIELDS = (
    "recipient_id",
    "channel",
    "kind",
    "urgent",
    "subject",
    "body",
    "link",
    "deliver_after",
    "delivered_at",
    "created_at",
    "email",
    "email_index",
    "municipality_id",
)


@pytest.mark.parametrize("urgent", [False, True])
def test_enqueue_many_stores_what_enqueue_stores(town: Municipality, urgent: bool) -> None:
    gone = user("waakvlammer2")
    gone.is_active = False
    gone.save()
    people = ["waakvlammer", "coordinator", "waakvlammer2"]
    enqueue(town, "one", *people, urgent=urgent, subject="Signaal\nA")
    message = NotificationMessage(
        municipality_id=town.pk,
        kind="signal_assigned",
        subject="Signaal\nA",
        body="Er is een signaal aan je team toegewezen.",
        dedupe_key="many",
        recipients=[user(u) for u in people],
        urgent=urgent,
        link="/signalen/1/",
    )
    assert notifications_enqueue_many([message], now=NOW) == 4

    def rows(key: str) -> list[tuple[object, ...]]:
        return sorted(Notification.objects.filter(dedupe_key=key).values_list(*_ROW_FIELDS))

    assert rows("many") == rows("one")
    assert all(row[4] == "Signaal A" for row in rows("many"))  # one line: it becomes a mail header
    # The same key again (a second sweep at the same moment) queues nothing.
    assert notifications_enqueue_many([message], now=NOW) == 0
