"""Enqueueing notifications. Call inside the transaction of the change that causes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from waakvlam.core.models import User
from waakvlam.notify.models import Channel, Notification


def notification_enqueue(
    *,
    municipality_id: int,
    kind: str,
    subject: str,
    body: str,
    dedupe_key: str,
    now: datetime,
    recipients: Iterable[User] = (),
    email: str = "",
    urgent: bool = False,
    link: str = "",
) -> int:
    """Queue one in-app notification per recipient plus e-mail (immediate when urgent, else the daily
    digest); `email` alone notifies someone without an account (a public reporter). Returns how many
    rows were queued; a repeated dedupe_key queues nothing new."""
    rows: list[Notification] = []
    common = {
        "municipality_id": municipality_id,
        "kind": kind,
        "subject": subject[:200],
        "body": body[:4000],
        "link": link,
        "dedupe_key": dedupe_key[:200],
        "created_at": now,
        "deliver_after": now,
    }
    for user in recipients:
        rows.append(Notification(recipient=user, channel=Channel.IN_APP, delivered_at=now, **common))
        if user.email:
            channel = Channel.EMAIL_NOW if urgent else Channel.EMAIL_DIGEST
            rows.append(Notification(recipient=user, email=user.email, channel=channel, **common))
    if email:
        rows.append(Notification(email=email, channel=Channel.EMAIL_NOW, **common))
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)
