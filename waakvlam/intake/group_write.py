"""One batch of the intake writer (group_commit.py), written to PostgreSQL in four round trips.

1. One statement reads everything the batch depends on: stored Idempotency-Keys and external_ids (those
   items fall back), the postcode areas, the addresses already known with their households, and an id
   from the signal sequence for every item.
   (Missing addresses, then missing households (the creation steps, intake/creation.py): one statement
   each, only when there are any — after the first minutes of a day's traffic, rarely.)
2. One pipeline: the signals, with owner and due time set by the creation steps, their history,
   notifications and stored answers, the access log's lock and its tail.
3. The chained access-log entries.
4. COMMIT.

The statements' text never changes (core/pg_rows.py: the rows travel as JSON), so they are prepared once
per connection (`prepare=True`: Django turns psycopg's automatic preparing off for the sake of
connection poolers; the writer's connection is its own); the ORM's query compilation was most of the
writer's time. What a signal gets —
owner, due time, history, notifications, stored answer, access-log entry — comes from the same functions
signal_create uses (the creation steps, first_history, announcement, notification_rows, access_log_entry), and
tests/intake/test_group_commit.py compares the two paths row by row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from waakvlam.core.addresses import NormalisedAddress, normalise_address
from waakvlam.core.cache import process_cached
from waakvlam.core.models import Address, Municipality, Neighbourhood
from waakvlam.core.pg_rows import pg_cursor, pg_pipeline, row_shape
from waakvlam.intake.announcement import announcement
from waakvlam.intake.creation import signals_prepare
from waakvlam.intake.freetext import FreeTextCheck, free_text_check
from waakvlam.intake.lifecycle import Action, status_change
from waakvlam.intake.models import IdempotencyKey, Signal, SignalEvent, Status
from waakvlam.intake.selectors import signal_subject
from waakvlam.intake.services import (
    Reporter,
    SignalInput,
    default_municipality,
    first_history,
    new_tracking_code,
    signal_input_check,
)
from waakvlam.notify.models import Notification
from waakvlam.notify.services import notification_rows
from waakvlam.privacy.models import AccessAction, AccessLogEntry
from waakvlam.privacy.services import ACCESS_LOG_LOCK_SQL, ACCESS_LOG_TAIL_SQL, access_log_chain, access_log_entry

__all__ = ["Grouped", "signals_write_batch"]


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


# A place: the address id (None without an address), the signal's municipality and neighbourhood.
Place = tuple[int | None, Municipality, Neighbourhood | None]


def signals_write_batch(items: list[Grouped]) -> None:
    """Write what can be written of `items` in one transaction and set each item's outcome; the others
    keep ("fallback",). Raises (after rolling back) when the batch fails; the caller falls back whole."""
    with transaction.atomic():
        known = _Known.read(items)
        chosen = known.chosen(items)
        if not chosen:
            return
        places = known.places(chosen)
        signals = [_signal(item, places[id(item)], known.household_of) for item in chosen]
        # Households for new addresses, owners and due times: the creation steps (intake/creation.py).
        signals_prepare(signals, now=max(i.now for i in chosen))
        for signal, pk in zip(signals, known.signal_ids, strict=False):
            signal.pk = pk
            signal._state.adding, signal._state.db = False, "default"
        rows = _Rows(signals=signals)
        answers = []
        for item, signal in zip(chosen, signals, strict=True):
            rows.add(item, signal)
            answers.append((item, item.answer(signal)))
            if item.idempotency:
                scope, key, hashed = item.idempotency
                rows.keys.append(
                    IdempotencyKey(
                        scope=scope,
                        key=key,
                        request_hash=hashed,
                        status_code=201,
                        response=answers[-1][1],
                        signal=signal,
                        created_at=item.now,
                    )
                )
        rows.insert()  # a tracking-code clash (1 in 2^49) or a concurrent retry's key: fallback
    for item, body in answers:
        item.outcome = ("created", 201, body)


# --- what is known before writing ------------------------------------------------------------------------


def _municipality(pk: int) -> Municipality:
    return process_cached(("municipality", pk), lambda: Municipality.objects.get(pk=pk))


def _neighbourhood(pk: int | None) -> Neighbourhood | None:
    if pk is None:
        return None
    return process_cached(("neighbourhood", pk), lambda: Neighbourhood.objects.defer("outline").get(pk=pk))


# Everything a batch depends on in one statement (one round trip, one result row of JSON lists): stored
# Idempotency-Keys, external_ids already taken, the postcode areas (narrowest first), the addresses known
# with their households, and an id from the signal sequence for every item.
# Each look-up joins the wanted values (unnest) to a unique index, so it is one index probe per value in
# any plan. With `column = ANY(array)` instead, the prepared statement's generic plan could not use the
# partial external_id index (its condition cannot be proved for a parameter) and read every signal, a
# cost that grew with the table; and the custom plan, on statistics from when the table was small, read
# all of the organisation's signals.
_READ_SQL = """
SELECT
  (SELECT coalesce(json_agg(json_build_array(k.scope, k.key)), '[]')
    FROM unnest(%s::text[], %s::text[]) AS wanted(scope, key)
    JOIN intake_idempotencykey k ON k.scope = wanted.scope AND k.key = wanted.key),
  (SELECT coalesce(json_agg(json_build_array(s.reporter_organisation_id, s.external_id)), '[]')
    FROM unnest(%s::bigint[], %s::text[]) AS wanted(organisation, external_id)
    JOIN intake_signal s ON s.reporter_organisation_id = wanted.organisation AND s.external_id = wanted.external_id
      AND s.external_id <> ''),
  (SELECT coalesce(json_agg(json_build_array(p.postcode, p.number_from, p.number_to, p.municipality_id,
      p.neighbourhood_id, p.street, p.city) ORDER BY p.number_to - p.number_from, p.id), '[]')
    FROM unnest(%s::text[]) AS wanted(postcode) JOIN core_postcodearea p ON p.postcode = wanted.postcode),
  (SELECT coalesce(json_agg(json_build_array(a.key, a.id, a.municipality_id, a.neighbourhood_id, h.id)), '[]')
    FROM unnest(%s::text[]) AS wanted(key) JOIN core_address a ON a.key = wanted.key
    LEFT JOIN households_household h ON h.address_id = a.id),
  ARRAY(SELECT nextval(sequence) FROM pg_get_serial_sequence('intake_signal', 'id') AS sequence,
    generate_series(1, %s))
