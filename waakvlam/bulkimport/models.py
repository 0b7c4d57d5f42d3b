"""The bulk import's one model: an uploaded file being imported, with its progress and counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Organisation


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    REFUSED = "refused", _("Geweigerd")
    FAILED = "failed", _("Mislukt")


class ImportJob(models.Model):
    """One uploaded CSV file being imported (bulk_import.py), with its progress and counts.

    The uploaded file and the row report live in VAR_DIR/imports/ under `token`; the uploaded file is
    removed once the import has finished (it holds debtors' contact details), the report after
    IMPORT_REPORT_DAYS. A job whose process died is picked up again by the worker: re-running an import
    creates nothing twice, because external_id is unique per organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    size_bytes = models.BigIntegerField(default=0)
    dry_run = models.BooleanField(_("alleen controleren"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    message = models.CharField(_("melding"), max_length=500, blank=True)
    lines_total = models.BigIntegerField(default=0)  # lines in the file (from the pre-check), for the progress bar
    rows_read = models.BigIntegerField(default=0)
    imported = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    # The first problems, for the summary on screen; the whole list is in the report file.
    problems = models.JSONField(default=list, blank=True)
    has_report = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "intake_importjob"  # the table it had in intake (migrations/0001): no data moved
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_job_status")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.lines_total:
            return 0
        return min(99, int(100 * self.rows_read / self.lines_total))
