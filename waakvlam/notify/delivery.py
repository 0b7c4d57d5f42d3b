"""Delivering the e-mail outbox: the worker's `outbox_deliver(now)` sweep.

Each row goes through claim → send → record:
1. claim: in a short transaction, lock due rows (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite
   serialises writers anyway) and stamp them with this pass's claim_token and a lease (claimed_until);
   commit. Another worker skips locked rows and, once committed, sees them as claimed.
2. send, outside any transaction, so no lock is held while a mail server thinks.
3. record delivered_at (or the failure, with backoff) only where our claim_token still stands.
A worker killed between 2 and 3 leaves a claim that expires after LEASE; the row is then sent again —
at least once, never lost. Two live workers never send the same row.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import uuid4

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from waakvlam.notify.emails import digest_message, immediate_message
from waakvlam.notify.models import Channel, Notification

logger = logging.getLogger("waakvlam.notify")

# How long a claim holds. Far longer than a batch takes to send, so a live worker never loses its claim.
LEASE = timedelta(minutes=15)
# Give up after this many attempts; the waits between them grow.
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
BATCH_SIZE = 50
MAX_BATCHES = 20
DIGEST_MAX_ROWS = 500
GONE = "De ontvanger is niet meer actief of heeft geen e-mailadres."


def backoff_after(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _due(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        delivered_at__isnull=True, failed_at__isnull=True, deliver_after__lte=now
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))


def _claim(due: QuerySet[Notification], *, now: datetime, limit: int) -> tuple[str, list[int]]:
    token = uuid4().hex
    with transaction.atomic():
        rows = due.order_by("deliver_after", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:limit])
        if ids:
            Notification.objects.filter(pk__in=ids).update(claim_token=token, claimed_until=now + LEASE)
    return token, ids


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


class _Pass:
    """One pass of the sweep: its moment, its figures and one mail connection, opened when first needed."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.figures: Counter[str] = Counter()
        self._mail: BaseEmailBackend | None = None
        self.broken = ""

    def mail(self) -> BaseEmailBackend | None:
        """The open connection, or None when the mail server cannot be reached (then the pass stops)."""
        if self._mail is None and not self.broken:
            backend = get_connection(fail_silently=False)
            try:
                backend.open()
            except Exception as error:
                self.broken = _describe(error)
                logger.warning("outbox: mail server unavailable: %s", self.broken)
                return None
            self._mail = backend
        return self._mail

    def close(self) -> None:
        if self._mail is not None:
            try:
                self._mail.close()
            except Exception:
                logger.warning("outbox: closing the mail connection failed", exc_info=True)

    def delivered(self, ids: Sequence[int], token: str) -> int:
        """Record the mail as sent, in one statement for all rows of one message."""
        done = Notification.objects.filter(pk__in=ids, claim_token=token, delivered_at__isnull=True).update(
            delivered_at=self.now, attempts=F("attempts") + 1, claim_token="", claimed_until=None
        )
        if done != len(ids):
            logger.warning("outbox: a claim expired while sending; %d row(s) may be sent again", len(ids) - done)
        return done

    def failed(self, ids: Sequence[int], token: str, error: str, *, final: bool = False) -> None:
        """Count an attempt; try again after a growing wait, or give up after MAX_ATTEMPTS (or when final)."""
        with transaction.atomic():
            rows = list(Notification.objects.select_for_update().filter(pk__in=ids, claim_token=token))
            for row in rows:
                row.attempts += 1
                row.last_error = error
                row.claim_token = ""
                row.claimed_until = None
                if final or row.attempts >= MAX_ATTEMPTS:
                    row.failed_at = self.now
                    self.figures["failed"] += 1
                else:
                    row.deliver_after = self.now + backoff_after(row.attempts)
                    self.figures["retried"] += 1
            fields = ["attempts", "last_error", "claim_token", "claimed_until", "failed_at", "deliver_after"]
            Notification.objects.bulk_update(rows, fields)

    def still_ours(self, ids: Sequence[int], token: str) -> bool:
        return Notification.objects.filter(pk__in=ids, claim_token=token, delivered_at__isnull=True).count() == len(ids)


def _address(row: Notification) -> str:
    """Staff get mail at their current address, and none once they have left; reporters at the one given."""
    if row.recipient_id is None:
        return row.email or ""
    user = row.recipient
    if user is None or not user.is_active:
        return ""
    return user.email or ""


def _deliver_immediate(run: _Pass, *, batch_size: int, max_batches: int) -> None:
    for _ in range(max_batches):
        if run.broken:
            return
        token, ids = _claim(_due(run.now).filter(channel=Channel.EMAIL_NOW), now=run.now, limit=batch_size)
        if not ids:
            return
        rows = Notification.objects.filter(pk__in=ids, claim_token=token).select_related("recipient").order_by("pk")
        for row in rows:
            to = _address(row)
            if not to:
                run.failed([row.pk], token, GONE, final=True)
                continue
            mail = run.mail()
            if mail is None:
                run.failed([row.pk], token, run.broken)
                continue
            if not run.still_ours([row.pk], token):
                continue
            try:
                immediate_message(row, to, mail).send()
            except Exception as error:
                run.failed([row.pk], token, _describe(error))
            else:
                run.figures["sent"] += run.delivered([row.pk], token)


def _deliver_digests(run: _Pass, *, max_recipients: int) -> None:
    due = _due(run.now).filter(channel=Channel.EMAIL_DIGEST)
    recipient_ids = list(
        due.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:max_recipients]
    )
    for recipient_id in recipient_ids:
        if run.broken:
            return
        token, ids = _claim(due.filter(recipient_id=recipient_id), now=run.now, limit=DIGEST_MAX_ROWS)
        if not ids:
            continue  # another worker is sending this person's digest
        rows = list(
            Notification.objects.filter(pk__in=ids, claim_token=token)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        if not rows:
            continue  # our claim was taken over (it expired); the other worker sends it
        ids = [row.pk for row in rows]
        to = _address(rows[0])
        if not to:
            run.failed(ids, token, GONE, final=True)
            continue
        mail = run.mail()
        if mail is None:
            run.failed(ids, token, run.broken)
            continue
        if not run.still_ours(ids, token):
            continue
        user = rows[0].recipient
        name = user.first_name if user is not None else ""
        try:
            digest_message(rows, to, run.now, mail, name=name).send()
        except Exception as error:
            run.failed(ids, token, _describe(error))
        else:
            run.figures["digests"] += 1
            run.figures["digest_items"] += run.delivered(ids, token)


def outbox_deliver(
    now: datetime, *, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES, max_recipients: int = 500
) -> dict[str, int]:
    """Send the e-mail that is due at `now`: immediate rows one by one, digest rows as one mail per
    recipient. Safe to run twice and on several workers at once. Returns this pass's figures: sent,
    digests, digest_items, retried, failed (given up for good — see selectors.outbox_figures)."""
    run = _Pass(now)
    try:
        _deliver_immediate(run, batch_size=batch_size, max_batches=max_batches)
        _deliver_digests(run, max_recipients=max_recipients)
    finally:
        run.close()
    figures = dict.fromkeys(("sent", "digests", "digest_items", "retried", "failed"), 0)
    figures.update(run.figures)
    return figures
