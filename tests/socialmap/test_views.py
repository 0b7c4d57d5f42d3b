"""The find screen (need, neighbourhood, distance, day, free, without referral; collective first), the
public neighbourhood page without login, the referral screen with collective suggestions, the keeper's
light edit and the admin's moderation."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.contact.helpers import BINNENSTAD
from tests.factories import user
from tests.socialmap import factories
from tests.socialmap.conftest import Map
from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.search import Query, haversine_km, neighbourhood_centre, services_find

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
TUESDAY_11 = datetime(2026, 12, 1, 11, 0, tzinfo=AMS)


def test_haversine() -> None:
    assert haversine_km((52.0, 5.0), (52.0, 5.0)) == 0
    assert 110 < haversine_km((52.0, 5.0), (53.0, 5.0)) < 112


def test_search_filters_and_collective_first(smap: Map) -> None:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    centre = neighbourhood_centre(hood)
    assert centre is not None
    far = factories.service(smap.activity.municipality, name="Ver weg", lat=centre[0] + 0.05, lon=centre[1], byday="TU")
    near_individual = factories.service(
        smap.activity.municipality, name="Maatje", collective=False, lat=centre[0], lon=centre[1], byday="TU"
    )
    m.Location.objects.filter(service_at_locations__service=smap.activity).update(
        latitude=centre[0] + 0.005, longitude=centre[1]
    )
    q = Query(municipality_id=smap.activity.municipality_id, origin=centre, max_km=1.0, day=1)
    hits, total = services_find(q, now=TUESDAY_11)
    names = [h.service.name for h in hits]
    assert names[0] == "Koffieochtend" and "Maatje" in names and "Ver weg" not in names
    assert total == len(hits)
    assert services_find(Query(municipality_id=far.municipality_id, day=2), now=TUESDAY_11)[1] == 0
    assert (
        next(
            h.service.name
            for h in services_find(Query(municipality_id=far.municipality_id, open_now=True), now=TUESDAY_11)[0]
        )
        == "Koffieochtend"
    )
    closed = datetime(2026, 12, 1, 14, 0, tzinfo=AMS)
    assert services_find(Query(municipality_id=far.municipality_id, open_now=True), now=closed)[1] == 0
    no_referral = services_find(Query(municipality_id=far.municipality_id, no_referral=True), now=TUESDAY_11)[0]
    assert "Inloop GGZ" not in [h.service.name for h in no_referral]
    paid = factories.service(smap.activity.municipality, name="Cursus", free=False)
    free = services_find(Query(municipality_id=far.municipality_id, free=True), now=TUESDAY_11)[0]
    assert paid.name not in [h.service.name for h in free]
    del near_individual


def test_find_screen_from_a_resident(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    need = m.TaxonomyTerm.objects.get(code="ontmoeting")
    page = client.get(
        "/sociale-kaart/",
        {"resident": str(smap.resident.public_id), "need": need.pk, "free": "on", "when": "1", "distance": "2"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Koffieochtend" in text
        and f"/sociale-kaart/aanbod/{smap.activity.pk}/verwijzen/?resident={smap.resident.public_id}" in text
    )
    assert client.get("/sociale-kaart/", {"when": "nonsense"}).status_code == 200
    client.force_login(user("waakvlammer2"))
    assert client.get("/sociale-kaart/", {"resident": str(smap.resident.public_id)}).status_code == 404
    client.force_login(user("signaleerder"))
    assert client.get("/sociale-kaart/").status_code == 404


def test_public_neighbourhood_page_needs_no_login(smap: Map, client: Client) -> None:
    page = client.get(f"/wat-is-er-te-doen/{BINNENSTAD}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wat is er te doen in Binnenstad?" in text
    assert text.index("Koffieochtend") < text.index("Inloop GGZ")
    assert "Jan" not in text
    assert client.get("/wat-is-er-te-doen/BU00000000/").status_code == 404
    assert client.get("/wat-is-er-te-doen/").status_code == 200
    assert client.get(f"/en/wat-is-er-te-doen/{BINNENSTAD}/").status_code == 200


def test_referral_screen_suggests_collective_first(smap: Map, client: Client) -> None:
    factories.service(
        smap.activity.municipality,
        name="Lotgenotengroep",
        neighbourhood=Neighbourhood.objects.get(code=BINNENSTAD),
        need_code="psychisch",
    )
    client.force_login(user("waakvlammer"))
    page = client.get(
        f"/sociale-kaart/aanbod/{smap.ggz_service.pk}/verwijzen/", {"resident": str(smap.resident.public_id)}
    )
    assert page.status_code == 200
    assert "Eerst collectief" in page.content.decode() and "Lotgenotengroep" in page.content.decode()
    sent = client.post(
        f"/sociale-kaart/aanbod/{smap.activity.pk}/verwijzen/",
        {"resident": str(smap.resident.public_id), "shared": "first_name", "shared_name": "Jan", "consent": "on"},
    )
    assert sent.status_code == 302
    no_consent = client.post(
        f"/sociale-kaart/aanbod/{smap.activity.pk}/verwijzen/",
        {"resident": str(smap.resident.public_id), "shared": "first_name", "shared_name": "Jan"},
    )
    assert no_consent.status_code == 200 and smap.activity.referrals.count() == 1


def test_keeper_changes_wait_for_moderation(smap: Map, client: Client) -> None:
    client.force_login(smap.keeper)
    edit = f"/mijn-activiteiten/{smap.activity.pk}/"
    assert client.get(edit).status_code == 200
    answer = client.post(
        edit,
        {
            "name": "Koffieochtend+",
            "description": "Nu ook met soep",
            "byday": ["TU", "TH"],
            "opens_at": "10:00",
            "closes_at": "12:30",
        },
    )
    assert answer.status_code == 302
    smap.activity.refresh_from_db()
    assert smap.activity.name == "Koffieochtend"  # not public yet
    assert client.get(f"/mijn-activiteiten/{smap.ggz_service.pk}/").status_code == 404
    client.force_login(user("beheer"))
    change = m.ServiceChange.objects.get()
    assert "Koffieochtend+" in client.get("/sociale-kaart/moderatie/").content.decode()
    client.post(f"/sociale-kaart/moderatie/{change.pk}/", {"decision": "approve"})
    smap.activity.refresh_from_db()
    assert smap.activity.name == "Koffieochtend+"
    schedule = smap.activity.schedules.get()
    assert schedule.byday == "TU,TH" and schedule.closes_at == time(12, 30)
    client.force_login(smap.keeper)
    assert client.get("/sociale-kaart/moderatie/").status_code == 404


def test_plan_page_links_to_the_find_screen_prefilled(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    page = client.get(f"/waakvlamcontact/{smap.plan.public_id}/").content.decode()
    link = f"/sociale-kaart/?resident={smap.resident.public_id}&amp;free=on&amp;no_referral=on"
    assert link in page
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_keeper_start_page(smap: Map, client: Client) -> None:
    client.force_login(smap.keeper)
    page = client.get("/")
    assert page.status_code == 200
    assert "/mijn-activiteiten/" in page.content.decode()
