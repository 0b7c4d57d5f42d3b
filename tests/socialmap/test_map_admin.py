"""The functional admin creates and edits the social map's organisations, services, places and schedules in
the UI; each save goes through the moderation mechanism as a change the admin decided; nobody else may."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.contact.helpers import BINNENSTAD
from tests.factories import other_municipality, user
from tests.socialmap import factories
from tests.socialmap.conftest import Map
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.socialmap import models as m
from waakvlam.socialmap.search import Query, services_find
from waakvlam.socialmap.selectors import public_services

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime(2026, 12, 2, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _service_post(need: m.TaxonomyTerm, **changes: object) -> dict[str, object]:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    data: dict[str, object] = {
        "name": "Buurtmaaltijd",
        "description": "Samen eten, elke woensdag.",
        "status": m.ServiceStatus.ACTIVE,
        "collective": "on",
        "access": m.Access.WALK_IN,
        "free": "on",
        "moderation": m.Moderation.PUBLISHED,
        "needs": [str(need.pk)],
        "location_name": "Buurthuis De Molen",
        "address_1": "Molenstraat 3",
        "postal_code": "9901AB",
        "city": "Demodorp",
        "neighbourhood": str(hood.pk),
        "latitude": "52.07",
        "longitude": "5.1",
        "freq": "WEEKLY",
        "byday": ["WE"],
        "opens_at": "17:30",
        "closes_at": "19:30",
        "capacity": "12",
    }
    data.update(changes)
    return data


def test_the_admin_creates_an_organisation_and_a_service_that_the_search_finds(
    town: Municipality, client: Client
) -> None:
    need = factories.need("ontmoeting", "Mensen ontmoeten")
    client.force_login(user("beheer"))
    assert client.get("/sociale-kaart/beheer/").status_code == 200
    made = client.post(
        "/sociale-kaart/beheer/aanbieder/nieuw/",
        {
            "name": "Stichting De Molen",
            "resident_initiative": "on",
            "tenant": Organisation.objects.get(slug="buurtwerk").pk,
        },
    )
    org = m.Organization.objects.get(name="Stichting De Molen")
    assert (
        made.status_code == 302
        and org.resident_initiative
        and org.municipality == town
        and org.tenant.slug == "buurtwerk"
    )
    answer = client.post(f"/sociale-kaart/beheer/aanbieder/{org.pk}/aanbod/nieuw/", _service_post(need))
    service = m.Service.objects.get(name="Buurtmaaltijd")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/sociale-kaart/beheer/aanbod/{service.pk}/")
    location = service.service_at_locations.get().location
    assert (location.name, location.neighbourhood.code, location.addresses.get().postal_code) == (
        "Buurthuis De Molen",
        BINNENSTAD,
        "9901AB",
    )
    assert list(service.needs.all()) == [need] and service.capacity == 12 and service.collective
    hits, _n = services_find(Query(municipality_id=town.pk, need=need.pk, day=2, open_now=False), now=WEDNESDAY)
    assert [h.service for h in hits] == [service]
    change = service.changes.get()
    assert change.state == m.ServiceChange.State.APPROVED and change.decided_by == user("beheer")
    assert change.proposed["byday"] == "WE" and change.proposed["needs"] == "Mensen ontmoeten"
    listing = client.get("/sociale-kaart/beheer/").content.decode()
    assert "Stichting De Molen" in listing and "Buurtmaaltijd" in listing


def test_the_admin_edits_schedule_place_and_visibility(smap: Map, client: Client) -> None:
    need = m.TaxonomyTerm.objects.get(code="ontmoeting")
    service = smap.activity
    client.force_login(user("beheer"))
    page = client.get(f"/sociale-kaart/beheer/aanbod/{service.pk}/").content.decode()
    assert 'value="Koffieochtend"' in page and 'value="10:00' in page and 'value="TU"' in page
    answer = client.post(
        f"/sociale-kaart/beheer/aanbod/{service.pk}/",
        _service_post(need, name="Koffieochtend", byday=["WE", "FR"], capacity="2", moderation=m.Moderation.HIDDEN),
    )
    assert answer.status_code == 302
    service.refresh_from_db()
    schedule = service.schedules.get()
    assert schedule.byday == "WE,FR" and service.schedule_days == 0b10100 and service.moderation == m.Moderation.HIDDEN
    assert service.service_at_locations.count() == 1  # the place was changed, not added
    assert not public_services(service.municipality_id).filter(pk=service.pk).exists()
    client.post(f"/sociale-kaart/beheer/aanbod/{service.pk}/", _service_post(need, name="Koffieochtend", capacity="2"))
    hits, _n = services_find(Query(municipality_id=service.municipality_id, day=2), now=WEDNESDAY)
    assert service.pk in [h.service.pk for h in hits]
    assert service.changes.filter(state=m.ServiceChange.State.APPROVED).count() == 2


def test_bad_input_is_a_form_error_and_changes_nothing(smap: Map, client: Client) -> None:
    need = m.TaxonomyTerm.objects.get(code="ontmoeting")
    service = smap.activity
    m.Service.objects.filter(pk=service.pk).update(places_taken=2)
    client.force_login(user("beheer"))
    for bad, message in (
        ({"opens_at": "20:00", "closes_at": "19:00"}, "De eindtijd ligt na de begintijd."),
        ({"latitude": "52.1", "longitude": ""}, "Vul beide coördinaten in"),
        ({"capacity": "1"}, "plaatsen bezet"),
        ({"byday": []}, "Kies de dag of dagen."),
        ({"name": ""}, "Dit veld is verplicht."),
        ({"latitude": "999"}, "hoogstens 90"),
    ):
        answer = client.post(f"/sociale-kaart/beheer/aanbod/{service.pk}/", _service_post(need, **bad))
        assert answer.status_code == 200 and message in answer.content.decode(), bad
    service.refresh_from_db()
    assert service.name == "Koffieochtend" and service.schedules.get().byday == "TU" and not service.changes.exists()


def test_only_the_functional_admin_of_the_municipality_may(smap: Map, client: Client) -> None:
    org = smap.activity.organization
    urls = [
        "/sociale-kaart/beheer/",
        "/sociale-kaart/beheer/aanbieder/nieuw/",
        f"/sociale-kaart/beheer/aanbieder/{org.pk}/",
        f"/sociale-kaart/beheer/aanbieder/{org.pk}/aanbod/nieuw/",
        f"/sociale-kaart/beheer/aanbod/{smap.activity.pk}/",
    ]
    for username in ("waakvlammer", "coordinator", "buurtkamer", "regie", "privacy", "signaleerder"):
        client.force_login(user(username))
        assert {client.get(url).status_code for url in urls} == {404}, username
        assert client.post(urls[1], {"name": "Sneaky"}).status_code == 404
    assert not m.Organization.objects.filter(name="Sneaky").exists()
    municipality, *_rest = other_municipality()
    elsewhere = factories.service(municipality, name="Ver weg")
    client.force_login(user("beheer"))
    assert client.get(f"/sociale-kaart/beheer/aanbod/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/sociale-kaart/beheer/aanbieder/{elsewhere.organization.pk}/").status_code == 404
    assert "Ver weg" not in client.get("/sociale-kaart/beheer/").content.decode()
