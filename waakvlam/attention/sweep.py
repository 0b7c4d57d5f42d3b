"""The worker's attention sweep, incremental: only households where something happened are recomputed.

- new signals: read through the commit-safe feed (core/id_feed.py) — every signal above the watermark, at
  most MAX_SIGNALS_PER_PASS a pass, and once it is safe to tell, any signal that committed late below it (a
  transaction that took a lower id and committed after a higher one was read); no hook in intake is needed;
- the pilot light's state: contact plans and warm handovers changed since the last pass;
- once a day, what only time changes: handovers whose first contact has just become late, discharge signals
  whose grace period has just passed, and the open items (a window can have passed, so an item can lapse).

The full recompute (`waakvlam attention-recompute`, recompute.py) starts the list afresh, and moves the
feed's cursor on without losing a signal that commits late.
Deterministic given `now`; one worker at a time (the watermark row is locked, others skip the pass).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction

from waakvlam.attention.definitions import RULES
from waakvlam.attention.facts import start_of_day
from waakvlam.attention.models import AttentionItem, ItemStatus, Watermark
from waakvlam.attention.services import items_refresh
from waakvlam.contact.models import ContactPlan
from waakvlam.contact.selectors import today_of
from waakvlam.core.id_feed import id_feed_read
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.intake.models import Category, Signal

MAX_SIGNALS_PER_PASS = 20_000
# Plans and handovers changed a little before the last pass are read again: a change committed just after
# that pass read, with an earlier updated_at, is not missed. Recomputing a household twice changes nothing.
STATE_OVERLAP = timedelta(minutes=5)
WATERMARK = "signals"
# The longest grace a rule's parameters allow: how far back a daily pass looks for a grace that just ended.
MAX_GRACE_DAYS = max(p.maximum for r in RULES for p in r.params if p.name == "grace_days")


def _watermark() -> Watermark | None:
    Watermark.objects.get_or_create(name=WATERMARK)
    qs = Watermark.objects.filter(name=WATERMARK)
    # Another worker holding the row is doing this pass: skip it rather than wait (PostgreSQL).
    return qs.select_for_update(skip_locked=connection.vendor == "postgresql").first()


def attention_sweep(now: datetime) -> dict[str, int]:
    with transaction.atomic():
        mark = _watermark()
        if mark is None:
            return {"households": 0}
        read = id_feed_read(Signal, mark.cursor, fields=("household_id",), limit=MAX_SIGNALS_PER_PASS)
        households = {hid for _pk, hid in read.rows if hid is not None}
        households |= _changed_state_households(mark.last_pass_at, now)
        counts = items_refresh(household_ids=households, now=now)
        if read.reread:
            counts["late_signals_reread"] = read.reread
        mark.move_to(read.cursor)
        mark.last_pass_at = now
        mark.save(update_fields=[*Watermark.CURSOR_FIELDS, "last_pass_at"])
    return counts


def _changed_state_households(last_pass_at: datetime | None, now: datetime) -> set[int]:

    households: set[int] = set()
    if last_pass_at is not None:
        changed_since = last_pass_at - STATE_OVERLAP
        households |= set(
            ContactPlan.objects.filter(updated_at__gt=changed_since, resident__household__isnull=False).values_list(
                "resident__household_id", flat=True
            )
        )
        households |= set(Handover.objects.filter(updated_at__gt=changed_since).values_list("household_id", flat=True))
    today = today_of(now)
    last_day = today_of(last_pass_at) if last_pass_at else None
    if last_day == today:
        return households
    since = (last_day or today) - timedelta(days=1)
    households |= set(
        Handover.objects.exclude(status=HandoverStatus.CLOSED)
        .filter(first_contact_on__isnull=True, first_contact_due__gte=since, first_contact_due__lt=today)
        .values_list("household_id", flat=True)
    )
    start = start_of_day(since - timedelta(days=MAX_GRACE_DAYS + 1))
    households |= set(
        Signal.objects.filter(category=Category.DISCHARGE, received_at__gte=start, household__isnull=False)
        .order_by()
        .values_list("household_id", flat=True)
    )
    households |= set(
        AttentionItem.objects.filter(status=ItemStatus.OPEN, checked_on__lt=today).values_list(
            "household_id", flat=True
        )
    )
    return households
