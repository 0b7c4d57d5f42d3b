"""Writing and verifying the access log.

Each entry's hash is an HMAC over its fields and the previous entry's hash, so changing, removing or
inserting an entry anywhere breaks the chain from that point on, and without the key nobody can forge a
consistent replacement. Writers serialise on a lock so the chain has one order.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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
    message = "\x1f".join([prev_hash, *fields]).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


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
    """Append one entry. Runs inside the caller's transaction, so a write and its log entry commit together."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AccessLogEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = AccessLogEntry(
            seq=seq,
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
            prev_hash=prev_hash,
        )
        entry.key_id, key = _signing_key()
        entry.entry_hash = _digest(key, prev_hash, entry.chained_fields())
        entry.save(force_insert=True)
        return entry


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
