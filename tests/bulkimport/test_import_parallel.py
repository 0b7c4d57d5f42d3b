"""The import's parallel path (ADR 0008): the file read and validated in a child process, and on
PostgreSQL two writer threads with a connection each, committing batches of the same run at once. It must
end exactly where the plain path ends: the same signals, owners, history, encrypted details, access log and
report; and, with no foreign keys left in the database for the signal's references, nothing dangling.

These tests commit for real (transaction=True): the writer threads and the reading process need data
that other connections can see."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from waakvlam.bulkimport import bulk_import
from waakvlam.bulkimport.bulk_import import ImportResult, signals_import
from waakvlam.bulkimport.import_rows import Row, RowValidator
from waakvlam.core.models import Neighbourhood, Organisation
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_verify
from waakvlam.routing.services import routing_rules_seed_demo

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "external_id;signal_date;source_kind;postcode;house_number;arrears_amount;surname;birth_date;phone;email;note"
ACTOR = Actor(username="signaleerder", role="signaller", organisation="woonstede")


def arrears_file(path: Path, rows: int) -> Path:
    lines = [HEADER]
    for i in range(rows):
        surname = ["Jansen", "van 't Hof", 'de "Boer"', "Öztürk"][i % 4]
        lines.append(
            f"P-{i % (rows - 5)};2026-10-{1 + i % 28:02d};housing;9901 ab;{1 + i % 40};{i},50;{surname};"
            f"1970-01-{1 + i % 28:02d};06-1234{i:04d};p{i}@example.nl;Huurachterstand"
        )
    lines.insert(7, "BAD-1;2026-13-01;housing;9901AB;1;;;;;;")  # a bad date
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state() -> dict[str, object]:
    signals = Signal.objects.order_by("external_id")
    return {
        "signals": [
            (s.external_id, s.owner_team_id, s.owner_user_id, s.due_at is not None, s.household_id, s.debtor)
            for s in signals
        ],
        "steps": sorted(SignalEvent.objects.values_list("signal__external_id", "kind", "team_id", "note")),
        "logged": AccessLogEntry.objects.filter(object_type="intake.signal", action="create").count(),
    }


def run(path: Path, organisation: Organisation, *, batch_size: int, reader_process: bool) -> tuple[ImportResult, str]:
    report = io.StringIO()
    result = signals_import(
        path=path,
        organisation=organisation,
        actor=ACTOR,
        run_id=f"{path.name}-{reader_process}",
        report=report,
        batch_size=batch_size,
        reader_process=reader_process,
    )
    return result, report.getvalue()


def reset() -> None:
    Signal.objects.all().delete()  # the test's own data: Django deletes the history steps (CASCADE)


def test_the_parallel_path_ends_where_the_plain_one_does(
    areas: dict[str, Neighbourhood], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routing_rules_seed_demo(areas["BU99990100"].municipality)
    woonstede = Organisation.objects.get(slug="woonstede")
    path = arrears_file(tmp_path / "achterstanden.csv", 60)

    monkeypatch.setattr(bulk_import, "WRITERS", 0)
    plain, plain_report = run(path, woonstede, batch_size=7, reader_process=False)
    expected = state()
    reset()
    monkeypatch.undo()

    parallel, parallel_report = run(path, woonstede, batch_size=7, reader_process=True)
    assert (
        (parallel.read, parallel.imported, parallel.duplicates, parallel.rejected)
        == (
            plain.read,
            plain.imported,
            plain.duplicates,
            plain.rejected,
        )
        == (61, 55, 5, 1)
    )
    got = state()
    # Owners, due times, households, details and history as the plain path writes them.
    assert got["signals"] == expected["signals"]
    assert got["steps"] == expected["steps"] and got["logged"] == 2 * 55  # both runs' entries: never deleted
    assert sorted(parallel_report.splitlines()) == sorted(plain_report.splitlines())
    assert list(access_log_verify()) == []

    again, _ = run(path, woonstede, batch_size=7, reader_process=True)
    assert (again.imported, again.duplicates) == (0, 60)
    assert state()["signals"] == got["signals"]


def test_nothing_dangles_without_database_foreign_keys(areas: dict[str, Neighbourhood], tmp_path: Path) -> None:
    """What the dropped foreign keys checked, checked once over everything the import wrote."""
    routing_rules_seed_demo(areas["BU99990100"].municipality)
    woonstede = Organisation.objects.get(slug="woonstede")
    result, _ = run(arrears_file(tmp_path / "a.csv", 40), woonstede, batch_size=6, reader_process=True)
    assert result.imported == 35
    checks = {
        "address": "SELECT COUNT(*) FROM intake_signal s LEFT JOIN core_address a ON a.id = s.address_id "
        "WHERE s.address_id IS NOT NULL AND a.id IS NULL",
        "household": "SELECT COUNT(*) FROM intake_signal s LEFT JOIN households_household h "
        "ON h.id = s.household_id WHERE s.household_id IS NOT NULL AND h.id IS NULL",
        "team": "SELECT COUNT(*) FROM intake_signal s LEFT JOIN core_team t ON t.id = s.owner_team_id WHERE t.id IS NULL",
        "neighbourhood": "SELECT COUNT(*) FROM intake_signal s LEFT JOIN core_neighbourhood n "
        "ON n.id = s.neighbourhood_id WHERE s.neighbourhood_id IS NOT NULL AND n.id IS NULL",
        "municipality": "SELECT COUNT(*) FROM intake_signal s LEFT JOIN core_municipality m "
        "ON m.id = s.municipality_id WHERE m.id IS NULL",
        "step": "SELECT COUNT(*) FROM intake_signalevent e LEFT JOIN intake_signal s ON s.id = e.signal_id "
        "WHERE s.id IS NULL",
    }
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql)
            assert cursor.fetchone()[0] == 0, name
    assert SignalEvent.objects.count() == 2 * 35


def test_the_debtor_details_are_the_json_of_json_dumps() -> None:
    """The validator writes the details' JSON by hand (a third of json.dumps's cost): the same text."""
    header = ["external_id", "signal_date", "source_kind", "postcode", "house_number", "surname", "initials"]
    header += ["birth_date", "phone", "email"]
    validator = RowValidator(header, now=timezone.now())
    fields = ["X-1", "2026-10-01", "housing", "9901AB", "1", 'de "Boer"\\ \u2028Öz', "A.B.", "1970-01-02"]
    fields += ["06-12345678", "Tab\u00e9@Example.nl"]
    row = validator.validate(fields, 2)
    assert isinstance(row, Row) and row.debtor_details is not None
    details = {"surname": 'de "Boer"\\ \u2028Öz', "initials": "A.B.", "birth_date": "1970-01-02"}
    details |= {"phone": "06-12345678", "email": "tab\u00e9@example.nl"}
    assert row.debtor_details == json.dumps(details, ensure_ascii=False, separators=(",", ":"))
