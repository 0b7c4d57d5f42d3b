"""Collective first, in a browser: a steward finds "something for meeting people, free, within walking
distance, on Tuesday" for a resident in a few clicks, connects them with their consent (first name only),
and the activity's keeper records that the resident came."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tests.contact.helpers import BINNENSTAD, plan_for
from tests.socialmap import factories
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.demo import _keeper
from waakvlam.socialmap.referral_models import Referral
from waakvlam.socialmap.search import neighbourhood_centre

pytestmark = pytest.mark.e2e


def test_steward_connects_a_resident_and_the_keeper_records_came(
    demo_town: Municipality,
    new_page: Callable[..., Any],
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    lat, lon = neighbourhood_centre(hood) or (0.0, 0.0)
    keeper = _keeper(demo_town)
    koffie = factories.service(
        demo_town, name="Koffieochtend", neighbourhood=hood, lat=lat + 0.002, lon=lon, keeper=keeper, capacity=12
    )
    factories.service(demo_town, name="Koffie aan de overkant", lat=lat + 0.05, lon=lon)  # too far to walk
    factories.service(demo_town, name="Woensdagsoos", neighbourhood=hood, lat=lat, lon=lon, byday="WE")
    factories.service(demo_town, name="Maatje aan huis", neighbourhood=hood, lat=lat, lon=lon, collective=False)
    plan = plan_for("waakvlammer")

    steward = log_in("waakvlammer")
    steward.goto(f"/waakvlamcontact/{plan.public_id}/")
    steward.get_by_role("link", name="Iets in de buurt zoeken (collectief eerst)").click()
    steward.get_by_label("Waarvoor").select_option(label="Ontmoeting")
    steward.get_by_label("Afstand van de bewoner").select_option(label="1 km (lopend)")
    steward.get_by_label("Wanneer").select_option(label="dinsdag")
    assert steward.get_by_label("Gratis").is_checked()
    steward.get_by_role("button", name="Zoeken").click()
    results = steward.locator(".offers")
    titles = results.locator(".offer__title").all_inner_texts()
    assert titles[0] == "Koffieochtend"
    assert "Maatje aan huis" in titles and titles.index("Maatje aan huis") > 0  # individual after collective
    assert "Koffie aan de overkant" not in titles and "Woensdagsoos" not in titles
    assert_accessible(steward)

    steward.get_by_role("link", name="Verwijzen naar Koffieochtend").click()
    steward.get_by_label("Alleen de voornaam").check()
    steward.get_by_label("Naam zoals gedeeld (bij alleen voornaam: de voornaam)").fill("Jan")
    steward.get_by_label("De bewoner heeft toestemming gegeven om dit te delen").check()
    assert_accessible(steward)
    steward.get_by_role("button", name="Verwijzing versturen").click()
    steward.wait_for_url(re.compile(r"/verwijzingen/[0-9a-f-]{36}/"))
    assert steward.locator("#status").inner_text() == "Verstuurd"
    assert_accessible(steward)

    referral = Referral.objects.get()
    assert referral.owner_keeper == keeper and referral.shared_name == "Jan"

    activity = log_in("buurtkamer")
    activity.goto("/mijn-activiteiten/")
    assert_accessible(activity)
    activity.get_by_role("link", name="Jan").click()
    page_text = activity.locator("main").inner_text()
    assert "Jansen" not in page_text  # only the first name was shared
    activity.get_by_label("Geaccepteerd").check()
    activity.get_by_role("button", name="Vastleggen").click()
    assert activity.locator("#status").inner_text() == "Geaccepteerd"
    activity.get_by_label("Gekomen", exact=True).check()
    activity.get_by_role("button", name="Vastleggen").click()
    assert activity.locator("#status").inner_text() == "Gekomen"
    assert_accessible(activity)

    referral.refresh_from_db()
    assert referral.status == "connected"
    assert [e.to_status for e in referral.events.all()] == ["sent", "accepted", "connected"]
    koffie.refresh_from_db()
    assert koffie.places_taken == 1
    assert m.Service.objects.get(pk=koffie.pk).places_free == 11


def test_a_need_recorded_on_the_plan_suggests_a_collective_offer_first_and_connects(
    demo_town: Municipality,
    new_page: Callable[..., Any],
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    """Collective first where a need is recorded: on the resident's plan page the steward records "meeting
    people"; the collective activity in the resident's neighbourhood comes before the individual offer, and
    "Verbinden" opens the referral with that need chosen."""
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    lat, lon = neighbourhood_centre(hood) or (0.0, 0.0)
    factories.service(demo_town, name="Maatje aan huis", neighbourhood=hood, lat=lat, lon=lon, collective=False)
    factories.service(demo_town, name="Koffieochtend", neighbourhood=hood, lat=lat + 0.002, lon=lon, capacity=12)
    plan = plan_for("waakvlammer")

    steward = log_in("waakvlammer")
    steward.goto(reverse("contact:plan_detail", args=[plan.public_id]))
    steward.get_by_label("Behoefte", exact=True).select_option(label="Ontmoeting")
    steward.get_by_role("button", name="Behoefte vastleggen").click()
    section = steward.locator("#behoeften")
    section.get_by_role("heading", name="Ontmoeting").wait_for()
    offers = section.locator(".need-offers li").all_inner_texts()
    assert offers[0].startswith("Koffieochtend"), offers
    assert [o for o in offers if o.startswith("Maatje aan huis")] and not offers[-1].startswith("Koffieochtend")
    assert_accessible(steward)

    need = m.ResidentNeed.objects.get(resident=plan.resident)
    section.get_by_role("link", name="Verbinden — Koffieochtend").click()
    assert steward.get_by_label("Voor welke behoefte").input_value() == str(need.pk)
    steward.get_by_label("Alleen de voornaam").check()
    steward.get_by_label("Naam zoals gedeeld (bij alleen voornaam: de voornaam)").fill("Jan")
    steward.get_by_label("De bewoner heeft toestemming gegeven om dit te delen").check()
    assert_accessible(steward)
    steward.get_by_role("button", name="Verwijzing versturen").click()
    steward.wait_for_url(re.compile(r"/verwijzingen/[0-9a-f-]{36}/"))
    referral = Referral.objects.get()
    assert (referral.service.name, referral.need, referral.collective) == ("Koffieochtend", need, True)
