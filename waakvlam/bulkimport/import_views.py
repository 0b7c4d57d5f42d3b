"""The upload page for bulk CSV imports (/importeren/): upload, follow the progress, read the summary and
download the row report. Thin: the work is in import_jobs.py and bulk_import.py.

Who may import: see import_jobs.may_import; anyone else gets a 404, like an object they may not see.
The progress fragment is polled by htmx (attributes only, no inline script); when the job is done it
asks the browser to reload the page, which then shows the summary.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from waakvlam.bulkimport.bulk_import import REQUIRED, max_import_bytes
from waakvlam.bulkimport.import_jobs import (
    import_job_create,
    import_job_start,
    import_jobs_visible_to,
    may_import,
    report_path,
)
from waakvlam.bulkimport.import_subjects import import_job_subjects, report_external_ids, summary_external_ids
from waakvlam.bulkimport.models import ImportJob
from waakvlam.core.models import User
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_reads, access_log_record


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("UTF-8, met een kopregel; komma of puntkomma als scheidingsteken."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )
    dry_run = forms.BooleanField(
        label=_("Alleen controleren: nog niets inlezen"),
        required=False,
    )


def _importer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_import(user):
        raise Http404
    return user


@csrf_exempt  # checked below, after the size: a huge upload is refused before its body is read at all
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user = _importer(request)
    limit = max_import_bytes()
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + 64 * 1024:
            megabytes = limit >> 20
            message = _(
                "Het bestand is te groot: hoogstens %(mb)s MB. Splits het in kleinere bestanden, elk met de kopregel."
            )
            return _page(request, user, ImportForm(), error=str(message % {"mb": megabytes}), status=413)
    return _upload(request, user)


@csrf_protect
def _upload(request: HttpRequest, user: User) -> HttpResponse:
    if request.method != "POST":
        return _page(request, user, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, user, form)
    upload = form.cleaned_data["file"]
    assert user.organisation is not None
    with transaction.atomic():
        job = import_job_create(
            organisation=user.organisation,
            user=user,
            filename=upload.name or "",
            chunks=upload.chunks(),
            now=timezone.now(),
            dry_run=form.cleaned_data["dry_run"],
        )
        import_job_start(job)
    return redirect("intake:import_detail", pk=job.pk)


def _page(request: HttpRequest, user: User, form: ImportForm, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "error": error,
        "jobs": import_jobs_visible_to(user).select_related("created_by")[:10],
        "required": REQUIRED,
        "max_mb": max_import_bytes() >> 20,
    }
    return render(request, "bulkimport/import_upload.html", context, status=status)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _importer(request)
    job = get_object_or_404(import_jobs_visible_to(user).select_related("organisation", "created_by"), pk=pk)
    if job.finished:
        # The summary lists rejected rows by line and external_id: the partner's reference to a debtor.
        _log_job(
            request, job, import_job_subjects(job, summary_external_ids(job)), AccessAction.VIEW, "ui:import_detail"
        )
    return render(request, "bulkimport/import_detail.html", {"job": job})


def _log_job(request: HttpRequest, job: ImportJob, subjects: list[str], action: AccessAction, context: str) -> None:
    """One entry naming each subject the page or file shows (import_subjects.py); one without, if none."""
    actor = Actor.from_request(request)
    if subjects:
        access_log_reads(
            actor=actor,
            object_type="intake.importjob",
            reads=[(job.pk, s) for s in subjects],
            context=context,
            reason="import",
            action=action,
        )
        return
    access_log_record(
        actor=actor,
        action=action,
        object_type="intake.importjob",
        object_id=job.pk,
        municipality_code=job.organisation.municipality.code,
        context=context,
    )


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    user = _importer(request)
    job = get_object_or_404(import_jobs_visible_to(user), pk=pk)
    if job.finished and getattr(request, "htmx", False):
        return HttpResponseClientRefresh()  # the whole page shows the summary
    return render(request, "bulkimport/_import_progress.html", {"job": job})


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    user = _importer(request)
    job = get_object_or_404(import_jobs_visible_to(user).select_related("organisation__municipality"), pk=pk)
    path = report_path(job)
    if not job.has_report or not path.exists():
        raise Http404
    _log_job(request, job, import_job_subjects(job, report_external_ids(path)), AccessAction.EXPORT, "ui:import_report")
    name = job.filename.rsplit(".", 1)[0] or "import"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"rapport-{name}.csv", content_type="text/csv; charset=utf-8"
    )
