"""The README's status table quotes docs/benchmarks.md, whose figures are the truth."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_figure_in_the_readme_is_in_docs_benchmarks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    benchmarks = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    start = readme.index("| area |")
    status = readme[start : readme.index("\n\n", start)]  # the status table, up to the blank line after it
    # Seconds and ratios quoted as measured figures: "59.95 s", "0.158 of the ceiling".
    figures = re.findall(r"(\d+(?:\.\d+)? s)\b|(0\.\d+) of", status)
    quoted = {a or b for a, b in figures}
    assert quoted, "the status table quotes no benchmark figure any more; drop this test with it"
    stale = sorted(f for f in quoted if f not in benchmarks)
    assert not stale, f"README figures not in docs/benchmarks.md (rerun nothing: copy them from there): {stale}"
