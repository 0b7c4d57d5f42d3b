"""Imports uploaded through the web page: stored as a job, run in the background, followed on screen.

An upload is saved to VAR_DIR/imports/<token>.csv and an ImportJob row is written; when that commits, a
thread of the web process starts the import at once. The worker's sweep is the safety net: it runs a
job nobody started (a thread that never ran) and resumes one whose thread died (no heartbeat for
STALE_AFTER). Resuming is safe because importing is idempotent: rows already in count as duplicates.
Claiming a job is a compare-and-set on its row, so a job never runs twice at the same time.

When a job has finished, the uploaded file is deleted (it holds debtors' contact details); the row report
stays for REPORT_DAYS for the uploader to download, then the sweep deletes it.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from waakvlam.bulkimport.bulk_import import ImportRefused, ImportResult, signals_import
from waakvlam.bulkimport.models import ImportJob, ImportStatus
from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import SETUP_ROLES
from waakvlam.intake.rules import may_import
from waakvlam.privacy.services import Actor

logger = logging.getLogger("waakvlam.intake.import")

STALE_AFTER = timedelta(minutes=2)  # no heartbeat for this long: the thread running it has died
START_GRACE = timedelta(seconds=30)  # a queued job's own thread gets this long to start it
REPORT_DAYS = 30
HEARTBEAT_EVERY = timedelta(seconds=2)


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Someone who may import sees their own uploads; coordinators and admins all of their organisation's."""
    if not may_import(user):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.filter(organisation=user.organisation)
    if user.role in SETUP_ROLES:
        return jobs
    return jobs.filter(created_by=user)


def imports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(job: ImportJob) -> Path:
    return imports_dir() / f"{job.token}.csv"


def report_path(job: ImportJob) -> Path:
    return imports_dir() / f"{job.token}-rapport.csv"


def import_job_create(
    *,
    organisation: Organisation,
    user: User | None,
    filename: str,
    chunks: Iterable[bytes],
    now: datetime,
    dry_run: bool = False,
) -> ImportJob:
    """Store the upload (chunk by chunk: never whole in memory) and queue its import."""
    token = secrets.token_hex(16)
    target = imports_dir() / f"{token}.csv"
    size = 0
    # Readable by this service's user only: the file holds debtors' contact details until it is deleted.
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
            size += len(chunk)
    return ImportJob.objects.create(
        organisation=organisation,
        created_by=user,
        token=token,
        filename=Path(filename or "bestand.csv").name[:200],
        size_bytes=size,
        dry_run=dry_run,
        created_at=now,
    )


def import_job_start(job: ImportJob) -> None:
    """Run the job in a thread of this process once the job's row is committed."""
    if not getattr(settings, "WAAKVLAM_IMPORT_THREADS", True):
        return
    transaction.on_commit(lambda: _start_thread(job.pk))


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_thread_main, args=(job_id,), name=f"import-job-{job_id}", daemon=True).start()


def _thread_main(job_id: int) -> None:
    try:
        import_job_run(job_id)
    except Exception:
        logger.exception("import job %s failed in its thread; the worker will pick it up again", job_id)
    finally:
        connection.close()


def _claim(job_id: int, now: datetime) -> ImportJob | None:
    """Take the job if it is queued, or running without a heartbeat for STALE_AFTER (its thread died)."""
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    taken = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportStatus.RUNNING, heartbeat_at=now, started_at=now
    )
    return ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id) if taken else None


def import_job_run(job_id: int, *, now: datetime | None = None) -> ImportJob | None:
    """Run one job to its end, if it can be claimed; returns it, or None when someone else has it."""
    job = _claim(job_id, now or timezone.now())
    if job is None:
        return None
    resumed = job.rows_read > 0
    source = upload_path(job)
    user = job.created_by
    actor = (
        Actor(user_id=user.pk, username=user.get_username(), role=user.role, organisation=job.organisation.slug)
        if user is not None
        else Actor.system("import")
    )
    last_beat = [timezone.now()]

    def progress(lines: int, result: ImportResult) -> None:
        moment = timezone.now()
        if moment - last_beat[0] < HEARTBEAT_EVERY and lines < result.lines_total:
            return
        last_beat[0] = moment
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=moment,
            lines_total=result.lines_total,
            rows_read=result.read,
            imported=result.imported,
            duplicates=result.duplicates,
            rejected=result.rejected,
        )

    fields: dict[str, object]
    try:
        report_fd = os.open(report_path(job), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(report_fd, "w", encoding="utf-8-sig", newline="") as report:
            result = signals_import(
                path=source,
                organisation=job.organisation,
                actor=actor,
                run_id=f"job:{job.pk}",
                dry_run=job.dry_run,
                report=report,
                progress=progress,
                context=f"ui:import {job.filename}"[:200],
            )
    except ImportRefused as refused:
        report_path(job).unlink(missing_ok=True)
        fields = {"status": ImportStatus.REFUSED, "message": refused.message[:500], "has_report": False}
    except Exception:
        logger.exception("import job %s failed", job.pk)
        fields = {
            "status": ImportStatus.FAILED,
            "message": "Het inlezen is misgegaan door een fout bij ons. Wat al was ingelezen blijft staan; "
            "probeer het later opnieuw met hetzelfde bestand (regels die er al zijn tellen dan als dubbel).",
        }
    else:
        message = ""
        if resumed:
            message = "Hervat na een onderbreking: regels die al waren ingelezen tellen als dubbel."
        if result.ignored_columns:
            message = (message + f" Niet gebruikte kolommen: {', '.join(result.ignored_columns)}.").strip()
        fields = {
            "status": ImportStatus.DONE,
            "message": message[:500],
            "lines_total": result.lines_total,
            "rows_read": result.read,
            "imported": result.imported,
            "duplicates": result.duplicates,
            "rejected": result.rejected,
            "problems": [
                {
                    "line": p.line,
                    "external_id": p.external_id,
                    "column": p.column,
                    "reason": p.reason,
                    "outcome": p.outcome,
                }
                for p in result.problems
            ],
            "has_report": True,
        }
    source.unlink(missing_ok=True)
    finished = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(finished_at=finished, heartbeat_at=finished, **fields)
    job.refresh_from_db()
    return job


def import_jobs_sweep(now: datetime) -> dict[str, int]:
    """The worker's part: start queued jobs whose thread never ran, resume those whose thread died, and
    delete reports older than REPORT_DAYS."""
    waiting = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=now - START_GRACE)
        | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    ran = sum(1 for job_id in list(waiting[:5]) if import_job_run(job_id, now=now) is not None)
    old = ImportJob.objects.filter(has_report=True, finished_at__lt=now - timedelta(days=REPORT_DAYS))
    removed = 0
    for job in old:
        report_path(job).unlink(missing_ok=True)
        removed += ImportJob.objects.filter(pk=job.pk).update(has_report=False)
    return {"import_jobs_run": ran, "import_reports_removed": removed}
