"""A day is the day in the Netherlands, in the code and in the tests.

`timezone.now()` is in UTC; between midnight in Amsterdam and midnight in UTC its `.date()` is still
yesterday. A test that built a due date with `now.date()` while the service checked it against
`timezone.localdate(now)` failed every night in that hour (CI on 2026-12-04, 23:xx UTC: "De datum ligt
in het verleden"). `date.today()` has the same flaw with the machine's own time zone. Both are banned:
use `timezone.localdate(now)`.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BANNED = re.compile(r"\bnow\.date\(\)|\bnow\(\)\.date\(\)|\bdate\.today\(\)")


def test_no_day_taken_from_utc_or_the_machine_clock() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("waakvlam", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BANNED.search(line)
    ]
    assert not found, "use timezone.localdate(now) instead:\n" + "\n".join(found)
