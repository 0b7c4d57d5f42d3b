"""The access log: one entry per read of personal data, and tampering is detected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from tests.factories import signal_for, team
from waakvlam.privacy.models import AccessLogAppendOnly, AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_record, access_log_verify

pytestmark = pytest.mark.django_db


def test_each_signal_view_writes_exactly_one_entry(login: Callable[[str], Client]) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    before = AccessLogEntry.objects.count()
    assert client.get(f"/signalen/{signal.pk}/").status_code == 200
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.username, entry.role, entry.organisation, entry.action) == (
        "waakvlammer",
        "steward",
        "buurtwerk",
        "view",
    )
    assert (entry.object_type, entry.object_id, entry.context) == ("intake.signal", str(signal.pk), "ui:signal_detail")
    assert entry.subject == f"address:{signal.address_id}"
    assert entry.client_address == "127.0.0.1"
    assert client.get(f"/api/v1/signals/{signal.pk}").status_code == 200
    assert AccessLogEntry.objects.count() == before + 2
    assert AccessLogEntry.objects.order_by("-seq").first().context == "api:signal_detail"  # type: ignore[union-attr]


def test_a_refused_view_logs_nothing(login: Callable[[str], Client]) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    before = AccessLogEntry.objects.count()
    assert login("ggz").get(f"/signalen/{signal.pk}/").status_code == 404
    assert AccessLogEntry.objects.count() == before


def _write(n: int) -> None:
    for i in range(n):
        access_log_record(actor=Actor.system("test"), action="view", object_type="intake.signal", object_id=i)


def test_intact_chain_verifies() -> None:
    _write(5)
    assert list(access_log_verify()) == []
    call_command("verify-access-log")


def test_changed_entry_is_detected() -> None:
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_accesslogentry SET username = %s WHERE seq = 3", ["someone-else"])
    problems = list(access_log_verify())
    assert [p.seq for p in problems] == [3]
    assert "changed" in problems[0].problem
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify-access-log")


def test_removed_entry_is_detected() -> None:
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_accesslogentry WHERE seq = 2")
    problems = list(access_log_verify())
    assert problems and problems[0].seq == 3
    assert any("missing" in p.problem for p in problems)


def test_inserted_entry_is_detected() -> None:
    _write(3)
    last = AccessLogEntry.objects.get(seq=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO privacy_accesslogentry (seq, at, username, role, organisation, api_key_prefix, action, object_type,"
            " object_id, subject, municipality_code, client_address, context, reason, key_id, prev_hash, entry_hash)"
            " VALUES (4, %s, 'x', '', '', '', 'view', 'intake.signal', '1', '', '', '', '', '', %s, %s, %s)",
            [last.at, last.key_id, last.entry_hash, "f" * 64],
        )
    assert [p.seq for p in access_log_verify()] == [4]


def test_orm_refuses_to_change_or_delete_entries() -> None:
    _write(1)
    entry = AccessLogEntry.objects.get(seq=1)
    entry.username = "changed"
    with pytest.raises(AccessLogAppendOnly):
        entry.save()
    with pytest.raises(AccessLogAppendOnly):
        entry.delete()


def test_privacy_officer_searches_the_log(login: Callable[[str], Client]) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    login("waakvlammer").get(f"/signalen/{signal.pk}/")
    client = login("privacy")
    page = client.get("/privacy/toegangslog/", {"username": "waakvlammer"})
    assert page.status_code == 200
    assert "ui:signal_detail" in page.content.decode()
    # Reading the log is itself logged.
    assert AccessLogEntry.objects.filter(username="privacy", context="ui:access_log_search").count() == 1
    bad = client.get("/privacy/toegangslog/", {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "De einddatum ligt vóór de begindatum." in bad.content.decode()


@pytest.mark.parametrize("username", ["waakvlammer", "coordinator", "ggz", "regie", "beheer", "signaleerder"])
def test_only_the_privacy_officer_sees_the_log(login: Callable[[str], Client], username: str) -> None:
    assert login(username).get("/privacy/toegangslog/").status_code == 404


def test_rotated_keys_keep_old_entries_verifiable(settings: object) -> None:
    settings.ACCESS_LOG_KEYS = ["old-key-" + "o" * 40]  # type: ignore[attr-defined]
    _write(2)
    settings.ACCESS_LOG_KEYS = ["new-key-" + "n" * 40, "old-key-" + "o" * 40]  # type: ignore[attr-defined]
    _write(2)
    assert list(access_log_verify()) == []
    assert AccessLogEntry.objects.values("key_id").distinct().count() == 2
    # Dropping the old key makes its entries unverifiable, and the report says why.
    settings.ACCESS_LOG_KEYS = ["new-key-" + "n" * 40]  # type: ignore[attr-defined]
    problems = list(access_log_verify())
    assert [p.seq for p in problems] == [1, 2]
    assert "not in WAAKVLAM_ACCESS_LOG_KEY" in problems[0].problem


def test_client_address_behind_our_proxy(settings: object, rf: object) -> None:
    from waakvlam.core.net import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")  # type: ignore[attr-defined]
    assert client_address(request) == "10.0.0.2"
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    # Only the entry our proxy appended counts; the client-supplied 6.6.6.6 is ignored.
    assert client_address(request) == "203.0.113.9"
    bad = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.2")  # type: ignore[attr-defined]
    assert client_address(bad) == "10.0.0.2"
