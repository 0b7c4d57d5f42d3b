"""The municipality's start page counts every signal per neighbourhood from the year rollups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from tests.insight.conftest import BINNENSTAD, HAVENKWARTIER, NOW, STATIONSKWARTIER, World, make_signal
from waakvlam.insight.home import signals_per_neighbourhood
from waakvlam.insight.rollups import rollups_update
from waakvlam.intake.models import Signal

pytestmark = pytest.mark.django_db


def test_the_year_rollups_count_every_signal_per_neighbourhood(world: World) -> None:
    make_signal(BINNENSTAD, NOW - timedelta(days=400), hours_to_pickup=3)  # last year: another year row
    rollups_update(NOW)
    live = Counter(Signal.objects.filter(municipality=world.municipality).values_list("neighbourhood_id", flat=True))
    assert signals_per_neighbourhood(world.municipality.pk) == {hood or 0: n for hood, n in live.items()}
    assert signals_per_neighbourhood(world.municipality.pk + 1000) == {}


def test_the_start_page_shows_them_with_small_numbers_suppressed(world: World, login: Callable[[str], Client]) -> None:
    rollups_update(NOW)
    page = login("regie").get("/").content.decode()
    rows = {code: page.split(f"<code>{code}</code>")[1].split("</tr>")[0] for code in (BINNENSTAD, HAVENKWARTIER)}
    assert ">12</td>" in rows[BINNENSTAD] and ">7</td>" in rows[HAVENKWARTIER]
    stations = page.split(f"<code>{STATIONSKWARTIER}</code>")[1].split("</tr>")[0]
    assert "&lt; 5" in stations  # 3 signals
