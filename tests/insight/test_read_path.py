"""The read path's shortcuts change no figure: one read of the areas and of the figures of now for two
periods, one colour-scale call for the whole map, and a number of statements per page that does not grow
with the neighbourhoods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from plotly.colors import sample_colorscale, sequential

from tests.insight.conftest import NOW, World
from waakvlam.core.models import District, Neighbourhood
from waakvlam.insight.charts import UNKNOWN_COLOUR, map_figure, share_of
from waakvlam.insight.rollups import rollups_rebuild
from waakvlam.insight.selectors import (
    ALL_COUNTS,
    ALL_READS,
    Scope,
    figures_for_periods,
    neighbourhood_figures,
    reads_for,
)
from waakvlam.insight.views import FIGURES

pytestmark = pytest.mark.django_db
PERIODS = [(date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 8, 31), date(2026, 9, 30))]


@pytest.mark.parametrize("organisation", ["all", "housing"])
def test_two_periods_at_once_are_the_two_answers(world: World, organisation: str) -> None:
    rollups_rebuild(now=NOW)
    scope = Scope(world.municipality.pk, 0 if organisation == "all" else world.housing.pk)
    together = figures_for_periods(scope, PERIODS, NOW)
    assert together == [neighbourhood_figures(scope, start, end, NOW) for start, end in PERIODS]
    assert together[0]["neighbourhoods"] and together[0] != together[1]


@pytest.mark.parametrize("organisation", ["all", "housing"])
def test_a_period_read_only_for_some_figures_gives_those_figures_exactly(world: World, organisation: str) -> None:
    """The page's period before reads only what its one figure needs (reads_for); every published figure
    (count, rate, median, 90th percentile), suppressed or not, comes out as in the whole answer."""
    rollups_rebuild(now=NOW)
    scope = Scope(world.municipality.pk, 0 if organisation == "all" else world.housing.pk)
    names = [
        *(("counts", m) for m in ALL_COUNTS),
        *(("rates", r) for r in ("picked_up_in_time", "picked_up", "escalated", "handovers_first_contact_in_time")),
        *(("rates", r) for r in ("referrals_connected", "referrals_collective", "tasks_done_in_time")),
        ("", "median_hours_to_pickup"),
        ("", "p90_hours_to_pickup"),
    ]
    assert {where for _key, _label, where in FIGURES} <= set(names)  # every figure the page can show
    hidden = 0
    for start, end in [*PERIODS, (date(2026, 10, 6), date(2026, 10, 12)), (date(2025, 11, 21), date(2026, 11, 20))]:
        whole = neighbourhood_figures(scope, start, end, NOW)
        rows = [*whole["neighbourhoods"], whole["municipality"]]
        for section, name in names:
            with CaptureQueriesContext(connection) as queries:
                (part,) = figures_for_periods(scope, [(start, end)], NOW, [reads_for(name)])
            with CaptureQueriesContext(connection) as all_queries:
                figures_for_periods(scope, [(start, end)], NOW, [ALL_READS])
            assert len(queries.captured_queries) < len(all_queries.captured_queries)
            for full, row in zip(rows, [*part["neighbourhoods"], part["municipality"]], strict=True):
                assert (full[section] if section else full)[name] == (row[section] if section else row)[name]
                hidden += (full[section] if section else full)[name] is None
    assert hidden  # suppressed figures were among those compared


def test_the_map_colours_are_viridis_per_value() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    values = [3.0, None, 10.0, 7.5, 3.0]
    figure = map_figure(
        [{"name": f"b{i}", "outline": square, "value": v} for i, v in enumerate(values)], "niet getoond"
    )
    fills = [t["fillcolor"] for t in figure["data"] if t.get("fill") == "toself"]
    expected = [
        UNKNOWN_COLOUR if v is None else sample_colorscale(sequential.Viridis, [share_of(v, 3.0, 10.0)])[0]
        for v in values
    ]
    assert fills == expected


def test_the_page_reads_the_same_number_of_times_whatever_the_number_of_neighbourhoods(
    world: World, login: Callable[[str], Client]
) -> None:
    rollups_rebuild(now=NOW)
    client = login("regie")
    page = "/inzicht/?from=2026-10-01&to=2026-10-31&sorteer=signals_in"

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries.captured_queries)

    before = statements()
    district = District.objects.filter(municipality=world.municipality).first()
    assert district is not None
    for i in range(20):
        Neighbourhood.objects.create(
            municipality=world.municipality, district=district, code=f"BU99998{i:03d}", name=f"Extra {i}"
        )
    assert statements() == before
