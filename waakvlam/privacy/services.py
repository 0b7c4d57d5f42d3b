"""Writing and verifying the access log.

Each entry's hash is an HMAC over its fields and the previous entry's hash, so changing, removing or
inserting an entry anywhere breaks the chain from that point on, and without the key nobody can forge a
consistent replacement. Writers serialise on a lock so the chain has one order; the lock is held from the
moment the tail is read until the writer's transaction commits, so a busy use case records its entry as
the last thing before COMMIT (`access_log_deferred`) and the chain is held for a few milliseconds only
(docs/decisions/0004-hash-chained-access-log.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from waakvlam.core.keyed_hash import keyed_sha256
from waakvlam.core.net import client_address
from waakvlam.privacy.models import AccessAction, AccessLogEntry

GENESIS = "0" * 64
_PG_LOCK_ID = 7513  # NEN 7513; any constant shared by all writers will do


@dataclass(frozen=True)
class Actor:
    """Who is reading or writing: a person, or a partner system's API key."""

    user_id: int | None = None
    username: str = ""
    role: str = ""
    organisation: str = ""
    api_key_prefix: str = ""
    client_address: str = ""

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        user = getattr(request, "user", None)
        api_key = getattr(request, "api_key", None)
        address = client_address(request) if hasattr(request, "META") else ""
        if api_key is not None:
            return cls(
                organisation=api_key.organisation.slug,
                api_key_prefix=api_key.prefix,
                role="api",
                client_address=address,
            )
        if user is not None and user.is_authenticated:
            return cls(
                user_id=user.pk,
                username=user.get_username(),
                role=user.role,
                organisation=user.organisation.slug if user.organisation_id else "",
                client_address=address,
            )
        return cls(role="public", client_address=address)

    @classmethod
    def system(cls, task: str) -> Actor:
        return cls(username=f"system:{task}", role="system")


def key_id(key: str) -> str:
    return hashlib.sha256(f"waakvlam-access-log:{key}".encode()).hexdigest()[:12]


def _keys() -> dict[str, str]:
    return {key_id(key): key for key in settings.ACCESS_LOG_KEYS}


def _signing_key() -> tuple[str, str]:
    key = settings.ACCESS_LOG_KEYS[0]
    return key_id(key), key


def _digest(key: str, prev_hash: str, fields: list[str]) -> str:
    return keyed_sha256(key.encode()).hexdigest("\x1f".join([prev_hash, *fields]).encode())


# Entries recorded inside `access_log_deferred()` wait here (per thread and task) until the block ends.
_deferred: ContextVar[list[AccessLogEntry] | None] = ContextVar("access_log_deferred", default=None)


@contextmanager
def access_log_deferred() -> Iterator[None]:
    """Hold back the entries recorded inside the block and append them when it ends without an error.

    Use it inside the use case's `transaction.atomic()`, around all of its work, so the entries are the
    last statements before COMMIT: the chain's lock is then held for the append and the commit alone,
    not for everything else the transaction does. Nested blocks hand their entries to the outermost one;
    a block left by an exception drops the entries recorded inside it (its work is rolled back too)."""
    outer = _deferred.get()
    if outer is not None:
        mark = len(outer)
        try:
            yield
        except BaseException:
            del outer[mark:]
            raise
        return
    if not connection.in_atomic_block:
        raise RuntimeError("access_log_deferred() belongs inside transaction.atomic(): entry and work commit together.")
    pending: list[AccessLogEntry] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        access_log_append(pending)


def access_log_entry(
    *,
    actor: Actor,
    action: AccessAction | str,
    object_type: str,
    object_id: object = "",
    subject: object = "",
    municipality_code: str = "",
    context: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> AccessLogEntry:
    """One entry, not yet chained or saved: for writers that append many at once (`access_log_chain`)."""
    return AccessLogEntry(
        at=now or timezone.now(),
        user_id_at_time=actor.user_id,
        username=actor.username,
        role=actor.role,
        organisation=actor.organisation,
        api_key_prefix=actor.api_key_prefix,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id or "")[:64],
        subject=str(subject or "")[:64],
        municipality_code=municipality_code,
        client_address=actor.client_address,
        context=context[:200],
        reason=reason[:200],
    )


