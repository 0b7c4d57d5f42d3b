"""Screens and API: need to know per team and organisation, 404 for what you may not see, and every view
writes an access-log entry naming the household."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import user
from waakvlam.attention.models import AttentionItem, ItemStatus, RuleConfiguration
from waakvlam.attention.services import items_refresh
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Organisation
from waakvlam.privacy.models import AccessLogEntry

from .conftest import ZONNEHOEK, household_in, signal_at


@pytest.fixture
def items(demodorp: Municipality) -> tuple[AttentionItem, AttentionItem]:
    """One open item for team Centrum-Oost (waakvlammer), one for team West (waakvlammer2)."""
    now = timezone.now()
    made = []
    for code in ("BU99990100", ZONNEHOEK):
        household = household_in(code, now=now)
        signal_at(household, at=now - timedelta(days=3), org="politie")
        signal_at(household, at=now - timedelta(days=1), org="politie", category="payment_arrears")
        signal_at(household, at=now - timedelta(hours=1), org="woonstede")
        items_refresh(household_ids=[household.pk], now=now)
        made.append(AttentionItem.objects.get(household=household))
    return made[0], made[1]


def entries(context: str) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(context=context).order_by("seq"))


def test_steward_sees_own_team_item_with_the_explanation_and_it_is_logged(login, items) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = items
    client = login("waakvlammer")
    page = client.get("/aandacht/")
    assert page.status_code == 200
    html = page.content.decode()
    assert str(mine.household.address) in html and str(theirs.household.address) not in html
    assert [e.subject for e in entries("ui:attention_list")] == [f"address:{mine.household.address_id}"]
    detail = client.get(f"/aandacht/{mine.public_id}/")
    text = detail.content.decode()
    assert "Waarom staat dit huishouden hier?" in text
    for reason in mine.reasons:
        for s in reason["signals"]:
            assert s["tracking_code"] in text
    assert "Herhaalde signalen van de politie" in text and "repeated_police" in text
    (entry,) = entries("ui:attention_detail")
    assert entry.subject == f"address:{mine.household.address_id}" and entry.username == "waakvlammer"
    assert client.get(f"/aandacht/{theirs.public_id}/").status_code == 404
    assert client.get("/aandacht/999999/").status_code == 404
    assert len(entries("ui:attention_detail")) == 1  # a refused read logs nothing


@pytest.mark.parametrize(
    ("username", "sees_mine", "sees_theirs"),
    [
        ("waakvlammer", True, False),
        ("waakvlammer2", False, True),
        ("coordinator", True, True),
        ("ggz", False, False),
        ("signaleerder", False, False),
        ("wijkagent", False, False),
        ("regie", False, False),
        ("privacy", False, False),
        ("beheer", False, False),
        ("budgetcoach", False, False),
    ],
)
def test_permission_matrix(login, items, username: str, sees_mine: bool, sees_theirs: bool) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = items
    client = login(username)
    for item, sees in ((mine, sees_mine), (theirs, sees_theirs)):
        assert client.get(f"/aandacht/{item.public_id}/").status_code == (200 if sees else 404)
        api = client.get(f"/api/v1/attention/{item.public_id}")
        works_with_the_list = username in {"waakvlammer", "waakvlammer2", "coordinator", "budgetcoach"}
        assert api.status_code == (200 if sees else 404 if works_with_the_list else 403)
        if not sees:
            assert client.post(f"/aandacht/{item.public_id}/afwijzen/", {"reason": "x"}).status_code == 404
    assert AttentionItem.objects.filter(status=ItemStatus.OPEN).count() == 2  # refused posts changed nothing


def test_take_up_and_dismiss_in_the_ui(login, items) -> None:  # type: ignore[no-untyped-def]
    mine, _theirs = items
    client = login("waakvlammer")
    bad = client.post(f"/aandacht/{mine.public_id}/afwijzen/", {"reason": ""})
    assert bad.status_code == 400
    done = client.post(
        f"/aandacht/{mine.public_id}/oppakken/", {"how": "contact_plan", "note": "Start waakvlamcontact."}
    )
    assert done.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.take_up) == (ItemStatus.TAKEN_UP, "contact_plan")
    again = client.post(f"/aandacht/{mine.public_id}/afwijzen/", {"reason": "toch niet"})
    assert again.status_code == 400 and "al opgepakt" in again.content.decode()
    (entry,) = AccessLogEntry.objects.filter(context="attention:decide")
    assert entry.subject == f"address:{mine.household.address_id}"


def test_the_api_lists_decides_and_answers_conflicts(login, items) -> None:  # type: ignore[no-untyped-def]
    mine, _theirs = items
    client = login("coordinator")
    listed = client.get("/api/v1/attention").json()
    assert listed["count"] == 2
    assert {e.subject for e in entries("api:attention_list")} == {f"address:{i.household.address_id}" for i in items}
    one = client.get(f"/api/v1/attention/{mine.public_id}").json()
    assert {r["rule"] for r in one["reasons"]} == {"multiple_sources", "arrears_and_nuisance", "repeated_police"}
    assert one["reasons"][0]["signals"][0]["tracking_code"]
    assert one["escalation_level"] == 0 and one["decide_by"]
    assert client.get("/api/v1/attention?rule=nope").status_code == 422
    assert client.get("/api/v1/attention?status=bogus").status_code == 422
    body = json.dumps({"reason": ""})
    assert (
        client.post(f"/api/v1/attention/{mine.public_id}/dismiss", body, content_type="application/json").status_code
        == 422
    )
    body = json.dumps({"reason": "Bekend bij de corporatie, regeling loopt."})
    ok = client.post(f"/api/v1/attention/{mine.public_id}/dismiss", body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "dismissed"
    conflict = client.post(
        f"/api/v1/attention/{mine.public_id}/take-up", json.dumps({"how": "outreach"}), content_type="application/json"
    )
    assert conflict.status_code == 409
    assert client.get("/api/v1/attention?status=dismissed").json()["count"] == 1


def test_api_keys_without_the_scope_get_403_and_no_credentials_401(client: Client, items) -> None:  # type: ignore[no-untyped-def]
    mine, _ = items
    _key, secret = api_key_create(
        organisation=Organisation.objects.get(slug="buurtwerk"), scopes=["signals:read"], name="t"
    )
    answer = client.get("/api/v1/attention", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 403
    assert client.get(f"/api/v1/attention/{mine.public_id}").status_code == 401


@pytest.mark.parametrize(("org", "sees"), [("buurtwerk", 2), ("woonstede", 0), ("ggz-kompas", 0), ("gemeente", 0)])
def test_a_key_with_attention_read_reads_its_organisations_items_and_decides_nothing(  # type: ignore[no-untyped-def]
    client: Client, items, org: str, sees: int
) -> None:
    mine, _ = items
    _key, secret = api_key_create(organisation=Organisation.objects.get(slug=org), scopes=["attention:read"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = client.get("/api/v1/attention", **auth)
    assert listed.status_code == 200 and listed.json()["count"] == sees
    detail = client.get(f"/api/v1/attention/{mine.public_id}", **auth)
    assert detail.status_code == (200 if sees else 404)
    if sees:
        assert detail.json()["reasons"]  # the explanation comes with it
        (entry,) = entries("api:attention_detail")
        assert (entry.role, entry.organisation, entry.subject) == ("api", org, f"address:{mine.household.address_id}")
    take_up = client.post(
        f"/api/v1/attention/{mine.public_id}/take-up",
        json.dumps({"how": "outreach"}),
        content_type="application/json",
        **auth,
    )
    assert take_up.status_code == 403
    mine.refresh_from_db()
    assert mine.status == ItemStatus.OPEN


def test_register_page_for_everyone_logged_in_and_the_admin_screen(login, demodorp: Municipality) -> None:  # type: ignore[no-untyped-def]
    client = login("signaleerder")
    page = client.get("/aandacht/register/")
    assert page.status_code == 200 and "Signalen uit meerdere bronnen" in page.content.decode()
    assert client.get("/aandacht/regels/").status_code == 404
    admin = login("beheer")
    assert admin.get("/aandacht/regels/").status_code == 200
    form = {"note": "Politie pas vanaf drie keer."}
    from waakvlam.attention.definitions import RULES

    for rule in RULES:
        form[f"{rule.name}__enabled"] = "on"
        for p in rule.params:
            form[f"{rule.name}__{p.name}"] = str(p.default)
    form["repeated_police__min_count"] = "3"
    assert admin.post("/aandacht/regels/", form).status_code == 302
    row = RuleConfiguration.objects.get()
    assert (row.version, row.created_by, row.rules["repeated_police"]["params"]["min_count"]) == (1, user("beheer"), 3)
    form["repeated_police__min_count"] = "999"
    assert admin.post("/aandacht/regels/", form).status_code == 400
    assert "ten minste 3 keer" in admin.get("/aandacht/register/").content.decode()
    assert "at least 3 times" in admin.get("/en/aandacht/register/").content.decode()


def test_menu_shows_aandacht_to_stewards_and_rules_to_the_admin(login, demodorp: Municipality) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/aandacht/"' in login("waakvlammer").get("/").content.decode()
    home = login("beheer").get("/").content.decode()
    assert 'href="/aandacht/regels/"' in home and 'href="/aandacht/"' not in home
