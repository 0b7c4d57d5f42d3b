"""The informal network's API: a supporter lists only their own links (first name only) and reports in one
call; the steward links someone with consent; everyone else finds nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.network.conftest import NetworkWorld
from waakvlam.network.models import SupporterReport

pytestmark = pytest.mark.django_db


def test_a_supporter_lists_only_their_links_with_a_first_name(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    rows = login("buddy").get("/api/v1/supporter-links").json()
    assert [(r["first_name"], r["consent_note"]) for r in rows] == [("Jan", None)]
    assert login("vrijwilliger").get("/api/v1/supporter-links").json() == []
    assert login("waakvlammer").get("/api/v1/supporter-links").json()[0]["consent_note"] == "Mondeling bij huisbezoek"
    assert login("ggz").get("/api/v1/supporter-links").json() == []


def test_report_in_one_call(login: Callable[[str], Client], network_world: NetworkWorld) -> None:
    url = f"/api/v1/supporter-links/{network_world.link.public_id}/reports"
    answer = login("buddy").post(
        url, {"outcome": "worried", "note": "Deur bleef dicht"}, content_type="application/json"
    )
    assert answer.status_code == 201 and answer.json()["signal_created"] is True
    assert login("vrijwilliger").post(url, {"outcome": "fine"}, content_type="application/json").status_code == 404
    assert login("buddy").post(url, {"outcome": "maybe"}, content_type="application/json").status_code == 422
    assert SupporterReport.objects.count() == 1


def test_link_with_consent_over_the_api(login: Callable[[str], Client], network_world: NetworkWorld) -> None:
    body = {
        "resident_id": str(network_world.other.public_id),
        "supporter": "vrijwilliger",
        "kind": "volunteer",
        "consent_note": "",
    }
    client = login("waakvlammer")
    assert client.post("/api/v1/supporter-links", body, content_type="application/json").status_code == 422
    body["consent_note"] = "Bewoner tekende het formulier"
    assert client.post("/api/v1/supporter-links", body, content_type="application/json").status_code == 201
    assert (
        login("waakvlammer2").post("/api/v1/supporter-links", body, content_type="application/json").status_code == 404
    )
