"""`waakvlam import-signals FILE --org SLUG [--dry-run] [--report OUT.csv]`: counts, progress, exit codes.

Exit 0 when the file was read (bad rows included), 1 when it could not be: Django turns the CommandError
into exit status 1 with its message on stderr (test_import_kill.py runs the real process and checks the
status itself)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waakvlam.core.models import Neighbourhood
from waakvlam.intake.models import Signal

pytestmark = pytest.mark.django_db

GOOD = (
    "external_id;signal_date;source_kind;postcode;house_number;arrears_amount\n"
    "K-1;2026-10-01;housing;9901AB;1;12,50\n"
    "K-2;2026-10-01;energy;9921CD;2;\n"
    "K-3;2026-10-01;nowhere;9901AB;3;\n"
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def good(areas: dict[str, Neighbourhood], tmp_path: Path) -> Path:
    path = tmp_path / "achterstanden.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_counts_and_report(good: Path, tmp_path: Path) -> None:
    out, report = io.StringIO(), tmp_path / "rapport.csv"
    call_command("import-signals", str(good), "--org", "woonstede", "--report", str(report), stdout=out)
    text = out.getvalue()
    assert "read 3, imported 2, duplicates 0, rejected 1" in text
    assert "line 4 [source_kind] K-3" in text
    rows = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0] == ["regel", "external_id", "kolom", "uitkomst", "reden"]
    assert rows[1][:4] == ["4", "K-3", "source_kind", "afgewezen"]
    assert Signal.objects.count() == 2
    again = io.StringIO()
    call_command("import-signals", str(good), "--org", "woonstede", stdout=again)
    assert "read 3, imported 0, duplicates 2, rejected 1" in again.getvalue()
    assert Signal.objects.count() == 2


def test_dry_run_writes_nothing(good: Path) -> None:
    out = io.StringIO()
    call_command("import-signals", str(good), "--org", "woonstede", "--dry-run", stdout=out)
    assert "dry run, nothing written: read 3, would be imported 2, duplicates 0, rejected 1" in out.getvalue()
    assert Signal.objects.count() == 0


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_otherwise(good: Path) -> None:
    terminal = Terminal()
    call_command("import-signals", str(good), "--org", "woonstede", "--dry-run", stdout=terminal)
    assert "\r[" in terminal.getvalue() and "rows/s" in terminal.getvalue()
    plain = io.StringIO()
    call_command("import-signals", str(good), "--org", "woonstede", "--dry-run", stdout=plain)
    assert "\r" not in plain.getvalue()
    assert "100%: 4 of 4 lines" in plain.getvalue()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--org", "nobody"], "Onbekende organisatie 'nobody'"),
        (["--org", "woonstede", "--batch-size", "0"], "--batch-size"),
    ],
)
def test_bad_arguments_exit_1_with_a_message(good: Path, args: list[str], says: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("import-signals", str(good), *args)
    assert says in str(error.value)
    assert error.value.returncode == 1


def test_missing_file_exits_1(areas: dict[str, Neighbourhood], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import-signals", str(tmp_path / "weg.csv"), "--org", "woonstede")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"external_id;signal_date;postcode\nX;2026-10-01;9901AB\n", "Verplichte kolom ontbreekt"),
        (
            "external_id;signal_date;source_kind;postcode;house_number\nX;2026-10-01;housing;9901AB;1;Zoë\n".encode(
                "cp1252"
            ),
            "geen UTF-8",
        ),
    ],
)
def test_a_file_that_cannot_be_read_exits_1_and_leaves_no_report(
    areas: dict[str, Neighbourhood], tmp_path: Path, content: bytes, says: str
) -> None:
    path, report = tmp_path / "fout.csv", tmp_path / "rapport.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=says):
        call_command("import-signals", str(path), "--org", "woonstede", "--report", str(report))
    assert not report.exists()
    assert Signal.objects.count() == 0
