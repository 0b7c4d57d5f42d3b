"""Group commit for `POST /api/v1/signals` in the production server (docs/decisions/0007).

Taking one signal in through the ORM costs about fifteen statements; on two cores that caps intake near
150 signals/s, while everything before the first write (authentication, parsing, validation, the
free-text check) runs ten times faster. So in `waakvlam serve` each worker process has one writer thread:
a request checks its signal itself, hands it over and waits; the writer takes whatever has queued and
writes it set-based — keys, addresses, households, signals, history, notifications, stored answers and
access-log entries in about a dozen statements for the whole batch — and answers every request after the
one COMMIT. Invariants hold as in `signal_create`: a 201 is only sent after the commit that holds the
signal with its owner and due time, its history, notifications, idempotent answer and access-log entry.

Anything unusual falls back to the one-at-a-time path (`signal_create` inside `idempotent`), run by the
request's own thread after the batch: a retried Idempotency-Key, an external_id seen before, two
requests of one batch sharing a key or external_id, or any error in the batch (which is then rolled back
whole). That path gives the exact answers (replay, 409) and owns the rare races.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.db.models import F

from waakvlam.core.addresses import NormalisedAddress, normalise_address
from waakvlam.core.models import Address, Municipality, Neighbourhood, PostcodeArea
from waakvlam.households.linking import households_for_addresses
from waakvlam.intake.freetext import FreeTextCheck, free_text_check
from waakvlam.intake.models import IdempotencyKey, Signal, SignalEvent
from waakvlam.intake.selectors import signal_subject
from waakvlam.intake.services import (
    Reporter,
    SignalInput,
    announcement,
    default_municipality,
    first_history,
    new_tracking_code,
    signal_input_check,
)
from waakvlam.notify.models import Notification
from waakvlam.notify.services import notification_rows
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import access_log_deferred, access_log_record
from waakvlam.routing.services import signal_route

__all__ = [
    "Grouped",
    "IntakeWriter",
    "intake_writer",
    "intake_writer_start",
    "intake_writer_stop",
    "signals_write_batch",
]

logger = logging.getLogger("waakvlam.intake")

MAX_BATCH = 64
WAIT_SECONDS = 50.0  # below gunicorn's 60 s worker timeout


@dataclass
class Grouped:
    """One request's signal, checked, waiting for the writer. `answer` turns the stored signal into the
    response body; `outcome` is set by the writer: ("created", status, body) or ("fallback",)."""

    data: SignalInput
    reporter: Reporter
    context: str
    now: datetime
    answer: Callable[[Signal], dict[str, Any]]
    idempotency: tuple[str, str, str] | None = None  # scope, key, request hash
    description: str = ""
    check: FreeTextCheck | None = None
    address: NormalisedAddress | None = None
    outcome: tuple[Any, ...] = ("fallback",)
    done: threading.Event = field(default_factory=threading.Event)

    def prepare(self) -> None:
        """What needs no database, in the request's thread: raises SignalRefused / AddressError."""
        signal_input_check(self.data, now=self.now)
        self.description = self.data.description.strip()
        self.check = free_text_check(self.description)
        if self.data.address is not None:
            a = self.data.address
            self.address = normalise_address(a.postcode, a.house_number, a.house_letter, a.house_number_addition)

    @property
    def external_id(self) -> str:
        return self.data.external_id.strip()

    @property
    def organisation_id(self) -> int | None:
        return self.reporter.organisation.pk if self.reporter.organisation else None


# --- the batch ---------------------------------------------------------------------------------------------


