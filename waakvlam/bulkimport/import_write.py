"""Writing one batch of imported signals: one transaction per batch, set-based throughout.

Per batch (BATCH_SIZE rows): which external_ids the organisation already has (duplicates, not written),
the addresses (found by key; missing ones created and placed in their neighbourhood by the postcode table,
as signal_create places one), then the creation steps the apps above intake register (intake/creation.py:
the households at those addresses, the owner and due time of every signal, routed as the API routes it),
then the signals, their first two history steps (received, assigned) and one
access-log entry per signal, and one notification per owning team per import run.

The access log: one entry per imported signal (SECURITY.md: one per create of personal data), appended
for the whole batch at once by import_log.access_log_append_many, last before COMMIT.

Durability: on PostgreSQL every batch but the last commits with synchronous_commit off, so the import
does not wait for a disk flush 500 times; the last (synchronous) commit flushes everything before it. A
database crash in between can lose recently committed batches, never half a batch; running the import
again puts them in (external_id is unique per organisation), which is what a killed import needs anyway.

Concurrency: on PostgreSQL two writers (bulk_import.WRITERS, each its own connection and BatchWriter)
write batches of the same run at the same time, and another import or the API may write signals of the
same organisation meanwhile. Nothing serialises whole batches; instead:
- an external_id written by two transactions at once: the unique index makes the second wait for the
  first and then fail; its batch rolls back and is written again, and then finds the id taken (a
  duplicate, as when it had come later);
- addresses, households and notifications are inserted with ON CONFLICT DO NOTHING, each in a fixed
  order (by key, by address id, by owner), so two batches wait for each other rather than deadlock; a
  deadlock anyway (signals with the same external ids in another order) rolls one batch back, which is
  then written again;
- the access log is appended last, under its own lock (held to COMMIT), so the chain stays one chain.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from waakvlam.bulkimport.import_log import access_log_append_many
from waakvlam.bulkimport.import_rows import Row
from waakvlam.bulkimport.import_sql import copy_rows, insert_ignore_returning, pg_array, select_where_in
from waakvlam.core.i18n import dutch, dutch_path
from waakvlam.core.models import Address, Municipality, Organisation, PostcodeArea, Team, User
from waakvlam.core.roles import CARE_ROLES
from waakvlam.intake.creation import SignalDraft, signals_prepare
from waakvlam.intake.lifecycle import Action, status_after
from waakvlam.intake.models import Signal, SignalEvent, SourceKind, Urgency
from waakvlam.intake.services import TRACKING_ALPHABET, TRACKING_LENGTH
from waakvlam.notify.catalogue import register_kind, register_values
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.services import Actor

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
IMPORT_SUBJECT, IMPORT_BODY = register_kind(
    "signal_new",
    gettext_noop("Nieuwe signalen uit een bestand van %(organisation)s"),
    gettext_noop(
        "%(organisation)s heeft een bestand met signalen aangeleverd; een deel ervan is aan %(team)s "
        "toegewezen. Je vindt ze in je inbox."
    ),
)
(YOUR_TEAM,) = register_values(gettext_noop("je team"))

__all__ = ["BatchWriter", "encrypt_details", "signal_columns_complete", "taken_external_ids", "tracking_codes"]

# What rolls a batch back so that it is simply written again (PostgreSQL's SQLSTATEs): a deadlock, a
# serialisation failure. (IntegrityError, a unique index, is retried as well.)
_RETRY_STATES = frozenset({"40P01", "40001"})
MAX_CACHED_POSTCODES = 200_000
# Addresses and households met earlier in the run, so a file that names the same addresses again and
# again (an arrears file does) looks each one up once; bounded so a nationwide file cannot exhaust memory.
MAX_CACHED_ADDRESSES = 300_000

# Tracking codes: random bytes mapped onto the 31-symbol alphabet; bytes 248-255 are dropped so every
# symbol is equally likely (248 = 8 x 31).
_ALPHABET_TABLE = bytes(ord(TRACKING_ALPHABET[b % 31]) if b < 248 else 0 for b in range(256))
_DROP = bytes(range(248, 256))

# A place: (address id, signal's municipality id, signal's neighbourhood id).
Place = tuple[int, int, int | None]
# An address as stored: (id, municipality id, neighbourhood id).
Stored = tuple[int, int, int | None]
# A route: (owner team id, owner user id, due time).
Route = tuple[int, int | None, datetime]
Area = tuple[int, int, int, int, str, str]  # number_from, number_to, municipality, neighbourhood, street, city


def _sqlstate(error: BaseException) -> str:
    cause = error.__cause__
    return str(getattr(cause, "sqlstate", "") or "")


def taken_external_ids(cursor: Any, organisation_id: int, external_ids: list[str]) -> set[str]:
    """Which of `external_ids` the organisation already has (PostgreSQL): one probe of the unique index
    per id, whatever the planner's statistics say. A plain `external_id = ANY(…)` was planned, on a
    freshly loaded database whose statistics still said the signals table was empty, as a walk through
    all of the organisation's entries per batch: 13.5 s of PostgreSQL's CPU per million rows for the
    reading process's check alone, growing with the table. LATERAL … LIMIT 1 can only be a probe."""
    if not external_ids:
        return set()
    table = connection.ops.quote_name(Signal._meta.db_table)
    cursor.execute(
        f"SELECT k.external_id FROM unnest(%s::text[]) AS k(external_id) CROSS JOIN LATERAL "  # noqa: S608 - name from _meta
        f"(SELECT 1 FROM {table} s WHERE s.reporter_organisation_id = %s AND NOT (s.external_id = '') "
        "AND s.external_id = k.external_id LIMIT 1) AS found",
        [pg_array(external_ids)[0], organisation_id],
    )
    return {external_id for (external_id,) in cursor.fetchall()}


