"""Every CSV file the product writes goes through `csv_writer`, which neutralises spreadsheet formulas.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the file is opened ("CSV injection"): a reporter's external id or a free-text reason
could then fetch a URL or run a command on a municipal desktop. Such a cell gets a leading apostrophe,
which spreadsheets show as text and people read past (OWASP's advice). tests/core/test_csvfiles.py
fails when code writes CSV another way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """`value`, made inert for a spreadsheet when it is text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeWriter:
    """csv.writer's writerow/writerows, with every cell passed through csv_safe."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)
