"""HSDS in and out: the official full example survives import and export with every field Waakvlam
models; imports are idempotent by id; a broken file changes nothing; each refused record is reported."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.socialmap import factories
from tests.socialmap.hsds_schemas import assert_valid, compiled_validator, example
from waakvlam.core.models import Municipality
from waakvlam.socialmap import models as m
from waakvlam.socialmap.hsds_import import read_document, report_write
from waakvlam.socialmap.hsds_tables import from_hsds

pytestmark = pytest.mark.django_db


def _modelled(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record of a document, by entity and id, with the values of the columns Waakvlam models,
    normalised (so 35 and 35.0, or two spellings of a time, compare equal)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for record in read_document(document):
        key = (record.table.entity, str(record.values.get("id")))
        values = out.setdefault(key, {})
        for column in record.table.columns:
            if column.name in record.values and record.values[column.name] not in (None, ""):
                values.setdefault(column.name, from_hsds(record.values[column.name], column))
    return out


def _run_import(path: Path, *extra: str) -> int:
    try:
        call_command("socialmap", "import", str(path), *extra)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


def test_official_full_example_survives_import_and_export(town: Municipality, tmp_path: Path) -> None:
    original = example("service_full.json")
    source = tmp_path / "service_full.json"
    source.write_text(json.dumps(original))
    assert _run_import(source) == 0
    call_command("socialmap", "export", str(tmp_path / "out"))
    exported = json.loads((tmp_path / "out" / "services.json").read_text())
    assert exported["total_items"] == 1
    again = exported["contents"][0]
    assert_valid(compiled_validator("service.json"), again)
    before, after = _modelled(original), _modelled(again)
    # Every entity Waakvlam models is in the example: organisation, service, location, address,
    # accessibility, service at location, schedule, phone, contact, language, cost option, attribute, term.
    assert len(before) >= 13 and sum(len(v) for v in before.values()) > 100
    for key, values in before.items():
        assert key in after, f"{key} was lost"
        for column, value in values.items():
            assert after[key].get(column) == value, f"{key} {column}: {value!r} became {after[key].get(column)!r}"


def test_import_is_idempotent_by_id(town: Municipality, tmp_path: Path) -> None:
    source = tmp_path / "service_full.json"
    source.write_text(json.dumps(example("service_full.json")))
    assert _run_import(source) == 0
    counts = [
        m.Service.objects.count(),
        m.Phone.objects.count(),
        m.Schedule.objects.count(),
        m.Location.objects.count(),
    ]
    assert _run_import(source) == 0
    assert [
        m.Service.objects.count(),
        m.Phone.objects.count(),
        m.Schedule.objects.count(),
        m.Location.objects.count(),
    ] == counts
    assert counts[0] == 1


def test_dry_run_changes_nothing(town: Municipality, tmp_path: Path) -> None:
    source = tmp_path / "service_full.json"
    source.write_text(json.dumps(example("service_full.json")))
    assert _run_import(source, "--dry-run") == 0
    assert not m.Service.objects.exists() and not m.Organization.objects.exists()


@pytest.mark.parametrize("content", ['{"contents": [', "[1, 2]", "\xff\xfe", '"a string"'])
def test_a_broken_file_changes_nothing_and_exits_1(town: Municipality, tmp_path: Path, content: str) -> None:
    source = tmp_path / "broken.json"
    source.write_bytes(content.encode("latin-1"))
    assert _run_import(source) == 1
    assert not m.Organization.objects.exists()


def test_refused_records_are_reported_and_the_good_ones_land(town: Municipality, tmp_path: Path) -> None:
    org = {"id": "0a4b8d9e-1111-4c5d-8e9f-000000000001", "name": "Buurtkamer", "description": "Ontmoeting"}
    good = {"id": "0a4b8d9e-1111-4c5d-8e9f-000000000002", "name": "Koffie", "status": "active", "organization": org}
    bad_status = {
        "id": "0a4b8d9e-1111-4c5d-8e9f-000000000003",
        "name": "Kapot",
        "status": "misschien",
        "organization_id": org["id"],
        "phones": [{"id": "0a4b8d9e-1111-4c5d-8e9f-000000000004", "number": "010"}],
    }
    bad_id = {"id": "=HYPERLINK(1)", "name": "Geen id", "status": "active", "organization_id": org["id"]}
    unknown_org = {
        "id": "0a4b8d9e-1111-4c5d-8e9f-000000000005",
        "name": "Wees",
        "status": "active",
        "organization_id": "0a4b8d9e-1111-4c5d-8e9f-00000000dead",
    }
    source = tmp_path / "page.json"
    source.write_text(json.dumps({"contents": [good, bad_status, bad_id, unknown_org]}))
    report = tmp_path / "report.csv"
    assert _run_import(source, "--report", str(report)) == 0
    assert list(m.Service.objects.values_list("name", flat=True)) == ["Koffie"]
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    reasons = {row["record"]: row["reason"] for row in rows}
    assert "status" in reasons["service 0a4b8d9e-1111-4c5d-8e9f-000000000003"]
    assert "service" in reasons["phone 0a4b8d9e-1111-4c5d-8e9f-000000000004"]  # its service was refused
    assert "organization_id" in reasons["service 0a4b8d9e-1111-4c5d-8e9f-000000000005"]
    assert any("=HYPERLINK" in label for label in reasons)
    assert len(rows) == 4


def test_report_cells_cannot_start_a_formula(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    report_write(report, [("=cmd|' /C calc'!A0", "+1"), ("@SUM(1)", "-2"), ("ok", "fine")])
    rows = list(csv.reader(report.open(encoding="utf-8")))[1:]
    assert rows == [["'=cmd|' /C calc'!A0", "'+1"], ["'@SUM(1)", "'-2"], ["ok", "fine"]]


def test_tabular_datapackage_round_trip(town: Municipality, tmp_path: Path) -> None:
    factories.service(town, name="Koffieochtend")
    factories.service(town, name="Budgetcafé", need_code="geld", collective=False, free=False, access=m.Access.REFERRAL)
    call_command("socialmap", "export", str(tmp_path / "out"))
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} >= {"services.csv", "organizations.csv", "schedules.csv"}
    for service in json.loads((tmp_path / "out" / "services.json").read_text())["contents"]:
        assert_valid(compiled_validator("service.json"), service)
    snapshot = sorted(m.Service.objects.values_list("id", "name", "collective", "free", "access"))
    m.Service.objects.all().delete()
    m.Organization.objects.all().delete()
    assert _run_import(tmp_path / "out") == 0
    assert sorted(m.Service.objects.values_list("id", "name", "collective", "free", "access")) == snapshot
    assert m.Schedule.objects.filter(byday="TU").count() == 2
