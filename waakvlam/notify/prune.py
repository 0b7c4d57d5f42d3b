"""Forgetting old notifications (SECURITY.md, "Minimising and forgetting").

A notification is a pointer to something that happened ("new signal in Binnenstad", "your report was
picked up"); once sent and some weeks old it helps nobody, while the rows pile up and a reporter's
(encrypted) address stays. `WAAKVLAM_NOTIFICATION_RETENTION_DAYS` (default 90) after it was created, a
notification that was delivered or given up on is deleted. Rows still waiting to be sent are never
touched, whatever their age: the outbox's promise is at least once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Q

from waakvlam.core.conf import setting_number
from waakvlam.core.worker import in_batches
from waakvlam.notify.models import Notification

__all__ = ["notification_retention_days", "notifications_prune"]

logger = logging.getLogger("waakvlam.notify")

BATCH = 5000


def notification_retention_days() -> int:
    return setting_number("WAAKVLAM_NOTIFICATION_RETENTION_DAYS", 90, minimum=1)


def notifications_prune(now: datetime, *, days: int | None = None) -> dict[str, int]:
    """Delete sent or failed notifications older than the retention period, in batches."""
    cutoff = now - timedelta(days=days or notification_retention_days())
    done = Q(delivered_at__isnull=False) | Q(failed_at__isnull=False)
    old = Notification.objects.filter(done, created_at__lt=cutoff)

    def delete(ids: list[int]) -> int:
        return Notification.objects.filter(done, pk__in=ids).delete()[0]

    total = in_batches(lambda: list(old.order_by("pk").values_list("pk", flat=True)[:BATCH]), delete)
    if total:
        logger.info("notifications: %d sent or failed notification(s) older than the retention period deleted", total)
    return {"notifications_pruned": total}