def _chosen(items: list[Grouped]) -> list[Grouped]:
    """The items the batch writes: not a second use of a key or external_id within the batch, not a key
    or external_id stored before (those fall back and get the exact answer)."""
    seen_keys: set[tuple[str, str]] = set()
    seen_ids: set[tuple[int | None, str]] = set()
    first: list[Grouped] = []
    for item in items:
        key = item.idempotency[:2] if item.idempotency else None
        ext = (item.organisation_id, item.external_id) if item.external_id else None
        if (key and key in seen_keys) or (ext and ext in seen_ids):
            continue
        if key:
            seen_keys.add(key)
        if ext:
            seen_ids.add(ext)
        first.append(item)
    keys = [i.idempotency for i in first if i.idempotency]
    stored = set()
    if keys:
        scopes = {k[0] for k in keys}
        stored = set(
            IdempotencyKey.objects.filter(scope__in=scopes, key__in=[k[1] for k in keys]).values_list("scope", "key")
        )
    ids = [(i.organisation_id, i.external_id) for i in first if i.external_id]
    taken = set()
    if ids:
        taken = set(
            Signal.objects.filter(
                reporter_organisation_id__in={o for o, _ in ids}, external_id__in=[e for _, e in ids]
            ).values_list("reporter_organisation_id", "external_id")
        )
    return [
        i
        for i in first
        if not (i.idempotency and i.idempotency[:2] in stored)
        and not (i.external_id and (i.organisation_id, i.external_id) in taken)
    ]


def _areas(items: list[Grouped]) -> dict[tuple[str, int], PostcodeArea]:
    """The narrowest postcode range holding each address, as signal_create's _area_for chooses it."""
    postcodes = {i.address.postcode for i in items if i.address}
    if not postcodes:
        return {}
    found: dict[tuple[str, int], PostcodeArea] = {}
    rows = list(
        PostcodeArea.objects.filter(postcode__in=postcodes)
        .select_related("neighbourhood", "municipality")
        .defer("neighbourhood__outline")
        .order_by(F("number_to") - F("number_from"), "pk")
    )
    for item in items:
        a = item.address
        if a is None or (a.postcode, a.house_number) in found:
            continue
        for area in rows:
            if area.postcode == a.postcode and area.number_from <= a.house_number <= area.number_to:
                found[(a.postcode, a.house_number)] = area
                break
    return found


def _fallback_municipality(reporter: Reporter, cache: dict[str, Municipality]) -> Municipality:
    if reporter.organisation is not None:
        return reporter.organisation.municipality
    if "default" not in cache:
        cache["default"] = default_municipality()
    return cache["default"]


def _places(
    items: list[Grouped], now: datetime
) -> dict[int, tuple[Address | None, Neighbourhood | None, Municipality]]:
    """id(item) -> (address, neighbourhood, municipality), creating missing addresses as _place does."""
    areas = _areas(items)
    keys = {i.address.key for i in items if i.address}
    # The municipality along: an address outside the postcode table takes its signal's from it.
    existing = {a.key: a for a in Address.objects.filter(key__in=keys).select_related("municipality")} if keys else {}
    fallback: dict[str, Municipality] = {}
    new: dict[str, Address] = {}
    for item in items:
        a = item.address
        if a is None or a.key in existing or a.key in new:
            continue
        area = areas.get((a.postcode, a.house_number))
        new[a.key] = Address(
            key=a.key,
            municipality=area.municipality if area else _fallback_municipality(item.reporter, fallback),
            neighbourhood=area.neighbourhood if area else None,
            postcode=a.postcode,
            house_number=a.house_number,
            house_letter=a.house_letter,
            house_number_addition=a.house_number_addition,
            street=area.street if area else "",
            city=area.city if area else "",
        )
    if new:
        Address.objects.bulk_create(list(new.values()))  # a concurrent insert fails the batch: fallback
        existing.update(new)
    places: dict[int, tuple[Address | None, Neighbourhood | None, Municipality]] = {}
    for item in items:
        a = item.address
        if a is None:
            places[id(item)] = (None, None, _fallback_municipality(item.reporter, fallback))
            continue
        area = areas.get((a.postcode, a.house_number))
        row = existing[a.key]
        hood = area.neighbourhood if area else None
        if hood is not None and row.neighbourhood_id != hood.pk:
            row.neighbourhood = hood
            row.save(update_fields=["neighbourhood"])
        places[id(item)] = (row, hood or row.neighbourhood, area.municipality if area else row.municipality)
    return places


