"""The full recompute: every household where a rule could fire, or that has an open item, recomputed.

Python path (any database): the households are collected and recomputed in batches by the same code as
the incremental sweep. On PostgreSQL, `attention_recompute` takes the set-based path (recompute_sql.py),
which computes the same items in a few statements; tests/attention/test_recompute.py holds both to the
same answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction

from waakvlam.attention.configuration import configuration_for
from waakvlam.attention.definitions import widest_window
from waakvlam.attention.facts import counted_signals, start_of_day
from waakvlam.attention.models import AttentionItem, ItemStatus, Watermark
from waakvlam.attention.recompute_sql import attention_recompute_sql
from waakvlam.attention.services import items_refresh
from waakvlam.attention.sweep import WATERMARK
from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.contact.selectors import today_of
from waakvlam.core.id_feed import id_feed_adopt, id_feed_position
from waakvlam.core.models import Municipality
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.intake.models import Signal


def candidate_households(now: datetime) -> set[int]:

    today = today_of(now)
    days = max(
        [
            widest_window(configuration_for(m).params_by_rule())
            for m in Municipality.objects.values_list("pk", flat=True)
        ]
        or [1]
    )
    since = start_of_day(today - timedelta(days=days))
    households = set(
        Signal.objects.filter(counted_signals(), received_at__gte=since)
        .order_by()
        .values_list("household_id", flat=True)
        .distinct()
    )
    households |= set(AttentionItem.objects.filter(status=ItemStatus.OPEN).values_list("household_id", flat=True))
    households |= set(
        ContactPlan.objects.filter(status=PlanStatus.ACTIVE, resident__household__isnull=False).values_list(
            "resident__household_id", flat=True
        )
    )
    households |= set(Handover.objects.exclude(status=HandoverStatus.CLOSED).values_list("household_id", flat=True))
    households.discard(None)  # type: ignore[arg-type]
    return households


def attention_recompute(*, now: datetime, sql: bool | None = None) -> dict[str, int]:
    """Recompute everything; afterwards the incremental sweep goes on from the newest signal seen here.
    `sql`: the set-based path (PostgreSQL only); by default on PostgreSQL, the Python path elsewhere."""
    before = Watermark.objects.get_or_create(name=WATERMARK)[0].cursor
    position = id_feed_position(Signal, before)  # just before reading: what this recompute will have seen
    if sql is None:
        sql = connection.vendor == "postgresql"
    if sql:
        counts = attention_recompute_sql(now=now)
    else:
        counts = items_refresh(household_ids=candidate_households(now), now=now)
    with transaction.atomic():
        mark, _ = Watermark.objects.select_for_update().get_or_create(name=WATERMARK)
        mark.move_to(id_feed_adopt(before=before, current=mark.cursor, position=position))
        mark.last_pass_at = now
        mark.save(update_fields=[*Watermark.CURSOR_FIELDS, "last_pass_at"])
    return counts
