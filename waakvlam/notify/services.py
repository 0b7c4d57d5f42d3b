"""Enqueueing notifications (call inside the transaction of the change that causes them) and the in-app
use cases: marking one or all as read. Delivery of e-mail is the worker's, in `delivery.py`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from waakvlam.core.bulk import insert_rows
from waakvlam.core.encryption import email_index
from waakvlam.core.models import User
from waakvlam.notify.models import Channel, Notification
from waakvlam.notify.selectors import notifications_for

logger = logging.getLogger("waakvlam.notify")

DEFAULT_DIGEST_HOUR = 7


def digest_hour() -> int:
    """The local hour (settings.TIME_ZONE) at which the daily digest goes out; 07:00 unless configured."""
    return int(getattr(settings, "WAAKVLAM_DIGEST_HOUR", DEFAULT_DIGEST_HOUR))


def next_digest_at(now: datetime) -> datetime:
    """The first digest moment strictly after `now`: today at the digest hour if that is still to come,
    else tomorrow. Counted in local time, so the digest stays at 07:00 across daylight-saving changes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    moment = _at_hour(local.date(), zone)
    if moment <= local:
        moment = _at_hour(local.date() + timedelta(days=1), zone)
    return moment


def _at_hour(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(digest_hour()), tzinfo=zone)


def clean_link(link: str) -> str:
    """A link is a path inside Waakvlam ("/signalen/12/") or an http(s) address; anything else (a
    `javascript:` URL, a protocol-relative "//host") is dropped rather than shown to anyone."""
    link = link.strip()
    if not link:
        return ""
    if link.startswith("/") and not link.startswith("//"):
        return link[:300]
    if link.startswith(("https://", "http://")) and len(link) <= 300:
        return link
    logger.warning("notification link dropped: not a path or http(s) address")
    return ""


class NotificationMessage(NamedTuple):
    """One event to tell several people about, for notifications_enqueue_many."""

    municipality_id: int
    kind: str
    subject: str
    body: str
    dedupe_key: str
    recipients: Sequence[User]
    urgent: bool = False
    link: str = ""
    ref: str = ""


def _common(m: NotificationMessage, now: datetime) -> dict[str, Any]:
    """The values every row of one event shares, cut to the columns' lengths."""
    return {
        "municipality_id": m.municipality_id,
        "kind": m.kind[:40],
        "urgent": m.urgent,
        # One line: a subject becomes a mail header, where a line break would be refused (or worse).
        "subject": " ".join(m.subject.split())[:200],
        "body": m.body[:4000],
        "link": clean_link(m.link),
        "dedupe_key": m.dedupe_key[:200],
        "ref": m.ref[:64],
        "created_at": now,
    }


def _per_user(user: User, *, urgent: bool, now: datetime, digest_at: datetime) -> list[dict[str, Any]]:
    """One user's rows of an event: in-app (delivered at once), plus e-mail now when urgent, else in the
    next digest; nothing for an inactive account."""
    if not user.is_active:
        return []
    rows: list[dict[str, Any]] = [{"channel": Channel.IN_APP, "deliver_after": now, "delivered_at": now}]
    if user.email:
        rows.append(
            {"channel": Channel.EMAIL_NOW, "deliver_after": now}
            if urgent
            else {"channel": Channel.EMAIL_DIGEST, "deliver_after": digest_at}
        )
    return rows


def notification_rows(
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
    ref: str = "",
) -> list[Notification]:
    """The rows notification_enqueue inserts (unsaved), for callers that insert many events' rows at once."""
    message = NotificationMessage(municipality_id, kind, subject, body, dedupe_key, list(recipients), urgent, link, ref)
    common = _common(message, now)
    digest_at = next_digest_at(now)
    rows = [
        Notification(recipient=user, **per, **common)
        for user in message.recipients
        for per in _per_user(user, urgent=urgent, now=now, digest_at=digest_at)
    ]
    if email.strip():
        rows.append(
            Notification(
                email=email.strip(),
                email_index=email_index(email),
                channel=Channel.EMAIL_NOW,
                deliver_after=now,
                **common,
            )
        )
    return rows


def notifications_enqueue_many(messages: Iterable[NotificationMessage], *, now: datetime) -> int:
    """notification_enqueue for many events at once, as the deadline sweep needs: the same rows and dedupe
    keys, inserted as plain rows in one statement (core/bulk.py) rather than a model instance each, which
    would make a 100,000-signal sweep take minutes. A repeated dedupe key queues nothing new. Returns how
    many rows were inserted."""
    digest_at = next_digest_at(now)
    rows: list[dict[str, Any]] = []
    for m in messages:
        common = _common(m, now)
        for user in m.recipients:
            for per in _per_user(user, urgent=m.urgent, now=now, digest_at=digest_at):
                rows.append({**common, **per, "recipient_id": user.pk})
    return insert_rows(Notification, rows, ignore_conflicts=True)


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
    new_event: bool = False,
    ref: str = "",
) -> int:
    """Queue one in-app notification per active recipient plus e-mail: immediate when urgent, else in the
    next daily digest. `email` alone notifies someone without an account (a public reporter), always
    immediately. Returns how many rows were queued; a repeated dedupe_key queues nothing new (per
    recipient and channel), so callers may enqueue from code that can run twice.

    `new_event=True` says the dedupe_key names something created in the caller's own transaction (a new
    signal's id), so no row should carry it yet: the rows are inserted without counting before and after
    (two queries fewer) and the number returned is the number of rows offered."""
    rows = notification_rows(
        municipality_id=municipality_id,
        kind=kind,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        now=now,
        recipients=recipients,
        email=email,
        urgent=urgent,
        link=link,
        ref=ref,
    )
    if not rows:
        return 0
    if new_event:
        # Still ignore conflicts: SQLite may hand a deleted signal's id out again, and a row left from that
        # one must not make taking in the new signal fail.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)
    # bulk_create(ignore_conflicts=True) hands back every object, inserted or not, so count instead.
    key = dedupe_key[:200]
    before = Notification.objects.filter(dedupe_key=key).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(dedupe_key=key).count() - before


def notification_mark_read(*, user: User, notification_id: int, now: datetime) -> Notification:
    """Mark one of the user's own in-app notifications read. Someone else's (or a missing one) raises
    Notification.DoesNotExist, which views and the API answer with 404 alike."""
    notification = notifications_for(user).get(pk=notification_id)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User, now: datetime) -> int:
    """Mark all of the user's unread in-app notifications read; returns how many changed."""
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=now)
