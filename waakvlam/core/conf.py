"""Tunable whole numbers read when they are used: a Django setting of that name (tests override it), else
the environment variable, else the default; anything else stops with a message naming the variable."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["setting_number"]


def setting_number(name: str, default: int, *, minimum: int = 0) -> int:
    raw = getattr(settings, name, None)
    if raw is None:
        raw = os.environ.get(name, "").strip() or default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return value
