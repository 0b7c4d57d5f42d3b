"""Handovers over the API: create, validation (422), accept, checklist, close (409 naming the open items),
and a clinic's system with an API key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waakvlam.core import apikeys
from waakvlam.core.models import Municipality, Organisation
from waakvlam.handover.models import Handover

pytestmark = pytest.mark.django_db


def _body(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "resident": {"name": "Piet Bos"},
        "discharge_on": (timezone.localdate() + timedelta(days=4)).isoformat(),
        "address": {"postcode": "9901 ab", "house_number": "14a"},
        "checklist": {
            "housing": {"state": "done", "note": "Sleutel geregeld"},
            "daytime": {"state": "skipped", "skip_reason": "Werkt"},
        },
    }
    body.update(extra)
    return body


def test_create_accept_checklist_close(login: Callable[[str], Client], areas: None) -> None:
    ggz = login("ggz")
    response = ggz.post("/api/v1/handovers", _body(), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["receiving_team"] == "Waakvlam Centrum-Oost"
    assert created["address"].startswith("Dorpsstraat 14A")
    assert created["status"] == "announced" and created["escalated"] is False
    states = {i["topic"]: i["state"] for i in created["checklist"]}
    assert states["housing"] == "done" and states["daytime"] == "skipped" and states["gp"] == "open"

    steward = login("waakvlammer")
    pk = created["id"]
    accepted = steward.post(
        f"/api/v1/handovers/{pk}/accept",
        {"steward": "waakvlammer", "backup": "coordinator"},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["contact_plan_id"]
    blocked = steward.post(f"/api/v1/handovers/{pk}/close", content_type="application/json")
    assert blocked.status_code == 409
    assert "Inkomen" in blocked.json()["detail"] and "Huisarts" in blocked.json()["detail"]
    no_reason = steward.post(
        f"/api/v1/handovers/{pk}/checklist/gp", {"state": "skipped"}, content_type="application/json"
    )
    assert no_reason.status_code == 422
    for topic in ("income", "gp", "network", "early_warning_plan"):
        ok = steward.post(
            f"/api/v1/handovers/{pk}/checklist/{topic}", {"state": "done"}, content_type="application/json"
        )
        assert ok.status_code == 200
    closed = steward.post(f"/api/v1/handovers/{pk}/close", content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": {"postcode": "nope", "house_number": 1}}, "postcode"),
        ({"address": {"postcode": "1234ZZ", "house_number": 1}}, "postcode"),
        ({"discharge_on": "2020-01-01"}, "discharge_on"),
        ({"discharge_on": "morgen"}, "discharge_on"),
        ({"resident": {"name": ""}}, "resident_name"),
        ({"checklist": {"gp": {"state": "skipped"}}}, "skip_reason"),
        ({"checklist": {"dentist": {"state": "done"}}}, "checklist"),
        ({"first_contact_within_days": 0}, "first_contact_within_days"),
        ({"note": "x\x00y"}, "note"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    login: Callable[[str], Client], areas: None, change: dict[str, object], field: str
) -> None:
    response = login("ggz").post("/api/v1/handovers", _body(**change), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"])
    assert Handover.objects.count() == 0


def test_only_senders_may_announce(login: Callable[[str], Client], areas: None) -> None:
    for username in ("waakvlammer", "coordinator", "signaleerder"):
        assert login(username).post("/api/v1/handovers", _body(), content_type="application/json").status_code == 403


def test_a_clinic_system_announces_with_an_api_key(
    client: Client, town: Municipality, areas: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apikeys, "SCOPES", (*apikeys.SCOPES, "handovers:read", "handovers:write", "contact:read"))
    _, reader = apikeys.api_key_create(
        organisation=Organisation.objects.get(slug="ggz-kompas"), scopes=["handovers:read"]
    )
    _, writer = apikeys.api_key_create(
        organisation=Organisation.objects.get(slug="ggz-kompas"), scopes=["handovers:write", "handovers:read"]
    )
    _, housing = apikeys.api_key_create(
        organisation=Organisation.objects.get(slug="woonstede"), scopes=["handovers:write", "handovers:read"]
    )

    def post(key: str) -> Any:
        return client.post(
            "/api/v1/handovers", _body(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    assert post(reader).status_code == 403
    assert post(housing).status_code == 404, "only clinics and shelters send discharges"
    created = post(writer)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.get(f"/api/v1/handovers/{pk}", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code == 200
    assert client.get(f"/api/v1/handovers/{pk}", HTTP_AUTHORIZATION=f"Bearer {housing}").status_code == 404
    # Keys read; changing a handover takes a person.
    accept = client.post(
        f"/api/v1/handovers/{pk}/accept",
        {"steward": "waakvlammer"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {writer}",
    )
    assert accept.status_code == 403
