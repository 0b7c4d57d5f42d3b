"""Stored texts and links are Dutch whatever the reader reads, through core/i18n.py alone."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.utils import translation

from waakvlam.core.i18n import dutch, dutch_path, in_dutch
from waakvlam.intake.models import Category


def test_a_label_and_a_display_callable_are_written_in_dutch_under_an_english_request() -> None:
    with translation.override("en"):
        assert dutch(Category.PAYMENT_ARREARS.label) == "Betalingsachterstand"
        assert dutch(lambda: Category("payment_arrears").label) == "Betalingsachterstand"
        assert str(Category.PAYMENT_ARREARS.label) != "Betalingsachterstand"  # the reader's own language
        assert translation.get_language() == "en"  # and the request's language is back afterwards


def test_a_stored_link_has_no_language_prefix() -> None:
    with translation.override("en"):
        assert dutch_path("notify:list") == "/berichten/"
        task = uuid.UUID("00000000-0000-4000-8000-000000000007")
        assert dutch_path("cases:task_detail", pk=task) == f"/taken/{task}/"
        with in_dutch():
            assert translation.get_language() == "nl"


def test_nobody_writes_the_override_by_hand() -> None:
    root = Path(__file__).resolve().parents[2] / "waakvlam"
    hand_written = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "i18n.py" and re.search(r"override\(\s*[\"']nl[\"']", path.read_text())
    ]
    assert hand_written == []
