"""The transactional outbox: a notification is written in the same transaction as the change that causes
it, and delivered afterwards by the worker, at least once, recorded so it is never sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In de app")
    EMAIL_NOW = "email_now", _("E-mail direct")
    EMAIL_DIGEST = "email_digest", _("E-mail dagoverzicht")


class Notification(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT)
    # A staff member, or (for public reporters) only an e-mail address.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    email = models.EmailField(blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    link = models.CharField(max_length=300, blank=True)
    # The same event never makes two notifications for one recipient and channel.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    deliver_after = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key", "channel", "recipient"], name="notification_once"),
            # NULL recipients never collide in a unique index, so e-mail-only rows need their own.
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "email"],
                condition=models.Q(recipient__isnull=True),
                name="notification_once_by_email",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""), name="notification_has_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.email} ({self.channel})"