def _signal(
    item: Grouped, place: tuple[Address | None, Neighbourhood | None, Municipality], household: int | None
) -> Signal:
    address, hood, municipality = place
    assert item.check is not None
    data, reporter = item.data, item.reporter
    return Signal(
        municipality=municipality,
        category=data.category,
        urgency=data.urgency,
        description=item.description,
        description_masked=item.check.masked,
        privacy_flags=item.check.kinds,
        address=address,
        household_id=household,
        location_text=data.location_text.strip()[:200],
        neighbourhood=hood,
        observed_at=data.observed_at,
        received_at=item.now,
        updated_at=item.now,
        source_kind=data.source_kind or reporter.source_kind,
        reporter_organisation=reporter.organisation,
        reporter_user=reporter.user,
        external_id=item.external_id,
        tracking_code=new_tracking_code(),
    )


def signals_write_batch(items: list[Grouped]) -> None:
    """Write what can be written of `items` in one transaction and set each item's outcome; the others
    keep ("fallback",). Raises (after rolling back) when the batch fails; the caller falls back whole."""
    with transaction.atomic(), access_log_deferred():
        chosen = _chosen(items)
        if not chosen:
            return
        now = max(i.now for i in chosen)
        places = _places(chosen, now)
        linked = {
            place[0].pk: (place[0].municipality_id, place[0].neighbourhood_id)
            for place in places.values()
            if place[0] is not None
        }
        households = households_for_addresses(linked, now=now)
        signals = []
        for item in chosen:
            place = places[id(item)]
            signal = _signal(item, place, households.get(place[0].pk) if place[0] is not None else None)
            signal_route(signal=signal, now=item.now)
            signals.append(signal)
        Signal.objects.bulk_create(signals)  # a tracking-code clash (1 in 2^49) fails the batch: fallback
        events: list[SignalEvent] = []
        notes: list[Notification] = []
        for item, signal in zip(chosen, signals, strict=True):
            events += first_history(signal, item.reporter, item.now)
            notes += notification_rows(**announcement(signal, item.now))
            access_log_record(
                actor=item.reporter.access_actor(),
                action=AccessAction.CREATE,
                object_type="intake.signal",
                object_id=signal.pk,
                subject=signal_subject(signal),
                municipality_code=signal.municipality.code,
                context=item.context,
                now=item.now,
            )
        SignalEvent.objects.bulk_create(events)
        Notification.objects.bulk_create(notes, ignore_conflicts=True)
        answers = [(item, signal, item.answer(signal)) for item, signal in zip(chosen, signals, strict=True)]
        keys = [
            IdempotencyKey(
                scope=item.idempotency[0],
                key=item.idempotency[1],
                request_hash=item.idempotency[2],
                status_code=201,
                response=body,
                signal=signal,
                created_at=item.now,
            )
            for item, signal, body in answers
            if item.idempotency
        ]
        IdempotencyKey.objects.bulk_create(keys)  # a concurrent retry's key fails the batch: fallback
    for item, _signal_row, body in answers:
        item.outcome = ("created", 201, body)


# --- the writer thread --------------------------------------------------------------------------------------


class IntakeWriter:
    """One per server process: a queue of checked signals and the thread that writes them in batches."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Grouped | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="intake-writer", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def submit(self, item: Grouped) -> bool:
        """Queue `item` and wait for its batch. False when the writer did not answer in time (the item may
        still be written: the caller must not write it again but answer 503, so a retry replays)."""
        self._queue.put(item)
        return item.done.wait(WAIT_SECONDS)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish what is queued, close the thread's database connection and end the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        self._queue.put(None)  # stop after this batch
                        break
                    batch.append(item)
                self._write(batch)
        finally:
            connection.close()

    @staticmethod
    def _write(batch: list[Grouped]) -> None:
        try:
            close_old_connections()
            signals_write_batch(batch)
        except Exception:
            logger.exception("intake batch of %d failed; each signal is taken in one by one instead", len(batch))
            for item in batch:
                item.outcome = ("fallback",)
        finally:
            for item in batch:
                item.done.set()


_writer: list[IntakeWriter] = []
_writer_lock = threading.Lock()


def intake_writer_start() -> None:
    """Called by `waakvlam serve` in each worker process; everywhere else signals go one at a time."""
    with _writer_lock:
        if not _writer or not _writer[0].alive:
            _writer[:] = [IntakeWriter()]


def intake_writer() -> IntakeWriter | None:
    return _writer[0] if _writer and _writer[0].alive else None


def intake_writer_stop() -> None:
    with _writer_lock:
        if _writer:
            _writer.pop().stop()