def access_log_record(
    *,
    actor: Actor,
    action: AccessAction | str,
    object_type: str,
    object_id: object = "",
    subject: object = "",
    municipality_code: str = "",
    context: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> AccessLogEntry:
    """Append one entry. Runs inside the caller's transaction, so a write and its log entry commit together.

    Inside `access_log_deferred()` the entry is appended when that block ends; until then it has no `seq`."""
    entry = access_log_entry(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        subject=subject,
        municipality_code=municipality_code,
        context=context,
        reason=reason,
        now=now,
    )
    pending = _deferred.get()
    if pending is not None:
        pending.append(entry)
    else:
        access_log_append([entry])
    return entry


# The chain's lock and its tail as two statements, for a writer that sends them in a psycopg pipeline
# (one round trip): each statement takes its own snapshot, so the tail read sees every entry committed
# before the lock was granted.
ACCESS_LOG_LOCK_SQL = f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})"
ACCESS_LOG_TAIL_SQL = f"SELECT seq, entry_hash FROM {AccessLogEntry._meta.db_table} ORDER BY seq DESC LIMIT 1"  # noqa: S608


def access_log_chain(entries: list[AccessLogEntry], tail: tuple[int, str] | None) -> None:
    """Give `entries` their seq, key and hashes after `tail` (the last entry's seq and hash, read under the
    chain's lock), in order. The caller inserts them before its transaction commits."""
    seq, prev_hash = (tail[0], tail[1]) if tail else (0, GENESIS)
    key_id, key = _signing_key()
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash, entry.key_id = seq, prev_hash, key_id
        entry.entry_hash = prev_hash = _digest(key, prev_hash, entry.chained_fields())


def _lock_and_read_tail() -> tuple[int, str] | None:
    """Take the chain's lock, then read its last (seq, entry_hash).

    On PostgreSQL both go in one round trip (two statements in one simple query, no parameters): in READ
    COMMITTED each statement takes its own snapshot, so the read sees every entry committed before the lock
    was granted. That round trip is one fewer in the stretch that every writer waits for."""
    if connection.vendor != "postgresql":
        return AccessLogEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    with connection.cursor() as cursor:
        cursor.execute(f"{ACCESS_LOG_LOCK_SQL}; {ACCESS_LOG_TAIL_SQL}")
        if not cursor.nextset():
            raise RuntimeError("PostgreSQL did not answer the access log's tail query.")
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def access_log_append(entries: list[AccessLogEntry]) -> None:
    """Chain `entries` onto the tail and insert them: lock, read the tail, insert. The lock (PostgreSQL) or
    the write lock (SQLite, BEGIN IMMEDIATE) lasts until the caller's transaction ends, so nothing slow
    should follow this in the same transaction. No savepoint: these statements succeed or the whole
    transaction fails with them."""
    with transaction.atomic(savepoint=False):
        access_log_chain(entries, _lock_and_read_tail())
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            AccessLogEntry.objects.bulk_create(entries)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def access_log_verify(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in order and report every entry that does not follow from the one before."""
    keys = _keys()
    expected_prev, expected_seq = GENESIS, 1
    last_seq = 0
    while True:
        batch = list(AccessLogEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            return
        for entry in batch:
            if entry.seq != expected_seq:
                yield ChainProblem(entry.seq, f"entries {expected_seq}..{entry.seq - 1} are missing")
            if entry.prev_hash != expected_prev:
                yield ChainProblem(entry.seq, "does not link to the entry before it (removed or inserted entry)")
            key = keys.get(entry.key_id)
            if key is None:
                yield ChainProblem(
                    entry.seq, f"signed with key {entry.key_id!r}, which is not in WAAKVLAM_ACCESS_LOG_KEY"
                )
            elif not hmac.compare_digest(entry.entry_hash, _digest(key, entry.prev_hash, entry.chained_fields())):
                yield ChainProblem(entry.seq, "its content was changed after it was written")
            expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
        last_seq = batch[-1].seq


def access_log_reads(
    *,
    actor: Actor,
    object_type: str,
    reads: Iterable[tuple[object, object]],
    context: str,
    reason: str = "lijst",
    action: AccessAction | str = AccessAction.VIEW,
    now: datetime | None = None,
) -> int:
    """One entry per (object id, subject) a list or page shows, appended as one batch (one lock, one
    INSERT): a data-subject request then finds list views too, and a list of 50 costs one round trip more,
    not 50. Inside the caller's transaction, or its own when there is none. Returns how many entries."""
    moment = now or timezone.now()
    entries = [
        access_log_entry(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            subject=subject,
            context=context,
            reason=reason,
            now=moment,
        )
        for object_id, subject in reads
    ]
    if not entries:
        return 0
    pending = _deferred.get()
    if pending is not None:
        pending.extend(entries)
    else:
        with transaction.atomic():
            access_log_append(entries)
    return len(entries)
