"""The house has no back doors: imports of waakvlam's own modules stand at the top of a module.

An import inside a function hides a dependency from the layers contract (.importlinter, run by
`make lint` as `lint-imports`) only in appearance: import-linter sees it all the same, so the usual
reason for one, dodging a circle or reaching up a layer, fails the build anyway. What is left are the
few places where an import inside a function has a reason of its own (start-up cost, say); each is
listed here and says why on its own line (`# why: ...`). `apps.py` is exempt: `AppConfig.ready()` is
where an app registers its hooks, after every app is loaded, and migrations are frozen history.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "waakvlam"

# (module file, imported module): the handful allowed, each with a `# why:` comment on its line.
ALLOWED: set[tuple[str, str]] = set()
MOST = 5


def _inner_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[int, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.level == 0 and (inner.module or "").startswith("waakvlam"):
                found[inner.lineno] = inner.module or ""
            elif isinstance(inner, ast.Import):
                for alias in inner.names:
                    if alias.name.startswith("waakvlam"):
                        found[inner.lineno] = alias.name
    return sorted(found.items())


def inner_imports() -> list[tuple[str, int, str, str]]:
    """Every import of waakvlam inside a function, outside apps.py and migrations: (file, line, module, text)."""
    rows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "apps.py" or "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, module in _inner_imports(path):
            rows.append((path.relative_to(ROOT).as_posix(), lineno, module, lines[lineno - 1]))
    return rows


def test_imports_inside_functions_are_the_allowed_few_and_say_why() -> None:
    rows = inner_imports()
    unexpected = [f"{file}:{line}: {module}" for file, line, module, _ in rows if (file, module) not in ALLOWED]
    assert not unexpected, (
        "import at the top of the module instead; where a lower app must react to a higher one, register a "
        "hook from the higher app's AppConfig.ready() (docs/architecture.md, 'Layers'): " + ", ".join(unexpected)
    )
    unexplained = [
        f"{file}:{line}" for file, line, module, text in rows if (file, module) in ALLOWED and "# why:" not in text
    ]
    assert not unexplained, "an allowed import inside a function says why on its line: " + ", ".join(unexplained)
    assert len(ALLOWED) <= MOST


def test_the_allow_list_names_only_imports_that_exist() -> None:
    seen = {(file, module) for file, _, module, _ in inner_imports()}
    assert seen >= ALLOWED, f"no longer inside a function, strike from ALLOWED: {sorted(ALLOWED - seen)}"


def test_the_scan_finds_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from waakvlam.core import roles\n\n\ndef f():\n    from waakvlam.intake.models import Signal\n"
        "    import json\n    return Signal\n",
        encoding="utf-8",
    )
    assert _inner_imports(sample) == [(5, "waakvlam.intake.models")]
