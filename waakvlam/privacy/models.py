"""The access log (NEN 7513 style): one entry per read or write of residents' personal data.

It deliberately holds copies (username, role, organisation slug) instead of foreign keys: the log must
outlive the users, organisations and records it describes, and must not change when they do.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("inzien")
    CREATE = "create", _("aanmaken")
    UPDATE = "update", _("wijzigen")
    DELETE = "delete", _("verwijderen")
    EXPORT = "export", _("exporteren")
    PRINT = "print", _("afdrukken")


class AccessLogAppendOnly(Exception):
    pass


class AccessLogEntry(models.Model):
    # Set by the writer as previous + 1 under a lock, so a removed entry shows as a gap.
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    user_id_at_time = models.BigIntegerField(null=True, blank=True)
    # Searched case-insensitively (username__iexact), which a plain index cannot serve: none.
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=20, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=50, blank=True)  # indexed in Meta
    api_key_prefix = models.CharField(_("API-sleutel"), max_length=16, blank=True)
    action = models.CharField(_("handeling"), max_length=10, choices=AccessAction.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=50)
    object_id = models.CharField(_("kenmerk"), max_length=64, blank=True)
    subject = models.CharField(_("betreft"), max_length=64, blank=True)  # indexed in Meta
    municipality_code = models.CharField(max_length=6, blank=True)
    client_address = models.CharField(_("vanaf adres"), max_length=45, blank=True)
    context = models.CharField(_("context"), max_length=200, blank=True)
    reason = models.CharField(_("reden"), max_length=200, blank=True)
    # Which of the configured access-log keys signed this entry, so keys can be rotated.
    key_id = models.CharField(max_length=12)
    prev_hash = models.CharField(max_length=64)
    # Not unique and not indexed: nothing looks an entry up by its hash, and access_log_verify recomputes
    # every hash over a seq that is the primary key, so no two entries can share one without the chain
    # showing it. (A unique index on random hashes was the costliest index the import wrote.)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-seq"]
        # Plain indexes in Meta rather than db_index=True: on PostgreSQL db_index on a CharField adds a
        # second, varchar_pattern_ops index for LIKE 'x%', and the log is searched by whole values only.
        indexes = [
            models.Index(fields=["organisation"], name="access_log_organisation"),
            models.Index(fields=["subject"], name="access_log_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {self.username or self.role} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AccessLogAppendOnly("The access log is append-only; entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AccessLogAppendOnly("The access log is append-only; entries are never deleted.")

    def chained_fields(self) -> list[str]:
        """The values the hash covers, in a fixed order; changing any of them breaks the chain."""
        return [
            str(self.seq),
            self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            str(self.user_id_at_time or ""),
            self.username,
            self.role,
            self.organisation,
            self.api_key_prefix,
            self.action,
            self.object_type,
            self.object_id,
            self.subject,
            self.municipality_code,
            self.client_address,
            self.context,
            self.reason,
            self.key_id,
            self.prev_hash,
        ]
