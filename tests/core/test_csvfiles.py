"""CSV files are written through core.csvfiles only, which makes formula cells inert."""

from __future__ import annotations

import io
import re
from pathlib import Path

import waakvlam
from waakvlam.core.csvfiles import csv_safe, csv_writer


def test_formula_cells_are_neutralised_and_others_kept() -> None:
    stream = io.StringIO()
    csv_writer(stream, delimiter=";").writerow(["=1+1", "+31 6", "-5", "@x", "\tA", "gewoon", 12, "a=b"])
    assert stream.getvalue().strip() == "'=1+1;'+31 6;'-5;'@x;'\tA;gewoon;12;a=b"
    assert csv_safe(None) is None


# Files for machines, not spreadsheets, whose cells must survive byte for byte; each with the reason.
MACHINE_FORMATS = {
    "socialmap/hsds_export.py": "an HSDS 3.0 datapackage: a phone number '+31 …' must round-trip unchanged",
}


def test_no_code_writes_csv_around_the_shared_helper() -> None:
    # A new export must use core.csvfiles.csv_writer (so formula cells are neutralised), not csv.writer.
    root = Path(waakvlam.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "csvfiles.py"
        and str(path.relative_to(root)) not in MACHINE_FORMATS
        and re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
