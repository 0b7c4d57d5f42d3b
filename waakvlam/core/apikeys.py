"""API keys: `wv_<prefix>_<secret>`; the prefix finds the row, a SHA-256 of the whole key proves it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from waakvlam.core.models import ApiKey, Organisation

SCOPES = ("signals:write", "signals:read", "reference:read", "contact:read", "handovers:read", "handovers:write")
DEFAULT_SCOPES = ("signals:write", "reference:read")
# Writing last_used_at on every request would turn each read into a write; once a minute is enough to list it.
_LAST_USED_GRANULARITY = timedelta(minutes=1)


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


def api_key_authenticate(key: str, *, now: datetime | None = None) -> ApiKey | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "wv":
        return None
    # The organisation's municipality too: intake places a signal without a known postcode there.
    api_key = (
        ApiKey.objects.select_related("organisation__municipality")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(key)):
        return None
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > _LAST_USED_GRANULARITY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def api_key_revoke(*, api_key: ApiKey, now: datetime | None = None) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
