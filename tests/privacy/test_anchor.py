"""The access log's anchor: cutting off the newest entries (or all) is caught by verify-access-log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from waakvlam.core.models import Municipality
from waakvlam.notify.anchor_digest import access_log_anchor_digest
from waakvlam.notify.models import Notification
from waakvlam.privacy.anchor import AnchorRefused, access_log_anchor_sweep, access_log_anchor_write, anchor_latest
from waakvlam.privacy.services import Actor, access_log_record

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _write(n: int) -> None:
    for i in range(n):
        access_log_record(actor=Actor.system("test"), action="view", object_type="intake.signal", object_id=i)


def _cut(where: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM privacy_accesslogentry {where}")  # noqa: S608


# transaction=True: the worker's pass starts with close_old_connections(), which on PostgreSQL drops a
# test's transaction-wrapped connection.
@pytest.mark.django_db(transaction=True)
def test_newest_50_entries_deleted_after_a_worker_pass_are_missing() -> None:
    _write(120)
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-12-01T09:00", stdout=out)
    assert "privacy.access_log_anchor: anchored=1, refused=0" in out.getvalue()
    call_command("verify-access-log", stdout=StringIO())
    _cut("WHERE seq > 70")
    with pytest.raises(CommandError, match="50 entries are missing"):
        call_command("verify-access-log", stdout=StringIO(), stderr=StringIO())


def test_deleting_every_entry_is_caught() -> None:
    _write(10)
    access_log_anchor_write(NOW)
    _cut("")
    with pytest.raises(CommandError, match="10 entries are missing"):
        call_command("verify-access-log", stdout=StringIO(), stderr=StringIO())


def test_the_worker_refuses_to_anchor_a_shorter_chain() -> None:
    _write(10)
    access_log_anchor_write(NOW)
    _cut("WHERE seq > 5")
    with pytest.raises(AnchorRefused, match="5 entries are missing"):
        access_log_anchor_write(NOW)
    assert access_log_anchor_sweep(NOW) == {"anchored": 0, "refused": 1}
    anchor = anchor_latest()
    assert anchor is not None and anchor.seq == 10


def test_a_rewritten_tail_and_a_forged_anchor_are_caught() -> None:
    _write(5)
    access_log_anchor_write(NOW)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_accesslogentry SET entry_hash = %s WHERE seq = 5", ["f" * 64])
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify-access-log", stdout=StringIO(), stderr=StringIO())
    path = settings.ACCESS_LOG_ANCHOR_FILE
    line = json.loads(path.read_text().splitlines()[-1])
    path.write_text(json.dumps({**line, "seq": 4}) + "\n")
    with pytest.raises(CommandError, match="signature"):
        call_command("verify-access-log", stdout=StringIO(), stderr=StringIO())


def test_anchors_only_when_the_head_moved_and_appends() -> None:
    _write(3)
    assert access_log_anchor_write(NOW) is not None
    assert access_log_anchor_write(NOW) is None
    _write(2)
    assert access_log_anchor_write(NOW) is not None
    lines = settings.ACCESS_LOG_ANCHOR_FILE.read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [3, 5]


def test_the_privacy_officer_gets_a_daily_digest_of_the_anchor(town: Municipality) -> None:
    _write(3)
    access_log_anchor_write(NOW)
    assert access_log_anchor_digest(NOW)["anchor_digests"] >= 1
    assert access_log_anchor_digest(NOW.replace(hour=10)) == {"anchor_digests": 0}
    digests = Notification.objects.filter(kind="access_log_anchor", channel="in_app")
    assert digests.count() == 1
    anchor = anchor_latest()
    assert anchor is not None and anchor.signature in digests.get().body
    assert digests.get().recipient.role == "privacy_officer"  # type: ignore[union-attr]
