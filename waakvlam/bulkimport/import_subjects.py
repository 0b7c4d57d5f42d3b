"""Whom an import's summary and row report are about, for the access log (issue 11, item 4).

Both list rows by `external_id`: the partner's own reference to a debtor. Where such a reference names a
signal of the job's own organisation (a duplicate, or a row refused after an earlier import took it), the
page or file shows something about that signal's address: the access-log entry names it, so a
data-subject request finds the import too. Looked up in batches on the unique (organisation, external_id)
index; a reference that names nothing in the database names nobody we hold data about."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from waakvlam.bulkimport.models import ImportJob
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signal_subject

BATCH = 2000
FORMULA_START = ("=", "+", "-", "@")


def import_job_subjects(job: ImportJob, external_ids: Iterable[str]) -> list[str]:
    """The access-log subjects of the signals of the job's organisation that these references name."""
    wanted = sorted({e for e in external_ids if e})
    subjects: set[str] = set()
    for start in range(0, len(wanted), BATCH):
        rows = Signal.objects.filter(
            reporter_organisation_id=job.organisation_id, external_id__in=wanted[start : start + BATCH]
        ).only("pk", "address_id")
        subjects.update(signal_subject(s) for s in rows)
    return sorted(subjects)


def summary_external_ids(job: ImportJob) -> list[str]:
    return [str(p.get("external_id") or "") for p in job.problems if isinstance(p, dict)]


def report_external_ids(path: Path) -> Iterator[str]:
    """The external_id column of a row report, undoing the spreadsheet-formula guard of core.csvfiles."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = handle.readline()
        delimiter = ";" if header.startswith("regel;") else ","
        for row in csv.reader(handle, delimiter=delimiter):
            if len(row) < 2:
                continue
            value = row[1]
            if value.startswith("'") and value[1:].startswith(FORMULA_START):
                value = value[1:]
            yield value
