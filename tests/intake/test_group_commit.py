"""Group commit (docs/decisions/0007): a batch stores exactly what signal_create stores, one by one;
anything unusual is left to the one-at-a-time path; a failed batch stores nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.intake.conftest import signal_body
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Address, ApiKey, Municipality, Neighbourhood, Organisation
from waakvlam.intake import group_commit, group_write
from waakvlam.intake.group_commit import Grouped, IntakeWriter, signals_write_batch
from waakvlam.intake.idempotency import idempotent
from waakvlam.intake.models import IdempotencyKey, Signal, SignalEvent
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_verify

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="group commit runs on PostgreSQL only")


@pytest.fixture
def reporter(town: Municipality, areas: dict[str, Neighbourhood]) -> Reporter:
    key, _ = api_key_create(organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:write"])
    key = ApiKey.objects.select_related("organisation__municipality").get(pk=key.pk)
    return Reporter.for_api_key(key, actor=Actor(organisation="woonstede", api_key_prefix=key.prefix, role="api"))


def _data(**fields: Any) -> SignalInput:
    values: dict[str, Any] = {
        "category": "neglect",
        "urgency": "normal",
        "description": "Post stapelt zich op, Jan de Vries belt niet terug: 06-12345678.",
        "address": AddressInput("9901 ab", "12"),
    }
    values.update(fields)
    return SignalInput(**values)


def _body(signal: Signal) -> dict[str, Any]:
    return {"id": signal.pk, "tracking_code": signal.tracking_code}


def _item(reporter: Reporter, now: datetime, key: str | None = None, **fields: Any) -> Grouped:
    item = Grouped(
        data=_data(**fields),
        reporter=reporter,
        context="api:signal_create",
        now=now,
        answer=_body,
        idempotency=("org:1", key, "hash-" + key) if key else None,
    )
    item.prepare()
    return item


def _stored(signal_id: int) -> dict[str, Any]:
    """What a signal's creation left behind, without what differs by design (ids, codes, time)."""
    signal = Signal.objects.get(pk=signal_id)
    events = [
        (e.kind, e.actor_label, e.team_id, e.note.replace(signal.tracking_code, "CODE"))
        for e in SignalEvent.objects.filter(signal=signal).order_by("pk")
    ]
    notes = sorted(
        (n.kind, n.channel, n.recipient_id, n.urgent, n.subject.replace(signal.tracking_code, "CODE"), n.body)
        for n in Notification.objects.filter(dedupe_key=f"signal:{signal.pk}:new")
    )
    log = AccessLogEntry.objects.get(object_type="intake.signal", object_id=str(signal.pk), action="create")
    return {
        "signal": (
            signal.municipality_id,
            signal.address_id,
            signal.household_id,
            signal.neighbourhood_id,
            signal.owner_team_id,
            signal.owner_user_id,
            signal.due_at,
            signal.status,
            signal.description,
            signal.description_masked,
            signal.privacy_flags,
            signal.source_kind,
            signal.reporter_organisation_id,
        ),
        "events": events,
        "notifications": notes,
        "log": (log.username, log.role, log.organisation, log.api_key_prefix, log.subject, log.context),
    }


@postgres_only
def test_a_batch_stores_what_signal_create_stores(reporter: Reporter) -> None:
    now = timezone.now()
    one = signal_create(data=_data(urgency="high"), reporter=reporter, now=now, context="api:signal_create")
    items = [_item(reporter, now, urgency="high"), _item(reporter, now, key="k-2", address=AddressInput("9921CD", "3"))]
    signals_write_batch(items)
    assert [i.outcome[0] for i in items] == ["created", "created"]
    first = items[0].outcome[2]["id"]
    assert _stored(first) == _stored(one.pk)
    west = Signal.objects.get(pk=items[1].outcome[2]["id"])
    assert west.owner_team.name == "Waakvlam West" and west.household_id is not None
    stored = IdempotencyKey.objects.get(scope="org:1", key="k-2")
    assert (stored.status_code, stored.response, stored.signal_id) == (201, items[1].outcome[2], west.pk)
    assert not list(access_log_verify())


@postgres_only
def test_the_same_address_twice_in_a_batch_is_one_address_and_household(reporter: Reporter) -> None:
    now = timezone.now()
    items = [_item(reporter, now, address=AddressInput("9902EF", "60")) for _ in range(3)]
    signals_write_batch(items)
    signals = Signal.objects.filter(pk__in=[i.outcome[2]["id"] for i in items])
    assert len({(s.address_id, s.household_id) for s in signals}) == 1
    assert {s.neighbourhood.code for s in signals} == {"BU99990200"}  # Molenwijk: numbers 50 and up


