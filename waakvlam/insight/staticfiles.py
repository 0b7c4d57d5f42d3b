"""Serve plotly.js from the plotly wheel's own package data, never a copy in this repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.files.storage import FileSystemStorage

STATIC_PATH = "insight/vendor/plotly.min.js"
PACKAGE_DATA = Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Makes `insight/vendor/plotly.min.js` resolve to the installed plotly's plotly.min.js."""

    storage = FileSystemStorage(location=str(PACKAGE_DATA))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != STATIC_PATH:
            return [] if find_all else None
        found = str(PACKAGE_DATA / "plotly.min.js")
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, Any]]:
        yield "plotly.min.js", _PrefixedStorage(location=str(PACKAGE_DATA))


class _PrefixedStorage(FileSystemStorage):
    """collectstatic copies the file to STATIC_ROOT/insight/vendor/ (the storage's prefix)."""

    prefix = "insight/vendor"
