"""Reading notifications. A user's inbox holds their own in-app notifications and nobody else's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from waakvlam.notify.models import EMAIL_CHANNELS, Channel, Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own in-app notifications, newest first; nothing for an anonymous user."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def outbox_figures(now: datetime) -> dict[str, int]:
    """The state of the e-mail outbox for operators: waiting (not yet due, e.g. tomorrow's digest), due
    (should go out on the next pass), failed (given up; someone should look), delivered."""
    pending = Q(delivered_at__isnull=True, failed_at__isnull=True)
    counts = Notification.objects.filter(channel__in=EMAIL_CHANNELS).aggregate(
        waiting=Count("pk", filter=pending & Q(deliver_after__gt=now)),
        due=Count("pk", filter=pending & Q(deliver_after__lte=now)),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
    )
    return {name: int(value or 0) for name, value in counts.items()}