"""


@dataclass
class _Known:
    """What the database already holds that the batch depends on, read in one round trip."""

    stored_keys: set[tuple[str, str]]
    taken_ids: set[tuple[int, str]]
    # postcode -> [(number_from, number_to, municipality id, neighbourhood id, street, city)], narrowest first
    areas: dict[str, list[tuple[int, int, int, int, str, str]]]
    addresses: dict[str, tuple[int, int, int | None]]  # key -> (id, municipality id, neighbourhood id)
    household_of: dict[int, int]  # address id -> household id, where one exists
    signal_ids: list[int]  # taken from the sequence, one per item; those not written are simply not used

    @classmethod
    def read(cls, items: list[Grouped]) -> _Known:
        keys = [i.idempotency for i in items if i.idempotency]
        ids = [(i.organisation_id, i.external_id) for i in items if i.external_id and i.organisation_id]
        postcodes = sorted({i.address.postcode for i in items if i.address})
        address_keys = sorted({i.address.key for i in items if i.address})
        with pg_cursor() as cursor:
            cursor.execute(
                _READ_SQL,
                [
                    [k[0] for k in keys],
                    [k[1] for k in keys],
                    [o for o, _ in ids],
                    [e for _, e in ids],
                    postcodes,
                    address_keys,
                    len(items),
                ],
                prepare=True,
            )
            row = cursor.fetchone()
        assert row is not None  # a SELECT without FROM always gives one row
        stored, taken, area_rows, found, signal_ids = row
        areas: dict[str, list[tuple[int, int, int, int, str, str]]] = {}
        for postcode, *area in area_rows:
            areas.setdefault(postcode, []).append(tuple(area))  # type: ignore[arg-type]
        return cls(
            stored_keys={(scope, key) for scope, key in stored},
            taken_ids={(organisation, external_id) for organisation, external_id in taken},
            areas=areas,
            addresses={key: (pk, m, n) for key, pk, m, n, _h in found},
            household_of={pk: h for _k, pk, _m, _n, h in found if h is not None},
            signal_ids=list(signal_ids),
        )

    def chosen(self, items: list[Grouped]) -> list[Grouped]:
        """The items the batch writes: not a second use of a key or external_id within the batch, not a key
        or external_id stored before (those fall back and get the exact answer)."""
        seen_keys: set[tuple[str, str]] = set(self.stored_keys)
        seen_ids: set[tuple[int | None, str]] = set(self.taken_ids)
        chosen: list[Grouped] = []
        for item in items:
            key = (item.idempotency[0], item.idempotency[1]) if item.idempotency else None
            ext = (item.organisation_id, item.external_id) if item.external_id else None
            if (key and key in seen_keys) or (ext and ext in seen_ids):
                # A stored one falls back; a second in the batch too, though the first is written.
                continue
            if key:
                seen_keys.add(key)
            if ext:
                seen_ids.add(ext)
            chosen.append(item)
        return chosen

    def _area(self, postcode: str, number: int) -> tuple[int, int, int, int, str, str] | None:
        """The narrowest postcode range holding the address, as signal_create's _area_for chooses it."""
        for area in self.areas.get(postcode, ()):
            if area[0] <= number <= area[1]:
                return area
        return None

    def places(self, items: list[Grouped]) -> dict[int, Place]:
        """id(item) -> its place, creating missing addresses and moving known ones into the neighbourhood
        the postcode table now gives them, as signal_create's _place does."""
        areas = {id(i): self._area(i.address.postcode, i.address.house_number) for i in items if i.address}
        new: dict[str, Address] = {}
        moved: dict[int, int] = {}
        for item in items:
            a = item.address
            if a is None:
                continue
            area = areas[id(item)]
            known = self.addresses.get(a.key)
            if known is None and a.key not in new:
                new[a.key] = Address(
                    key=a.key,
                    municipality_id=area[2] if area else _fallback_municipality(item).pk,
                    neighbourhood_id=area[3] if area else None,
                    postcode=a.postcode,
                    house_number=a.house_number,
                    house_letter=a.house_letter,
                    house_number_addition=a.house_number_addition,
                    street=area[4] if area else "",
                    city=area[5] if area else "",
                )
            elif known is not None and area is not None and known[2] != area[3]:
                moved[known[0]] = area[3]
                self.addresses[a.key] = (known[0], known[1], area[3])
        if new:  # a concurrent insert of the same address fails the batch: fallback
            with pg_cursor() as cursor:
                cursor.execute(*row_shape(Address).insert(list(new.values()), suffix="RETURNING id"))
                for address, (pk,) in zip(new.values(), cursor.fetchall(), strict=True):
                    self.addresses[address.key] = (pk, address.municipality_id, address.neighbourhood_id)
        if moved:
            with pg_cursor() as cursor:
                cursor.execute(
                    "UPDATE core_address SET neighbourhood_id = m.n FROM unnest(%s::bigint[], %s::bigint[]) "
                    "AS m(id, n) WHERE core_address.id = m.id",
                    [list(moved), list(moved.values())],
                )
        places: dict[int, Place] = {}
        for item in items:
            a = item.address
            if a is None:
                places[id(item)] = (None, _fallback_municipality(item), None)
                continue
            area = areas[id(item)]
            pk, municipality_id, hood_id = self.addresses[a.key]
            municipality = _municipality(area[2] if area else municipality_id)
            places[id(item)] = (pk, municipality, _neighbourhood(area[3] if area else hood_id))
        return places


