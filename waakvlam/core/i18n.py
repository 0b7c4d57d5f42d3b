"""Dutch whatever the reader's language: what is stored or sent is written in Dutch, once.

History notes, notifications and e-mails are written in Dutch (the e-mail goes out in Dutch whatever the
reader chose; notify/catalogue.py shows a stored line in the reader's language at read time), and the
links they carry have no language prefix. These are the one way to say so, instead of a hand-written
`translation.override("nl")` at every place that writes such a text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

__all__ = ["dutch", "dutch_path", "in_dutch"]

# The language stored texts and links are written in (the UI's source language).
DUTCH = "nl"


def in_dutch() -> translation.override:
    """A block whose texts and links are all Dutch (several at once, e.g. a sweep's links)."""
    return translation.override(DUTCH)


def dutch(text: Promise | str | Callable[[], Any]) -> str:
    """A label as stored text, in Dutch: a lazy text (a choice's label) or a callable giving one (a model's
    `get_<field>_display`)."""
    with in_dutch():
        return str(text() if callable(text) else text)


def dutch_path(name: str, **kwargs: Any) -> str:
    """A screen's path as a stored link: without the reader's language prefix."""
    with in_dutch():
        return reverse(name, kwargs=kwargs or None)
