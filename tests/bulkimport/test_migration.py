"""ImportJob moved from intake to bulkimport without moving data: a database migrated as main left it, with
rows in the import table, keeps them (SQLite and PostgreSQL: the suite runs on both)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from waakvlam.bulkimport.models import ImportJob, ImportStatus
from waakvlam.core.models import Organisation

BEFORE = [("intake", "0008_network_worry_source"), ("bulkimport", None)]


def _migrate(targets: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_the_import_rows(town: object) -> None:
    latest = _latest()
    _migrate(BEFORE)
    try:
        organisation_id = Organisation.objects.get(slug="woonstede").pk
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO intake_importjob (organisation_id, token, filename, size_bytes, dry_run, status, message, "
                "lines_total, rows_read, imported, duplicates, rejected, problems, has_report, created_at) "
                "VALUES (%s, 'migrationtest', 'achterstanden.csv', 10, %s, 'done', '', 3, 3, 2, 1, 0, '[]', %s, %s)",
                [organisation_id, False, True, timezone.now()],
            )
    finally:
        _migrate(latest)
    job = ImportJob.objects.get(token="migrationtest")
    assert (job.filename, job.status, job.imported, job.duplicates, job.has_report) == (
        "achterstanden.csv",
        ImportStatus.DONE,
        2,
        1,
        True,
    )
    assert ImportJob._meta.db_table == "intake_importjob"
