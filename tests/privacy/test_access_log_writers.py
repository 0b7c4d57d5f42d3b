"""Writing the access log late and from many writers at once: the chain stays one unbroken order."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record, access_log_verify


def _record(i: object) -> AccessLogEntry:
    return access_log_record(actor=Actor.system("test"), action="view", object_type="intake.signal", object_id=i)


@pytest.mark.django_db
def test_deferred_entries_are_appended_when_the_block_ends() -> None:
    with transaction.atomic():
        with access_log_deferred():
            first = _record(1)
            with access_log_deferred():  # a nested block hands its entries to the outer one
                _record(2)
            assert AccessLogEntry.objects.count() == 0
            assert first.seq is None
        assert list(AccessLogEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["1", "2"]
    assert first.seq == 1
    assert list(access_log_verify()) == []


@pytest.mark.django_db
def test_a_deferred_block_left_by_an_error_writes_nothing() -> None:
    with transaction.atomic():
        with access_log_deferred():
            _record(1)
            with pytest.raises(ValueError), transaction.atomic(), access_log_deferred():
                _record(2)
                raise ValueError("the work failed, so it never happened")
        with pytest.raises(ValueError), access_log_deferred():
            _record(3)
            raise ValueError
    assert list(AccessLogEntry.objects.values_list("object_id", flat=True)) == ["1"]
    assert list(access_log_verify()) == []


@pytest.mark.django_db(transaction=True)
def test_deferring_needs_a_transaction() -> None:
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"), access_log_deferred():
        pass


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain() -> None:
    """Threads with a connection each, writing immediately and deferred, in their own transactions."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by construction (BEGIN IMMEDIATE)")
    writers, per_writer = 6, 25
    failures: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(per_writer):
                if i % 2:
                    _record(f"{n}-{i}")
                else:
                    with transaction.atomic(), access_log_deferred():
                        _record(f"{n}-{i}")
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert AccessLogEntry.objects.count() == writers * per_writer
    assert list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, writers * per_writer + 1)
    )
    assert list(access_log_verify()) == []
