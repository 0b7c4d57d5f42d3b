"""The intake writer's look-ups stay index probes in any plan PostgreSQL picks for its prepared statement.

The statement is prepared once per connection, and after a few runs PostgreSQL may keep one generic plan
for every later batch. A look-up written as `column = ANY(array)` could not use the partial external_id
index in that plan and read every signal of the table for each batch; these tests keep that from
coming back as the tables grow."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality, Organisation
from waakvlam.intake.group_write import _READ_SQL
from waakvlam.intake.models import Signal

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer's statements run on PostgreSQL only"),
]

_TYPES = "text[], text[], bigint[], text[], text[], text[], int"
_ARGUMENTS = (
    "'{org:1,org:1}'::text[], '{k1,k2}'::text[], '{1,2}'::bigint[], '{e1,e2}'::text[], '{9901AB}'::text[], "
    "'{9901AB|12||}'::text[], 2"
)


def _plan(mode: str) -> str:
    numbered = iter(range(1, 100))
    sql = re.sub(r"%s", lambda _match: f"${next(numbered)}", _READ_SQL)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
        cursor.execute(f"PREPARE intake_read ({_TYPES}) AS {sql}")
        try:
            cursor.execute(f"EXPLAIN EXECUTE intake_read ({_ARGUMENTS})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE intake_read")


@pytest.fixture
def grown_tables(town: Municipality) -> None:
    """Tables as large as an organisation's after some years (20,000 signals with an external_id and as
    many stored keys), analysed: on a handful of rows any plan is a scan, and rightly so."""
    template = signal_for(team("Waakvlam Centrum-Oost"))
    organisation = Organisation.objects.get(slug="woonstede")
    columns = [f.column for f in Signal._meta.concrete_fields if f.column not in {"id", "tracking_code", "external_id"}]
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO intake_signal ({names}, tracking_code, external_id) "  # noqa: S608 - names from _meta
            f"SELECT {names.replace('reporter_organisation_id', '%s')}, 'P' || n, 'ext-' || n "
            "FROM intake_signal, generate_series(1, 20000) AS n WHERE id = %s",
            [organisation.pk, template.pk],
        )
        cursor.execute(
            "INSERT INTO intake_idempotencykey (scope, key, request_hash, status_code, response, created_at) "
            "SELECT 'org:1', 'key-' || n, '', 201, '{}', now() FROM generate_series(1, 20000) AS n"
        )
        cursor.execute("ANALYZE intake_signal")
        cursor.execute("ANALYZE intake_idempotencykey")


@pytest.mark.parametrize("mode", ["force_generic_plan", "force_custom_plan"])
def test_the_batch_read_probes_unique_indexes(mode: str, grown_tables: None) -> None:
    plan = _plan(mode)
    assert "Seq Scan on intake_signal" not in plan
    assert "Seq Scan on intake_idempotencykey" not in plan
    assert "signal_unique_external_id_per_organisation" in plan
    assert "idempotency_key_unique_per_scope" in plan
