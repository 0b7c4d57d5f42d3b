"""The pilot light's screens: Dutch, accessible forms (errors linked to fields), no inline script or style,
and the journeys a steward and a coordinator make."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import plan_for, postcode_areas
from tests.factories import signal_for, team, user
from waakvlam.contact.models import ContactPlan, EarlyWarningPlan
from waakvlam.contact.selectors import early_warning_signs_for_household
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def no_inline_script_or_style(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert "<style" not in html and " style=" not in html, "inline style"


def test_steward_starts_a_plan_from_a_signal(login: Callable[[str], Client], town: object) -> None:
    postcode_areas()
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    form = client.get(f"/bewoners/nieuw/?signaal={signal.pk}")
    html = form.content.decode()
    assert form.status_code == 200 and signal.tracking_code in html
    no_inline_script_or_style(html)
    assert f'value="{signal.pk}"' in html
    bad = client.post("/bewoners/nieuw/", {"signal": signal.pk, "rhythm_days": "0", "basis": "consent"})
    text = bad.content.decode()
    assert 'href="#id_name"' in text and 'href="#id_rhythm_days"' in text, "errors link to their fields"
    assert 'aria-invalid="true"' in text
    steward = user("waakvlammer")
    response = client.post(
        "/bewoners/nieuw/",
        {
            "signal": signal.pk,
            "name": "Ans de Groot",
            "postcode": "9901AB",
            "house_number": "3",
            "steward": steward.pk,
            "rhythm_days": "14",
            "starts_on": timezone.localdate().isoformat(),
            "basis": "consent",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = ContactPlan.objects.get()
    assert plan.signal == signal and str(plan.resident) == "Ans de Groot" and plan.team.name == "Waakvlam Centrum-Oost"  # type: ignore[union-attr]
    page = client.get(response["Location"]).content.decode()
    assert "Ans de Groot" in page and "Contact vastleggen" in page and signal.tracking_code in page
    no_inline_script_or_style(page)


def test_quick_contact_form_shows_errors_and_records(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    path = f"/waakvlamcontact/{world.plan.public_id}/contact/"
    bad = client.post(
        path, {"happened_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "channel": "visit", "made": "ja"}
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert 'href="#id_wellbeing_0"' in text
    ok = client.post(path, {"happened_on": timezone.localdate().isoformat(), "channel": "phone", "made": "nee"})
    assert ok.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.moments.count() == 2
    assert world.plan.failed_attempts == 0, "a failed attempt on the day of a contact made does not count"


def test_my_residents_lists_overdue_first(login: Callable[[str], Client], town: object) -> None:
    later = plan_for(starts_on=timezone.localdate())
    overdue = plan_for(starts_on=timezone.localdate() - timedelta(days=30))
    html = login("waakvlammer").get("/bewoners/").content.decode()
    assert html.index(f"/waakvlamcontact/{overdue.public_id}/") < html.index(f"/waakvlamcontact/{later.public_id}/")
    assert "dagen te laat" in html and '<th scope="col">' in html
    no_inline_script_or_style(html)


def test_early_warning_plan_edit_view_and_print(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    path = f"/bewoners/{world.resident.public_id}/signaleringsplan/wijzigen/"
    page = client.get(path)
    assert page.status_code == 200 and "Els Jansen" in page.content.decode()
    data = {
        "strengths": "Tuinieren",
        "orange_signs": "Post blijft liggen",
        "red_signs": "Eet niet meer",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "10",
        "people-0-name": "Kees Bos",
        "people-0-phone": "06-1234",
        "people-0-call_when": "red",
        "people-1-name": "",
        "people-1-phone": "",
        "people-1-call_when": "orange",
    }
    refused = client.post(path, data)
    assert refused.status_code == 200 and "weet ervan" in refused.content.decode()
    data["people-0-consent_given"] = "on"
    assert client.post(path, data).status_code == 302
    plan = EarlyWarningPlan.objects.get(resident=world.resident)
    assert plan.orange_signs == "Post blijft liggen"
    assert [(p.name, p.phone, p.call_when) for p in plan.people.all()] == [("Kees Bos", "06-1234", "red")]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM contact_earlywarningcontact")
        stored = cursor.fetchall()
    assert "Kees" not in str(stored) and "06-1234" not in str(stored), "names and numbers are encrypted at rest"
    view = client.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/").content.decode()
    assert "Post blijft liggen" in view and "Kees Bos" in view
    printed = client.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/afdrukken/").content.decode()
    assert 'contact/print.css" media="print"' in printed and "Mijn signaleringsplan" in printed
    no_inline_script_or_style(printed)


def test_signal_page_partial_shows_the_plan_signs(world: World) -> None:
    household_id = world.resident.household_id
    assert early_warning_signs_for_household(user("waakvlammer"), household_id) == [world.early_warning]  # type: ignore[arg-type]
    assert early_warning_signs_for_household(user("waakvlammer2"), household_id) == []  # type: ignore[arg-type]
    request = RequestFactory().get("/signalen/1/")
    request.user = user("waakvlammer")
    before = AccessLogEntry.objects.count()
    html = Template("{% load pilot_light %}{% plan_signs household_id=h %}").render(
        Context({"request": request, "h": household_id})
    )
    assert "Slaapt slecht" in html and "Signaleringsplan op dit adres" in html
    assert AccessLogEntry.objects.count() == before + 1
    address_html = Template("{% load pilot_light %}{% plan_signs address_id=a %}").render(
        Context({"request": request, "a": world.resident.household.address_id})  # type: ignore[union-attr]
    )
    assert "Slaapt slecht" in address_html
    request.user = user("waakvlammer2")
    assert "Slaapt" not in Template("{% load pilot_light %}{% plan_signs household_id=h %}").render(
        Context({"request": request, "h": household_id})
    )


def test_coordinator_team_view_and_hand_to_backup(login: Callable[[str], Client], town: object) -> None:
    overdue = plan_for(starts_on=timezone.localdate() - timedelta(days=40), backup="coordinator")
    no_backup = plan_for(starts_on=timezone.localdate() - timedelta(days=40))
    client = login("coordinator")
    page = client.get("/team/waakvlam/")
    html = page.content.decode()
    assert (
        page.status_code == 200
        and f"/waakvlamcontact/{overdue.public_id}/" in html
        and f"/waakvlamcontact/{no_backup.public_id}/" in html
    )
    no_inline_script_or_style(html)
    assert (
        client.get(f"/team/waakvlam/?team={team('Waakvlam West').pk}").content.decode().count("/waakvlamcontact/") == 0
    )
    preview = client.post("/team/waakvlam/overdragen/", {"steward": user("waakvlammer").pk})
    overdue.refresh_from_db()
    assert preview.status_code == 200 and overdue.steward == user("waakvlammer")  # a preview changes nothing
    token = preview.context["token"]
    response = client.post(
        "/team/waakvlam/overdragen/", {"steward": user("waakvlammer").pk, "bevestiging": token}, follow=True
    )
    text = response.content.decode()
    assert "1 waakvlamcontact overgedragen" in text and "geen back-up" in text
    overdue.refresh_from_db()
    assert overdue.steward == user("coordinator")
    assert (
        login("waakvlammer").post("/team/waakvlam/overdragen/", {"steward": user("waakvlammer").pk}).status_code == 404
    )


def test_close_and_edit_plan(login: Callable[[str], Client], world: World) -> None:
    client = login("coordinator")
    edit = client.post(
        f"/waakvlamcontact/{world.plan.public_id}/wijzigen/",
        {
            "steward": user("waakvlammer").pk,
            "backup": user("waakvlammer").pk,
            "rhythm_days": "42",
            "starts_on": world.plan.starts_on.isoformat(),
            "basis": "legal_task",
        },
    )
    assert edit.status_code == 200 and "iemand anders" in edit.content.decode()
    edit = client.post(
        f"/waakvlamcontact/{world.plan.public_id}/wijzigen/",
        {
            "steward": user("waakvlammer").pk,
            "rhythm_days": "42",
            "starts_on": world.plan.starts_on.isoformat(),
            "basis": "legal_task",
        },
    )
    assert edit.status_code == 302
    assert client.post(f"/waakvlamcontact/{world.plan.public_id}/afsluiten/", {"reason": ""}).status_code == 200
    assert client.post(f"/waakvlamcontact/{world.plan.public_id}/afsluiten/", {"reason": "Verhuisd"}).status_code == 200
    closing = {"reason": "Verhuisd", "confirm": "on"}
    assert client.post(f"/waakvlamcontact/{world.plan.public_id}/afsluiten/", closing).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == "closed" and world.plan.rhythm_days == 42


def test_english_is_available(login: Callable[[str], Client], world: World) -> None:
    assert login("waakvlammer").get(f"/en/waakvlamcontact/{world.plan.public_id}/").status_code == 200


def test_numbers_too_large_in_forms_are_bad_input(login: Callable[[str], Client], world: World) -> None:
    c = login("coordinator")
    n = str(10**25)
    r = c.post(
        "/bewoners/nieuw/",
        {
            "name": "x",
            "steward": n,
            "backup": n,
            "rhythm_days": n,
            "starts_on": "2026-01-01",
            "basis": "consent",
            "signal": n,
        },
    )
    assert r.status_code == 200
    r = c.post(
        f"/waakvlamcontact/{world.plan.public_id}/wijzigen/",
        {"steward": n, "rhythm_days": "14", "starts_on": "2026-01-01", "basis": "consent"},
    )
    assert r.status_code == 200
    r = c.post(
        f"/bewoners/{world.resident.public_id}/toestemmingen/",
        {"organisation": n, "data_kind": "contact_plan", "purpose": "x", "valid_from": "2026-01-01"},
    )
    assert r.status_code == 422
    r = c.post("/team/waakvlam/overdragen/", {"steward": n, "fallback": n})
    assert r.status_code == 302
    r = c.get("/team/waakvlam/?team=" + n)
    assert r.status_code == 200
    c = login("ggz")
    r = c.post("/api/v1/handovers", {"resident_id": 10**25}, content_type="application/json")
    assert r.status_code == 422
