"""The pilot light's tunable numbers. Each can be set in Django settings or the environment:

| setting / variable | default | meaning |
|---|---|---|
| WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS | 3 | escalate after this many attempts in a row without contact |
| WAAKVLAM_CONTACT_GRACE_DAYS | 7 | escalate when contact is overdue by more than this many days |
| WAAKVLAM_HANDOVER_FIRST_CONTACT_DAYS | 5 | default days after discharge for the first contact |
| WAAKVLAM_HANDOVER_OVERLAP_DAYS | 28 | days after discharge both sides still see the plan |
| WAAKVLAM_PLAN_RETENTION_MONTHS | 24 | months after closing before a plan's notes are erased |
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _number(name: str, default: int, *, minimum: int = 0) -> int:
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


def max_failed_attempts() -> int:
    return _number("WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS", 3, minimum=1)


def grace_days() -> int:
    return _number("WAAKVLAM_CONTACT_GRACE_DAYS", 7)


def first_contact_days() -> int:
    return _number("WAAKVLAM_HANDOVER_FIRST_CONTACT_DAYS", 5, minimum=1)


def overlap_days() -> int:
    return _number("WAAKVLAM_HANDOVER_OVERLAP_DAYS", 28)


def plan_retention_months() -> int:
    return _number("WAAKVLAM_PLAN_RETENTION_MONTHS", 24, minimum=1)
