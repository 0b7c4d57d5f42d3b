"""A per-client rate limit for the public endpoints, counted in the database so every server process and
worker shares it (Django's local-memory cache would count per process).

A client is its address as the server sees it (REMOTE_ADDR; behind a proxy, the proxy must set it). Only a
keyed hash of the address is stored, per one-minute window, and windows older than ten minutes are removed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from waakvlam.intake.models import RateCount

WINDOW = timedelta(minutes=1)
_KEEP = timedelta(minutes=10)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def public_rate_limit() -> int:
    return int(getattr(settings, "WAAKVLAM_PUBLIC_RATE_LIMIT", 10))


def _bucket(scope: str, client: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}|{client}".encode(), hashlib.sha256).hexdigest()


def rate_limit_hit(*, scope: str, client: str, now: datetime, limit: int | None = None) -> RateDecision:
    """Count one request of `client` on `scope` and say whether it is within the limit per minute."""
    limit = public_rate_limit() if limit is None else limit
    window = now.replace(second=0, microsecond=0)
    bucket = _bucket(scope, client)
    with transaction.atomic():
        updated = RateCount.objects.filter(bucket=bucket, window_start=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCount.objects.create(bucket=bucket, window_start=window, count=1)
            except IntegrityError:
                RateCount.objects.filter(bucket=bucket, window_start=window).update(count=F("count") + 1)
            RateCount.objects.filter(window_start__lt=window - _KEEP).delete()
        count = RateCount.objects.filter(bucket=bucket, window_start=window).values_list("count", flat=True).first()
    count = count or 1
    retry_after = max(1, int((window + WINDOW - now).total_seconds()))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)