def _fallback_municipality(item: Grouped) -> Municipality:
    if item.reporter.organisation is not None:
        return item.reporter.organisation.municipality
    return process_cached(("municipality", "default"), default_municipality)


def _signal(item: Grouped, place: Place, households: dict[int, int]) -> Signal:
    address_id, municipality, hood = place
    assert item.check is not None
    data, reporter = item.data, item.reporter
    signal = Signal(
        municipality=municipality,
        category=data.category,
        urgency=data.urgency,
        description=item.description,
        description_masked=item.check.masked,
        privacy_flags=item.check.kinds,
        address_id=address_id,
        household_id=households.get(address_id) if address_id is not None else None,
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
    status_change(signal, action=Action.CREATE, to=Status.RECEIVED)
    return signal


# --- writing ------------------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """A batch's rows, sent in one pipeline: signals, history, notifications, stored answers, then the
    access log's lock and tail; the chained entries follow, so the chain's lock is held for one round trip
    and the COMMIT."""

    signals: list[Signal]
    events: list[SignalEvent] = field(default_factory=list)
    notes: list[Notification] = field(default_factory=list)
    keys: list[IdempotencyKey] = field(default_factory=list)
    entries: list[AccessLogEntry] = field(default_factory=list)

    def add(self, item: Grouped, signal: Signal) -> None:
        self.events += first_history(signal, item.reporter, item.now)
        self.notes += notification_rows(**announcement(signal, item.now))
        self.entries.append(
            access_log_entry(
                actor=item.reporter.access_actor(),
                action=AccessAction.CREATE,
                object_type="intake.signal",
                object_id=signal.pk,
                subject=signal_subject(signal),
                municipality_code=signal.municipality.code,
                context=item.context,
                now=item.now,
            )
        )

    def insert(self) -> None:
        """Everything in one statement (data-modifying WITH clauses; the foreign keys are checked at its
        end, when every row is in) that ends by taking the chain's lock; the tail read follows as a
        statement of its own, so its snapshot is taken after the lock was granted."""
        parts = [row_shape(Signal, with_pk=True).insert(self.signals), row_shape(SignalEvent).insert(self.events)]
        if self.notes:
            parts.append(row_shape(Notification).insert(self.notes, suffix="ON CONFLICT DO NOTHING"))
        if self.keys:
            parts.append(row_shape(IdempotencyKey).insert(self.keys))
        rows = "WITH " + ", ".join(f"w{n} AS ({sql})" for n, (sql, _params) in enumerate(parts))
        with pg_pipeline(), pg_cursor() as cursor, pg_cursor() as tail:
            cursor.execute(f"{rows} {ACCESS_LOG_LOCK_SQL}", [p for _sql, params in parts for p in params], prepare=True)
            tail.execute(ACCESS_LOG_TAIL_SQL, prepare=True)
            last = tail.fetchone()  # waits for everything above
            access_log_chain(self.entries, (int(last[0]), str(last[1])) if last else None)
            cursor.execute(*row_shape(AccessLogEntry, with_pk=True).insert(self.entries), prepare=True)
