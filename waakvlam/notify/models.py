"""The transactional outbox: a notification is written in the same transaction as the change that causes
it, and delivered afterwards by the worker, at least once, recorded so it is never sent twice.

Delivery of one e-mail row: a worker *claims* it (claim_token + claimed_until, committed before anything is
sent, under SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), sends, then records delivered_at. Two live
workers never hold the same claim; a worker that dies between sending and recording leaves a claim that
expires, after which the row is sent again — at least once, never silently lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.encryption import EncryptedCharField


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In de app")
    EMAIL_NOW = "email_now", _("E-mail direct")
    EMAIL_DIGEST = "email_digest", _("E-mail dagoverzicht")


EMAIL_CHANNELS = (Channel.EMAIL_NOW, Channel.EMAIL_DIGEST)


class Notification(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    # A staff member (mailed at their current address, so none is stored here), or for a public reporter
    # only an e-mail address: a reporter's contact detail, so encrypted at rest, and found (to send a
    # moment once) by its blind index.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    email = EncryptedCharField(max_length=254, null=True, blank=True)
    email_index = models.CharField(max_length=64, blank=True, editable=False)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    kind = models.CharField(max_length=40)
    urgent = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    link = models.CharField(max_length=300, blank=True)
    # What the notification is about ("handover:12"), for a kind rendered at read time (notify/rendering.py):
    # the stored subject and body then hold no personal data.
    ref = models.CharField(max_length=64, blank=True, default="")
    # The same event never makes two notifications for one recipient and channel.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    # E-mail: not before this moment (the next digest moment, or the next retry after a failure).
    deliver_after = models.DateTimeField()
    # In-app rows are delivered the moment they exist; e-mail rows when the mail server accepted them.
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The worker that is sending this row right now, and until when its claim holds.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # Given up after too many attempts (or the recipient left): never sent, counted in the outbox figures.
    failed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key", "channel", "recipient"], name="notification_once"),
            # NULL recipients never collide in a unique index, so e-mail-only rows need their own.
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "email_index"],
                condition=models.Q(recipient__isnull=True),
                name="notification_once_by_email",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email_index=""),
                name="notification_has_recipient",
            ),
            # Only staff members have an in-app inbox or a daily digest.
            models.CheckConstraint(
                condition=~models.Q(channel__in=["in_app", "email_digest"]) | models.Q(recipient__isnull=False),
                name="notification_user_channels_have_user",
            ),
        ]
        indexes = [
            # The worker's question, "what is due?", touches only the rows still waiting.
            models.Index(
                fields=["deliver_after"],
                condition=models.Q(delivered_at__isnull=True, failed_at__isnull=True),
                name="notification_due",
            ),
            # A user's inbox, newest first, and its unread count.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(channel="in_app"),
                name="notification_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or 'e-mail'} ({self.channel})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
