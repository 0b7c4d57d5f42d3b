"""`waakvlam insight-rebuild` and `waakvlam insight-export --month YYYY-MM OUT.csv`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.insight.conftest import STATIONSKWARTIER, World
from waakvlam.insight.export import HEADER
from waakvlam.insight.models import SignalCell


def test_rebuild_then_export_a_month(world: World, tmp_path: Path) -> None:
    call_command("insight-rebuild")
    assert SignalCell.objects.exists()
    out = tmp_path / "oktober.csv"
    call_command("insight-export", "--month", "2026-10", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == HEADER
    by_code = {r["code"]: r for r in rows}
    assert by_code["GM9999"]["signals_in"] == "22"
    assert by_code[STATIONSKWARTIER]["signals_in"] == ""  # 3: suppressed
    assert by_code["GM9999"]["level"] == "municipality"
    for row in rows:
        for column in HEADER[6:]:
            if row[column] and "." not in row[column] and not column.startswith("rate."):
                assert int(row[column]) == 0 or int(row[column]) >= 5, (row["code"], column)


@pytest.mark.parametrize("month", ["2026-13", "oktober", "2026-1"])
def test_a_bad_month_is_refused(world: World, tmp_path: Path, month: str) -> None:
    with pytest.raises(CommandError):
        call_command("insight-export", "--month", month, str(tmp_path / "x.csv"))