@postgres_only
def test_a_known_address_moves_to_the_neighbourhood_its_postcode_now_gives(reporter: Reporter) -> None:
    now = timezone.now()
    first = signal_create(data=_data(address=AddressInput("9902EF", "61")), reporter=reporter, now=now)
    address = Address.objects.get(pk=first.address_id)
    right = address.neighbourhood_id
    Address.objects.filter(pk=address.pk).update(neighbourhood=None)
    items = [_item(reporter, now, address=AddressInput("9902 ef", "61"))]
    signals_write_batch(items)
    signal = Signal.objects.get(pk=items[0].outcome[2]["id"])
    assert (signal.address_id, signal.neighbourhood_id) == (address.pk, right)
    assert Address.objects.get(pk=address.pk).neighbourhood_id == right


@postgres_only
def test_an_address_outside_the_postcode_table_takes_the_reporters_municipality(reporter: Reporter) -> None:
    now = timezone.now()
    items = [_item(reporter, now, address=AddressInput("1011AB", "5"))]
    signals_write_batch(items)
    signal = Signal.objects.get(pk=items[0].outcome[2]["id"])
    assert signal.neighbourhood_id is None and signal.address.neighbourhood_id is None
    assert signal.municipality_id == reporter.organisation.municipality_id
    assert signal.owner_team_id is not None and signal.due_at is not None


@postgres_only
def test_unusual_items_are_left_to_the_one_at_a_time_path(reporter: Reporter) -> None:
    now = timezone.now()
    signal_create(data=_data(external_id="SEEN-1"), reporter=reporter, now=now)
    idempotent(
        scope="org:1",
        key="stored",
        hashed="hash-stored",
        now=now,
        produce=lambda: (201, {"id": 0}, None),
    )
    items = [
        _item(reporter, now, key="twice"),
        _item(reporter, now, key="twice"),  # the same key in one batch: the second waits for the first
        _item(reporter, now, key="stored"),  # a retry: replayed (or 409) by the one-at-a-time path
        _item(reporter, now, external_id="SEEN-1"),  # known: a 409 from the one-at-a-time path
        _item(reporter, now, external_id="NEW-1"),
        _item(reporter, now, external_id="NEW-1"),
    ]
    before = Signal.objects.count()
    signals_write_batch(items)
    assert [i.outcome[0] for i in items] == ["created", "fallback", "fallback", "fallback", "created", "fallback"]
    assert Signal.objects.count() == before + 2


@postgres_only
def test_a_failing_batch_stores_nothing_and_every_item_falls_back(
    reporter: Reporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    taken = signal_create(data=_data(), reporter=reporter, now=now).tracking_code
    monkeypatch.setattr(group_write, "new_tracking_code", lambda: taken)  # a clash: the insert fails
    items = [_item(reporter, now, key="a"), _item(reporter, now, key="b")]
    signals, logged, keys = Signal.objects.count(), AccessLogEntry.objects.count(), IdempotencyKey.objects.count()
    IntakeWriter._write(items)
    assert [i.outcome for i in items] == [("fallback",), ("fallback",)]
    assert all(i.done.is_set() for i in items)
    assert (Signal.objects.count(), AccessLogEntry.objects.count(), IdempotencyKey.objects.count()) == (
        signals,
        logged,
        keys,
    )


@pytest.fixture
def running_writer() -> Iterator[IntakeWriter]:
    group_commit.intake_writer_start()
    writer = group_commit.intake_writer()
    assert writer is not None
    yield writer
    # Later tests take signals in one at a time again; the thread closes its connection as it ends.
    group_commit.intake_writer_stop()
    assert not writer.alive


# The writer thread has a database connection of its own, so it sees only committed data.
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_through_the_writer(
    town: Municipality,
    areas: dict[str, Neighbourhood],
    running_writer: IntakeWriter,
    post_json: Callable[..., Any],
    api_key: Callable[..., str],
) -> None:
    key = api_key()
    first = post_json("/api/v1/signals", signal_body(external_id="W-1"), key=key, idem="w-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["owner"] == "Waakvlam Centrum-Oost" and body["privacy_flags"] == []
    again = post_json("/api/v1/signals", signal_body(external_id="W-1"), key=key, idem="w-1")
    assert again.status_code == 201 and again.json() == body and again["Idempotent-Replayed"] == "true"
    other = post_json("/api/v1/signals", signal_body(external_id="W-1"), key=key, idem="w-2")
    assert other.status_code == 409
    bad = post_json("/api/v1/signals", signal_body(address={"postcode": "12", "house_number": "1"}), key=key)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-2:] == ["address", "postcode"]
    assert Signal.objects.filter(external_id="W-1").count() == 1
    assert not list(access_log_verify())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="about the default database, SQLite")
def test_on_sqlite_the_server_starts_no_writer() -> None:
    group_commit.intake_writer_start()
    assert group_commit.intake_writer() is None
