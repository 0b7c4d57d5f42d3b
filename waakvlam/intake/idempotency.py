"""Idempotent POSTs: a retry with the same Idempotency-Key and body gets the first answer and creates nothing.

The key's row is inserted first and completed in the same transaction as the work it answers for. A
concurrent duplicate therefore waits on the unique index (PostgreSQL) or on the write lock (SQLite with
BEGIN IMMEDIATE) until the first commits, then fails to insert and replays the stored answer. A killed
process leaves either both the work and the key or neither: a 2xx is only sent after that commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from waakvlam.core.models import ApiKey, User
from waakvlam.intake.errors import IdempotencyKeyReused
from waakvlam.intake.models import IdempotencyKey, Signal
from waakvlam.privacy.services import access_log_deferred

MAX_KEY_LENGTH = 200


class IdempotencyKeyInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def idempotency_key_check(raw: str | None) -> str | None:
    """None when no key was sent; the key itself when it is usable; IdempotencyKeyInvalid otherwise."""
    if raw is None:
        return None
    if not raw.strip():
        raise IdempotencyKeyInvalid("The Idempotency-Key header is empty; send a unique string of 1 to 200 characters.")
    if len(raw) > MAX_KEY_LENGTH:
        raise IdempotencyKeyInvalid(f"The Idempotency-Key header is longer than {MAX_KEY_LENGTH} characters.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        raise IdempotencyKeyInvalid("The Idempotency-Key header contains control characters.")
    return raw


def idempotency_scope(*, api_key: ApiKey | None, user: User | None) -> str:
    """Keys are a partner's own: scoped to the API key's organisation, or to the person."""
    if api_key is not None:
        return f"org:{api_key.organisation_id}"
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "public"


def request_hash(payload: Any) -> str:
    """A hash of the body as data: key order and white space do not count."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _replay(found: IdempotencyKey, hashed: str) -> Answer:
    if found.request_hash != hashed:
        raise IdempotencyKeyReused
    return Answer(status=found.status_code, body=found.response, replayed=True)


def _stored(scope: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(scope=scope, key=key).first()


def idempotent(
    *,
    scope: str,
    key: str,
    hashed: str,
    now: datetime,
    produce: Callable[[], tuple[int, dict[str, Any], Signal | None]],
) -> Answer:
    """Run `produce` once per (scope, key). Its exceptions pass through and store nothing, so a request
    that failed may be retried with the same key.

    No look-up first: the key's insert is the transaction's first statement and a retry fails on it (a
    rollback of nothing) and then reads the stored answer, so a first request costs one query less. The
    access-log entries `produce` records are written after the key's answer, last before COMMIT."""
    try:
        with transaction.atomic(), access_log_deferred():
            record = IdempotencyKey.objects.create(
                scope=scope, key=key, request_hash=hashed, status_code=0, response={}, created_at=now
            )
            status, body, signal = produce()
            record.status_code, record.response, record.signal = status, body, signal
            record.save(update_fields=["status_code", "response", "signal"])
    except IntegrityError:
        # Only the key's insert can collide here: produce() maps its own integrity errors to domain errors.
        found = _stored(scope, key)
        if found is None:
            raise
        return _replay(found, hashed)
    return Answer(status=status, body=body)


# Partners retry within minutes or hours; a week covers a weekend outage. A retry after that creates a new
# signal unless the partner also sends an external_id (which is unique per organisation for good).
KEEP_KEYS = timedelta(days=7)


def idempotency_keys_prune(*, now: datetime, keep: timedelta = KEEP_KEYS) -> int:
    """Remove stored answers older than `keep`; for the worker's daily pass. Returns how many went."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - keep).delete()
    return deleted
