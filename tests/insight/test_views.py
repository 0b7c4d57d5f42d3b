"""The insight page, its CSV and the open-data download: who may, and what they see."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from tests.insight.conftest import NOW, World
from waakvlam.core.roles import Role
from waakvlam.insight.export import HEADER
from waakvlam.insight.rollups import rollups_rebuild

PAGE = "/inzicht/?from=2026-10-01&to=2026-10-31"


def test_the_regie_sees_map_trend_and_table(world: World, login: Callable[[str], Client]) -> None:
    rollups_rebuild(now=NOW)
    response = login("regie").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Binnenstad" in html and "Kanaalzone" in html
    assert "insight/vendor/plotly.min.js" in html
    island = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    assert island is not None
    figure = json.loads(island.group(1))
    texts = [t["text"] for t in figure["data"] if t.get("fill") == "toself"]
    assert any(t.startswith("Binnenstad: ") for t in texts) and len(texts) == 12
    assert "<script>" not in html  # CSP: no inline script, only data islands and files


def test_the_table_sorts_with_unknowns_last(world: World, login: Callable[[str], Client]) -> None:
    rollups_rebuild(now=NOW)
    html = login("regie").get(PAGE + "&sorteer=signals_in&richting=af").content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.index("Binnenstad") < body.index("Stationskwartier")
    assert 'aria-sort="descending"' in html


def test_plotly_is_served_from_the_wheel(client: Client, db: None) -> None:
    response = client.get("/static/insight/vendor/plotly.min.js")
    assert response.status_code == 200


def test_the_csv_download(world: World, login: Callable[[str], Client]) -> None:
    rollups_rebuild(now=NOW)
    response = login("regie").get("/inzicht/export.csv?from=2026-10-01&to=2026-10-31")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content if response.streaming else [response.content]).decode())
        )
    )
    assert rows[0] == HEADER


def test_open_data_for_the_municipality_only(world: World, login: Callable[[str], Client]) -> None:
    rollups_rebuild(now=NOW)
    response = login("regie").get("/inzicht/open-data.csv?maand=2026-10")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER and rows[1][:2] == ["2026-10-01", "2026-10-31"]
    assert login("regie").get("/inzicht/open-data.csv?maand=2026-13").status_code == 400
    assert login("ggz").get("/inzicht/open-data.csv?maand=2026-10").status_code == 403


@pytest.mark.parametrize("username", ["signaleerder", "wijkagent", "waakvlammer", "privacy", "beheer"])
def test_others_are_refused(town: object, login: Callable[[str], Client], username: str) -> None:
    client = login(username)
    assert client.get(PAGE).status_code == 403
    assert client.get("/inzicht/export.csv").status_code == 403


def test_the_menu_shows_insight_to_who_may_see_it(town: object, login: Callable[[str], Client]) -> None:
    assert "/inzicht/" in login("regie").get("/").content.decode()
    assert "/inzicht/" not in login("signaleerder").get("/").content.decode()


def test_a_partner_sees_its_own_page(world: World, client: Client, partner_at: Callable[..., object]) -> None:
    rollups_rebuild(now=NOW)
    client.force_login(partner_at("woonstede", Role.COORDINATOR))  # type: ignore[arg-type]
    html = client.get(PAGE).content.decode()
    assert "Woonstede" in html
    assert "open-data" not in html


# The table's body as the page's template loop wrote it before insight_rows: the tag must write the same.
ROWS_AS_A_TEMPLATE_LOOP = """{% load i18n insight_values %}{% for row in rows %}
      <tr>
        <th scope="row" data-label="{% translate 'Buurt' %}">{{ row.name }}</th>
        <td data-label="{% translate 'CBS-code' %}"><code>{{ row.code }}</code></td>
        {% for key, label, value in row.cells %}<td class="numeric" data-label="{{ label }}">{{ value|insight_value:key }}</td>{% endfor %}
        <td class="numeric" data-label="{% translate 'vorige periode' %}">{{ row.previous|insight_value:figure }}</td>
      </tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_table_rows_tag_writes_what_the_template_loop_wrote(language: str) -> None:
    from django.template import engines
    from django.utils import translation

    from waakvlam.insight.views import FIGURES, TABLE_COLUMNS

    labels = {key: label for key, label, _where in FIGURES}
    values = [None, 0, 7, 12345, 2.5, 0.8333, None, 41, 1.0, 3, 99, 0.0, 17]
    rows = [
        {
            "name": name,
            "code": code,
            "cells": [(key, labels[key], values[(i + j) % len(values)]) for j, key in enumerate(TABLE_COLUMNS)],
            "previous": previous,
        }
        for i, (name, code, previous) in enumerate(
            [("Binnenstad", "BU0001", 12), ('Oud & "Nieuw" <Zuid>', "BU<2>", None), ("Kanaalzone", "BU0003", 0.25)]
        )
    ]

    def squeezed(html: str) -> str:
        return re.sub(r">\s+<", "><", html).strip()

    with translation.override(language):
        for figure in ("signals_in", "rate_in_time", "median"):
            context = {"rows": rows, "figure": figure}
            loop = engines["django"].from_string(ROWS_AS_A_TEMPLATE_LOOP).render(context)
            tag = (
                engines["django"].from_string("{% load insight_values %}{% insight_rows rows figure %}").render(context)
            )
            assert squeezed(tag) == squeezed(loop)
            assert "&lt;Zuid&gt;" in tag and "\u2013" in tag and "%</td>" in tag
