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

from waakvlam.core.conf import setting_number


def max_failed_attempts() -> int:
    return setting_number("WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS", 3, minimum=1)


def grace_days() -> int:
    return setting_number("WAAKVLAM_CONTACT_GRACE_DAYS", 7)


def first_contact_days() -> int:
    return setting_number("WAAKVLAM_HANDOVER_FIRST_CONTACT_DAYS", 5, minimum=1)


def overlap_days() -> int:
    return setting_number("WAAKVLAM_HANDOVER_OVERLAP_DAYS", 28)


def plan_retention_months() -> int:
    return setting_number("WAAKVLAM_PLAN_RETENTION_MONTHS", 24, minimum=1)
