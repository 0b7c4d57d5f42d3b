"""The regie's pages in English: insight keeps its translations in its own locale directory, all translated
and compiled (the same check as the other apps')."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.contact.test_i18n import test_every_string_translated_and_compiled as check_app
from tests.insight.conftest import NOW, World
from waakvlam.insight.rollups import rollups_rebuild


def test_every_string_translated_and_compiled() -> None:
    check_app("insight")


def test_the_dashboard_in_english(world: World, login: Callable[[str], Client]) -> None:
    rollups_rebuild(now=NOW)
    page = login("regie").get("/en/inzicht/?from=2026-10-01&to=2026-10-31").content.decode()
    assert "Neighbourhood insight" in page and "Signals in" in page and "Area alarms" in page
    assert "Signalen binnen" not in page and "Wijkalarmen" not in page
