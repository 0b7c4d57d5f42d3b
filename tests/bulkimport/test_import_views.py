"""The upload page /importeren/: who may use it, the upload → background job → summary → report journey,
the htmx progress fragment, refusals, size limit, and the worker picking up jobs whose thread never ran."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.factories import user
from waakvlam.bulkimport.import_jobs import import_job_run, import_jobs_sweep, may_import, report_path, upload_path
from waakvlam.bulkimport.models import ImportJob, ImportStatus
from waakvlam.core.models import Neighbourhood
from waakvlam.intake.models import Signal
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

ROLES = [
    "signaleerder",
    "waakvlammer",
    "waakvlammer2",
    "coordinator",
    "ggz",
    "wijkagent",
    "regie",
    "privacy",
    "beheer",
    "budgetcoach",
]
MAY_IMPORT = {"signaleerder", "coordinator", "beheer"}  # a housing association's signaller; coordinators; admins
CSV = (
    "external_id;signal_date;source_kind;postcode;house_number;arrears_amount;surname\n"
    "U-1;2026-10-01;housing;9901AB;1;100,00;Jansen\n"
    "U-2;2026-10-01;housing;9901AB;2;;\n"
    "U-3;2026-10-01;housing;12345;3;;\n"
)


@pytest.fixture
def areas_loaded(areas: dict[str, Neighbourhood], settings: object) -> dict[str, Neighbourhood]:
    settings.WAAKVLAM_IMPORT_THREADS = False  # type: ignore[attr-defined]  # the test runs the job itself
    return areas


def upload(client: Client, content: str | bytes = CSV, **extra: object) -> ImportJob:
    data = content.encode() if isinstance(content, str) else content
    response = client.post("/importeren/", {"file": SimpleUploadedFile("achterstanden.csv", data), **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == f"/importeren/{job.pk}/"
    return job


@pytest.mark.parametrize("username", ROLES)
def test_who_may_import(areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client], username: str) -> None:
    assert may_import(user(username)) is (username in MAY_IMPORT)
    response = login(username).get("/importeren/")
    assert response.status_code == (200 if username in MAY_IMPORT else 404)


def test_upload_runs_in_the_background_and_shows_a_summary(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    client = login("signaleerder")
    job = upload(client)
    assert (job.status, job.organisation.slug, job.created_by, job.filename) == (
        "queued",
        "woonstede",
        user("signaleerder"),
        "achterstanden.csv",
    )
    assert upload_path(job).exists()
    waiting = client.get(f"/importeren/{job.pk}/").content.decode()
    assert 'hx-get="/importeren/' in waiting and "<progress" in waiting
    ran = import_job_run(job.pk)
    assert ran is not None and ran.status == ImportStatus.DONE
    assert (ran.rows_read, ran.imported, ran.duplicates, ran.rejected) == (3, 2, 0, 1)
    assert not upload_path(job).exists()  # the debtors' details are not kept in the upload
    assert Signal.objects.filter(reporter_organisation__slug="woonstede").count() == 2
    fragment = client.get(f"/importeren/{job.pk}/voortgang/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    before = AccessLogEntry.objects.count()
    page = client.get(f"/importeren/{job.pk}/").content.decode()
    assert "Samenvatting" in page and "U-3" in page and "postcode" in page and "hx-get" not in page
    report = client.get(f"/importeren/{job.pk}/rapport.csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    assert "attachment" in report["Content-Disposition"]
    body = b"".join(report.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert body.splitlines()[0] == "regel;external_id;kolom;uitkomst;reden"
    assert "4;U-3;postcode;afgewezen" in body
    logged = list(AccessLogEntry.objects.filter(seq__gt=0).order_by("-seq")[:2].values_list("action", "object_type"))
    assert AccessLogEntry.objects.count() == before + 2
    assert logged == [("export", "intake.importjob"), ("view", "intake.importjob")]
    listing = client.get("/importeren/").content.decode()
    assert "achterstanden.csv" in listing


def test_a_dry_run_upload_writes_no_signals(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    client = login("coordinator")
    job = upload(client, dry_run="on")
    ran = import_job_run(job.pk)
    assert ran is not None and ran.dry_run and (ran.imported, ran.rejected) == (2, 1)
    assert Signal.objects.count() == 0
    assert "alleen gecontroleerd" in client.get(f"/importeren/{job.pk}/").content.decode()


def test_a_refused_file_says_why(areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("beheer")
    job = upload(client, "external_id,naam\nX-1,Jan\n")
    ran = import_job_run(job.pk)
    assert ran is not None and ran.status == ImportStatus.REFUSED
    page = client.get(f"/importeren/{job.pk}/").content.decode()
    assert "Verplichte kolom ontbreekt" in page
    assert client.get(f"/importeren/{job.pk}/rapport.csv").status_code == 404


def test_jobs_are_visible_to_their_uploader_and_their_organisations_coordinators(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    job = upload(login("signaleerder"))
    import_job_run(job.pk)
    for username, status in (("coordinator", 404), ("beheer", 404), ("waakvlammer", 404), ("signaleerder", 200)):
        client = login(username)
        assert client.get(f"/importeren/{job.pk}/").status_code == status
        assert client.get(f"/importeren/{job.pk}/rapport.csv").status_code == status
        assert client.get(f"/importeren/{job.pk}/voortgang/").status_code == status


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client], settings: object
) -> None:
    settings.WAAKVLAM_IMPORT_MAX_BYTES = 1000  # type: ignore[attr-defined]
    client = login("signaleerder")
    big = SimpleUploadedFile("groot.csv", b"x" * 200_000)
    response = client.post("/importeren/", {"file": big})
    assert response.status_code == 413
    assert "te groot" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_upload_needs_a_csrf_token(areas_loaded: dict[str, Neighbourhood]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("signaleerder"))
    response = client.post("/importeren/", {"file": SimpleUploadedFile("a.csv", CSV.encode())})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_an_empty_upload_is_a_form_error(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    response = login("signaleerder").post("/importeren/", {"file": SimpleUploadedFile("leeg.csv", b"")})
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_the_worker_runs_jobs_whose_thread_never_ran_or_died(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    client = login("signaleerder")
    fresh = upload(client)
    now = timezone.now()
    assert import_jobs_sweep(now)["import_jobs_run"] == 0  # its own thread gets the first go
    assert import_jobs_sweep(now + timedelta(minutes=1))["import_jobs_run"] == 1
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.DONE
    died = upload(client, CSV.replace("U-", "V-"))
    ImportJob.objects.filter(pk=died.pk).update(status=ImportStatus.RUNNING, heartbeat_at=now, rows_read=1)
    assert import_jobs_sweep(now + timedelta(seconds=30))["import_jobs_run"] == 0  # still alive
    assert import_job_run(died.pk, now=now + timedelta(seconds=30)) is None  # and not run twice
    assert import_jobs_sweep(now + timedelta(minutes=5))["import_jobs_run"] == 1
    died.refresh_from_db()
    assert died.status == ImportStatus.DONE and "Hervat" in died.message
    assert Signal.objects.count() == 4
    ImportJob.objects.update(finished_at=now - timedelta(days=40))
    assert import_jobs_sweep(now)["import_reports_removed"] == 2
    assert not report_path(fresh).exists()


def test_the_report_form_points_importers_to_the_upload_page(
    areas_loaded: dict[str, Neighbourhood], login: Callable[[str], Client]
) -> None:
    assert 'href="/importeren/"' in login("signaleerder").get("/melden/").content.decode()
    assert 'href="/importeren/"' not in login("wijkagent").get("/melden/").content.decode()