def encrypt_details(rows: list[Row]) -> None:
    """Set debtor_token, the debtor details encrypted as Signal.debtor_details stores them (its field's
    own Fernet), on the rows that have details and no token yet."""
    encrypt = Signal._meta.get_field("debtor_details").f.encrypt  # type: ignore[attr-defined]
    for row in rows:
        if row.debtor_details and row.debtor_token is None:
            row.debtor_token = encrypt(row.debtor_details.encode()).decode()


def tracking_codes(count: int) -> list[str]:
    """`count` distinct fresh tracking codes, each as likely as intake's new_tracking_code draws them."""
    codes: set[str] = set()
    while len(codes) < count:
        want = count - len(codes)
        text = secrets.token_bytes(want * TRACKING_LENGTH * 9 // 8 + 16).translate(_ALPHABET_TABLE, _DROP).decode()
        for start in range(0, len(text) - TRACKING_LENGTH + 1, TRACKING_LENGTH):
            codes.add(text[start : start + TRACKING_LENGTH])
    return list(codes)[:count]


def _moment(value: datetime | None) -> Any:
    """A datetime as the driver takes it: as it is for psycopg, Django's text form for SQLite."""
    if value is None or connection.vendor == "postgresql":
        return value
    return connection.ops.adapt_datetimefield_value(value)


def _columns(model: Any, attnames: Sequence[str]) -> list[str]:
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [by_attname[a] for a in attnames]


class BatchWriter:
    """Writes the valid rows of one import run, batch by batch; see the module doc."""

    def __init__(
        self,
        *,
        organisation: Organisation,
        actor: Actor,
        run_id: str,
        context: str,
        dry_run: bool = False,
    ) -> None:
        self.org = organisation
        self.actor = actor
        self.run_id = run_id
        self.context = context[:200]
        self.dry_run = dry_run
        self._seen: set[int] = set()  # dry run: external ids met earlier in the file
        self._areas: dict[str, list[Area]] = {}
        self._municipality_codes: dict[int, str] = {}
        self._team_names: dict[int, str] = {}
        self._user_names: dict[int, str] = {}
        self._announced: set[str] = set()
        # What earlier batches of this run found or created, and what the current batch adds: the latter
        # joins the former only once its batch has committed (a rolled-back batch's new rows are gone).
        self._stored: dict[str, Stored] = {}
        self._households: dict[int, int] = {}
        self._new_stored: dict[str, Stored] = {}
        self._new_households: dict[int, int] = {}
        self._sequence: str | None = None  # of the signals' ids (PostgreSQL)
        self._source_labels = {str(k): dutch(v).lower() for k, v in SourceKind.choices}

    # --- the batch ----------------------------------------------------------------------------------------

    def _prepare(self, rows: list[Row]) -> None:
        """Encrypted contact details and tracking codes, for the rows that will be written (not for
        duplicates: re-importing a file would otherwise encrypt every row of it for nothing). The reading
        process may have encrypted most of them already (bulk_import._encrypt_new)."""
        for row, code in zip(rows, tracking_codes(len(rows)), strict=True):
            row.tracking_code = code
        encrypt_details(rows)

    def write(self, rows: list[Row], *, final: bool = False) -> list[Row]:
        """Write `rows` in one transaction; returns the rows that were duplicates (and so not written).
        `final`: the last batch of the run, committed synchronously (see the module doc)."""
        if not rows:
            if final and not self.dry_run and connection.vendor == "postgresql":
                # A commit with a transaction id is flushed to disk, and with it every earlier one.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT txid_current()")
            return []
        unique, duplicates = self._dedupe(rows)
        if self.dry_run:
            taken = self._taken([r.external_id for r in unique])
            for row in unique:
                if row.external_id in taken or hash(row.external_id) in self._seen:
                    duplicates.append(row)
                else:
                    self._seen.add(hash(row.external_id))
            return duplicates
        for attempt in range(3):
            announced = set(self._announced)
            self._new_stored, self._new_households = {}, {}
            try:
                with transaction.atomic():
                    if connection.vendor == "postgresql" and not final:
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    written = self._write(unique)
            except (IntegrityError, OperationalError) as error:
                # A tracking code drawn twice (1 in 10^14), an external_id written by another transaction
                # at the same moment (the other writer, another import, the API), or a deadlock with one:
                # the batch rolled back as a whole (its notifications too); do it again, looking
                # everything up afresh.
                if isinstance(error, OperationalError) and _sqlstate(error) not in _RETRY_STATES:
                    raise
                self._announced = announced
                self._stored.clear()
                self._households.clear()
                if attempt == 2:
                    raise
                continue
            if len(self._stored) + len(self._new_stored) > MAX_CACHED_ADDRESSES:
                self._stored.clear()
                self._households.clear()
            self._stored.update(self._new_stored)
            self._households.update(self._new_households)
            return duplicates + written
        return duplicates  # not reached

    @staticmethod
    def _dedupe(rows: list[Row]) -> tuple[list[Row], list[Row]]:
        seen: set[str] = set()
        unique, duplicates = [], []
        for row in rows:
            if row.external_id in seen:
                duplicates.append(row)
            else:
                seen.add(row.external_id)
                unique.append(row)
        return unique, duplicates

    def _taken(self, external_ids: list[str]) -> set[str]:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                return taken_external_ids(cursor, self.org.pk, external_ids)
        found = select_where_in(
            Signal,
            ["external_id"],
            "external_id",
            external_ids,
            # The condition of the unique index it must use, spelled out: without it neither PostgreSQL
            # (for an array of more than 100 values) nor SQLite proves the partial index applies, and
            # scans every signal of the organisation instead, once per batch.
            extra="reporter_organisation_id = %s AND NOT (external_id = '')",
            extra_params=[self.org.pk],
        )
        return {external_id for (external_id,) in found}

    def _write(self, rows: list[Row]) -> list[Row]:
        now = timezone.now()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The batch's look-ups probe unique indexes with a few thousand keys each. Seeing one large
                # array, the planner tends to read every signal of the organisation (or every address)
                # instead, which costs more each batch as the table grows: 30 ms at 100,000 signals.
                cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        taken = self._taken([r.external_id for r in rows])
        duplicates = [r for r in rows if r.external_id in taken]
        if duplicates:
            rows = [r for r in rows if r.external_id not in taken]
        if not rows:
            return duplicates
        self._prepare(rows)
        places = self._addresses(rows)
        households, routes = self._prepare_signals(rows, places, now)
        signal_ids = self._insert_signals(rows, places, households, routes, now)
        self._insert_events(rows, routes, signal_ids, now)
        self._announce({(team, user) for team, user, _due in routes}, now)
        self._access_log_append(rows, places, signal_ids, now)
        return duplicates

    # --- where ----------------------------------------------------------------------------------------------

    def _area(self, postcode: str, number: int) -> Area | None:
        """The narrowest postcode range holding the number."""
        for area in self._areas.get(postcode, ()):
            if area[0] <= number <= area[1]:
                return area
        return None

    def _load_areas(self, postcodes: set[str]) -> None:
        wanted = [p for p in postcodes if p not in self._areas]
        if not wanted:
            return
        if len(self._areas) + len(wanted) > MAX_CACHED_POSTCODES:  # a nationwide file: bound the memory
            self._areas = {p: a for p, a in self._areas.items() if p in postcodes}
        for postcode in wanted:
            self._areas[postcode] = []
        columns = ["postcode", "number_from", "number_to", "municipality_id", "neighbourhood_id", "street", "city"]
        rows = select_where_in(PostcodeArea, _columns(PostcodeArea, [*columns, "id"]), "postcode", wanted)
        for postcode, low, high, municipality_id, hood_id, street, city, _pk in sorted(
            rows, key=lambda r: (r[2] - r[1], r[7])
        ):
            self._areas[postcode].append((low, high, municipality_id, hood_id, street, city))

    def _addresses(self, rows: list[Row]) -> dict[str, Place]:
        """key → place, decided as intake's _place decides it for one signal: the postcode table's
        neighbourhood and municipality when it knows the postcode, else the address's own (a new address
        outside the table belongs to the organisation's municipality)."""
        self._load_areas({r.postcode for r in rows})
        by_key = {r.key: r for r in rows}
        stored = self._stored
        found: dict[str, Stored] = {}
        unknown = []
        for key in by_key:
            known = stored.get(key)
            if known is None:
                unknown.append(key)
            else:
                found[key] = known
        columns = _columns(Address, ["key", "id", "municipality_id", "neighbourhood_id"])
        fresh = {key: (pk, m, n) for key, pk, m, n in select_where_in(Address, columns, "key", unknown)}
        found.update(fresh)
        self._new_stored.update(fresh)
        missing = [by_key[key] for key in unknown if key not in fresh]
        if missing:
            new = []
            missing.sort(key=lambda r: r.key)  # a fixed order: see the module doc, concurrency
            for r in missing:
                area = self._area(r.postcode, r.house_number)
                new.append(
                    (
                        area[2] if area else self.org.municipality_id,
                        area[3] if area else None,
                        r.postcode,
                        r.house_number,
                        r.house_letter,
                        r.house_number_addition,
                        area[4] if area else "",
                        area[5] if area else "",
                        r.key,
                    )
                )
            names = [
                "municipality_id",
                "neighbourhood_id",
                "postcode",
                "house_number",
                "house_letter",
                "house_number_addition",
                "street",
                "city",
                "key",
            ]
            for key, pk, m, n in insert_ignore_returning(
                Address, _columns(Address, names), new, conflict="key", returning=columns
            ):
                found[key] = self._new_stored[key] = (pk, m, n)
            rest = [r.key for r in missing if r.key not in found]  # created meanwhile by someone else
            for key, pk, m, n in select_where_in(Address, columns, "key", rest):
                found[key] = self._new_stored[key] = (pk, m, n)
        places: dict[str, Place] = {}
        moved: dict[int, list[int]] = {}
        for key, (pk, municipality_id, hood_id) in found.items():
            row = by_key[key]
            area = self._area(row.postcode, row.house_number)
            if area is not None:
                if hood_id != area[3]:
                    moved.setdefault(area[3], []).append(pk)  # the postcode table knows better now
                    self._new_stored[key] = (pk, municipality_id, area[3])
                municipality_id, hood_id = area[2], area[3]
            places[key] = (pk, municipality_id, hood_id)
        for hood_id, address_ids in moved.items():
            Address.objects.filter(pk__in=address_ids).update(neighbourhood_id=hood_id)
        return places

    def _prepare_signals(
        self, rows: list[Row], places: dict[str, Place], now: datetime
    ) -> tuple[dict[int, int], list[Route]]:
        """Run the creation steps (intake/creation.py) on a draft per row: address id → household id, and
        every row's route. Households found by earlier batches of the run are handed in, so only new
        addresses are looked up."""
        known = self._households
        org_id, normal = self.org.pk, Urgency.NORMAL.value
        # Positional, in SignalDraft's field order: a dataclass called with eight keywords costs twice as
        # much, and this runs once per row of files of a million rows.
        drafts = [
            SignalDraft(municipality_id, row.category, normal, hood_id, address_id, org_id, now, known.get(address_id))
            for row in rows
            for address_id, municipality_id, hood_id in (places[row.key],)
        ]
        signals_prepare(drafts, now=now)
        found = {draft.address_id: draft.household_id for draft in drafts}
        routes: list[Route] = []
        # The routing step hands every draft with the same criteria the same team, user and due time
        # objects: turn each such trio into a route (ids, names remembered) once, not once per row.
        made: dict[tuple[int, int, datetime | None], Route] = {}
        for draft in drafts:
            team, user, due = draft.owner_team, draft.owner_user, draft.due_at
            key = (id(team), id(user), due)
            route = made.get(key)
            if route is None:
                assert team is not None and due is not None
                if team.pk not in self._team_names:
                    self._team_names[team.pk] = team.name
                if user is not None and user.pk not in self._user_names:
                    self._user_names[user.pk] = user.get_full_name() or user.get_username()
                route = made[key] = (team.pk, user.pk if user is not None else None, due)
            routes.append(route)
        assert None not in found and None not in found.values()
        households = cast(dict[int, int], found)
        for address_id, household_id in households.items():
            if address_id not in known:
                self._new_households[address_id] = household_id
        return households, routes

    # --- the rows -------------------------------------------------------------------------------------------

    def _insert_signals(
        self,
        rows: list[Row],
        places: dict[str, Place],
        households: dict[int, int],
        routes: list[Route],
        now: datetime,
    ) -> list[int]:
        at = _moment(now)
        sqlite = connection.vendor != "postgresql"
        org_id = self.org.pk
        normal, received = Urgency.NORMAL.value, status_after(Action.CREATE, None).value
        dues: dict[datetime, Any] = {}
        defaults = tuple(_SIGNAL_DEFAULTS.values())
        ids = self._signal_ids(len(rows))
        parsed: dict[str, Any] = {}

        def flags(text: str) -> Any:
            # PostgreSQL's binary COPY takes a JSON column's value, not its text; a file repeats a few.
            value = parsed.get(text)
            if value is None:
                value = parsed[text] = json.loads(text)
            return value

        def records() -> Iterator[tuple[Any, ...]]:
            # A generator, so the database inserts the first rows while the later ones are made.
            for i, (row, (team_id, user_id, due)) in enumerate(zip(rows, routes, strict=True)):
                address_id, municipality_id, hood_id = places[row.key]
                due_value = dues.get(due)
                if due_value is None:
                    due_value = dues[due] = _moment(due)
                amount = row.arrears_amount
                record = (
                    municipality_id,
                    row.tracking_code,
                    row.category,
                    normal,
                    row.description,
                    row.description_masked,
                    row.privacy_flags if sqlite else flags(row.privacy_flags),
                    address_id,
                    households[address_id],
                    hood_id,
                    _moment(row.observed_at) if sqlite else row.observed_at,
                    at,
                    row.source_kind,
                    org_id,
                    row.external_id,
                    str(amount) if sqlite and amount is not None else amount,
                    row.arrears_months,
                    row.debtor_token,
                    row.debtor_index,
                    received,
                    team_id,
                    user_id,
                    due_value,
                    at,
                    *defaults,
                )
                yield record if ids is None else (ids[i], *record)

        if ids is not None:
            copy_rows(Signal, ["id", *_SIGNAL_COLUMNS], records())
            return ids
        copy_rows(Signal, _SIGNAL_COLUMNS, records())
        codes = [row.tracking_code for row in rows]
        found = dict(select_where_in(Signal, ["tracking_code", "id"], "tracking_code", codes))
        return [found[code] for code in codes]

    def _signal_ids(self, count: int) -> list[int] | None:
        """Ids for `count` new signals from the table's own sequence (PostgreSQL), so that the signals need
        not be read back (by tracking code, a look-up in a large random index) before their history and
        access-log entries can be written. None on SQLite, where the signals are read back."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            if self._sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Signal._meta.db_table])
                self._sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self._sequence, count])
            return [signal_id for (signal_id,) in cursor.fetchall()]

    def _insert_events(self, rows: list[Row], routes: list[Route], signal_ids: list[int], now: datetime) -> None:
        at = _moment(now)
        prefix = self.actor.api_key_prefix
        label = (self.actor.username or (f"api:{prefix}" if prefix else "import"))[:150]
        received_notes: dict[str, str] = {}
        assigned_notes: dict[tuple[int, int | None], str] = {}

        def records() -> Iterator[tuple[Any, ...]]:
            for row, (team_id, user_id, _due), signal_id in zip(rows, routes, signal_ids, strict=True):
                note = received_notes.get(row.source_kind)
                if note is None:
                    source = self._source_labels.get(row.source_kind, row.source_kind)
                    note = received_notes[row.source_kind] = f"Via bestandsimport, {source} ({self.org.name})"[:500]
                assigned = assigned_notes.get((team_id, user_id))
                if assigned is None:
                    person = self._user_names.get(user_id, "") if user_id else ""
                    text = f"Doorgezet naar {self._team_names[team_id]}" + (f", {person}" if person else "")
                    assigned = assigned_notes[(team_id, user_id)] = text[:500]
                # actor_label names the uploader; the user id is left out on purpose (the job row and the
                # access log hold it), which spares a foreign-key check and an index entry per signal.
                yield (signal_id, at, "received", None, label, None, note)
                yield (signal_id, at, "assigned", None, "system:routing", team_id, assigned)

        copy_rows(SignalEvent, _EVENT_COLUMNS, records())

    def _announce(self, owners: set[tuple[int, int | None]], now: datetime) -> None:
        """One notification per owning team (or person) per run: "new signals from a file", no details."""
        for team_id, user_id in sorted(owners, key=lambda owner: (owner[0], owner[1] or 0)):
            key = f"import:{self.run_id}:{'user' if user_id else 'team'}:{user_id or team_id}"
            if key in self._announced:
                continue
            self._announced.add(key)
            if user_id:
                recipients = list(User.objects.filter(pk=user_id, is_active=True))
            else:
                members = Team.objects.get(pk=team_id).members
                recipients = list(members.filter(is_active=True, role__in=CARE_ROLES))
            link = dutch_path("routing:inbox")
            notification_enqueue(
                municipality_id=self.org.municipality_id,
                kind="signal_new",
                subject=IMPORT_SUBJECT % {"organisation": self.org.name},
                body=IMPORT_BODY % {"organisation": self.org.name, "team": self._team_names.get(team_id, YOUR_TEAM)},
                dedupe_key=key,
                now=now,
                recipients=recipients,
                link=link,
            )

    # --- the access log -------------------------------------------------------------------------------------

    def _access_log_append(
        self, rows: list[Row], places: dict[str, Place], signal_ids: list[int], now: datetime
    ) -> None:
        """One "create" entry per signal, about its address (as signal_create logs it)."""
        entries = []
        for row, signal_id in zip(rows, signal_ids, strict=True):
            address_id, municipality_id, _hood = places[row.key]
            entries.append((str(signal_id), f"address:{address_id}", self._municipality_code(municipality_id)))
        access_log_append_many(
            actor=self.actor, object_type="intake.signal", entries=entries, context=self.context, now=now
        )

    def _municipality_code(self, municipality_id: int) -> str:
        code = self._municipality_codes.get(municipality_id)
        if code is None:
            code = Municipality.objects.filter(pk=municipality_id).values_list("code", flat=True).first() or ""
            self._municipality_codes[municipality_id] = code
        return code


_SIGNAL_ATTNAMES = [
    "municipality_id",
    "tracking_code",
    "category",
    "urgency",
    "description",
    "description_masked",
    "privacy_flags",
    "address_id",
    "household_id",
    "neighbourhood_id",
    "observed_at",
    "received_at",
    "source_kind",
    "reporter_organisation_id",
    "external_id",
    "arrears_amount",
    "arrears_months",
    "debtor_details",
    "debtor_index",
    "status",
    "owner_team_id",
    "owner_user_id",
    "due_at",
    "updated_at",
]
# Left to their defaults: what the import never sets (the reporter's own contact details, the outcome…).
_SIGNAL_DEFAULTS: dict[str, Any] = {
    "location_text": "",
    "reporter_email_index": "",
    "reporter_may_contact": False,
    "outcome": "",
    "escalation_level": 0,
}
_SIGNAL_COLUMNS = _columns(Signal, [*_SIGNAL_ATTNAMES, *_SIGNAL_DEFAULTS])
_EVENT_COLUMNS = _columns(SignalEvent, ["signal_id", "at", "kind", "actor_id", "actor_label", "team_id", "note"])


def signal_columns_complete() -> list[str]:
    """The Signal fields the import would leave NULL although they may not be: empty when all is well.
    (A test runs this, so a new required field on Signal is noticed here and not in production.)"""
    covered = set(_SIGNAL_ATTNAMES) | set(_SIGNAL_DEFAULTS)
    return [
        f.attname for f in Signal._meta.concrete_fields if not f.primary_key and not f.null and f.attname not in covered
    ]
