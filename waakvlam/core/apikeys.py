"""API keys: `wv_<prefix>_<secret>`; the prefix finds the row, a SHA-256 of the whole key proves it.

A partner system sends its key with every request, and looking the row up cost a partner's request more
than everything else before its first write (bench/intake.py, the refused POST). So each process keeps a
key it has verified for `VERIFIED_KEY_SECONDS`: later requests are checked against the cached hash
without a query. A key revoked in this process stops at once; revoked elsewhere (the `apikey revoke`
command, another server process) it stops within those seconds. Unknown or wrong keys are never cached.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
import threading
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from waakvlam.core.models import ApiKey, Organisation
from waakvlam.core.scopes import DEFAULT_SCOPES as DEFAULT_SCOPES
from waakvlam.core.scopes import SCOPES as SCOPES

# Writing last_used_at on every request would turn each read into a write; once a minute is enough to list it.
_LAST_USED_GRANULARITY = timedelta(minutes=1)
VERIFIED_KEY_SECONDS = 5.0

_verified: dict[str, tuple[float, ApiKey]] = {}  # prefix -> (expires, key row); the row is never changed
_verified_lock = threading.Lock()


class UnknownScope(ValueError):
    pass


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *, organisation: Organisation, scopes: list[str] | None = None, name: str = ""
) -> tuple[ApiKey, str]:
    chosen = list(scopes or DEFAULT_SCOPES)
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown:
        raise UnknownScope(f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(SCOPES)}.")
    prefix = secrets.token_hex(6)
    key = f"wv_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        organisation=organisation, name=name, prefix=prefix, key_hash=_hash(key), scopes=chosen
    )
    return api_key, key


def _lookup(prefix: str) -> ApiKey | None:
    """The live key with this prefix: from this process's cache while fresh, else from the database."""
    clock = time.monotonic()
    found = _verified.get(prefix)
    if found is not None and found[0] > clock:
        return found[1]
    # The organisation's municipality too: intake places a signal without a known postcode there.
    return (
        ApiKey.objects.select_related("organisation__municipality")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )


def api_key_authenticate(key: str, *, now: datetime | None = None) -> ApiKey | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "wv":
        return None
    api_key = _lookup(parts[1])
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(key)):
        return None
    now = now or timezone.now()
    last_used = api_key.last_used_at
    if last_used is None or now - last_used > _LAST_USED_GRANULARITY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        # A fresh copy for the cache: the row other threads hold is never written to.
        api_key = copy.copy(api_key)
        api_key.last_used_at = now
    with _verified_lock:
        if parts[1] not in _verified or _verified[parts[1]][1] is not api_key:
            _verified[parts[1]] = (time.monotonic() + VERIFIED_KEY_SECONDS, api_key)
    return api_key


def api_keys_forget() -> None:
    """Drop every verified key this process keeps (tests, and revocation)."""
    with _verified_lock:
        _verified.clear()


def api_key_revoke(*, api_key: ApiKey, now: datetime | None = None) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    with _verified_lock:
        _verified.pop(api_key.prefix, None)
