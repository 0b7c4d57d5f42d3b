"""Collective first, visibly: collective offers in the resident's neighbourhood are suggested where a signal
is closed and where a steward searches for a need; the team coordinator sees connections to collective and
individual offers counted per steward, team and neighbourhood."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.contact.helpers import BINNENSTAD, ZONNEHOEK
from tests.factories import signal_for, team, user
from tests.socialmap import factories
from tests.socialmap.conftest import Map
from tests.socialmap.test_referrals import move, send
from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.referral_models import ReferralStatus

pytestmark = pytest.mark.django_db
TITLE = "Eerst collectief: samen in"


def _isolation_signal(code: str = BINNENSTAD):  # type: ignore[no-untyped-def]
    return signal_for(
        team("Waakvlam Centrum-Oost"), neighbourhood=Neighbourhood.objects.get(code=code), category="isolation"
    )


def test_the_signal_page_suggests_collective_offers_in_its_neighbourhood_before_closing(
    smap: Map, client: Client
) -> None:
    elsewhere = factories.service(
        smap.activity.municipality, name="Zanggroep Zonnehoek", neighbourhood=Neighbourhood.objects.get(code=ZONNEHOEK)
    )
    individual = factories.service(
        smap.activity.municipality,
        name="Maatje aan huis",
        collective=False,
        neighbourhood=Neighbourhood.objects.get(code=BINNENSTAD),
    )
    signal = _isolation_signal()
    client.force_login(user("waakvlammer"))
    html = client.get(f"/signalen/{signal.pk}/").content.decode()
    suggestions = html[html.index(TITLE) : html.index("</aside>")]
    assert "Binnenstad" in suggestions and "Koffieochtend" in suggestions
    assert elsewhere.name not in suggestions and individual.name not in suggestions
    assert html.index(TITLE) < html.index(f'action="/signalen/{signal.pk}/afsluiten/"')
    close = client.get(f"/signalen/{signal.pk}/afsluiten/").content.decode()
    assert TITLE in close and "Koffieochtend" in close


def test_no_suggestions_where_the_category_has_no_matching_need_or_for_a_signaller(smap: Map, client: Client) -> None:
    money = signal_for(
        team("Waakvlam Centrum-Oost"),
        neighbourhood=Neighbourhood.objects.get(code=BINNENSTAD),
        category="payment_arrears",
    )
    client.force_login(user("waakvlammer"))
    html = client.get(f"/signalen/{money.pk}/").content.decode()
    # "geld" is a need the map does not have here: nothing to suggest, and no empty box.
    assert TITLE not in html
    budget = factories.service(
        smap.activity.municipality,
        name="Budgetcafé",
        need_code="geld",
        neighbourhood=smap.activity.service_at_locations.get().location.neighbourhood,
    )
    html = client.get(f"/signalen/{money.pk}/").content.decode()
    assert TITLE in html and budget.name in html and "Koffieochtend" not in html
    signal = _isolation_signal()
    client.force_login(user("signaleerder"))
    assert TITLE not in client.get(f"/signalen/{signal.pk}/").content.decode()


def test_the_find_screen_shows_collective_and_individual_offers_apart(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    html = client.get("/sociale-kaart/", {"resident": str(smap.resident.public_id)}).content.decode()
    collective, individual = html.index("Collectief: samen met anderen"), html.index(">Individueel<")
    assert collective < html.index("Koffieochtend") < individual < html.index("Inloop GGZ")


def test_the_coordinator_sees_collective_and_individual_connections_counted(smap: Map, client: Client) -> None:
    for service in (smap.activity, smap.activity, smap.ggz_service):
        referral = send(smap, service)
        by = "buurtkamer" if service == smap.activity else "ggz"
        move(referral, ReferralStatus.ACCEPTED, by=by)
        move(referral, ReferralStatus.CONNECTED, by=by)
    send(smap)  # sent, not (yet) connected: not counted
    client.force_login(user("coordinator"))
    page = client.get("/verwijzingen/collectief-of-individueel/")
    html = page.content.decode()
    assert page.status_code == 200
    for label in ("waakvlammer", "Waakvlam Centrum-Oost", "BU99990100"):
        row = html[html.index(f'<th scope="row">{label}</th>') :].split("</tr>")[0]
        assert "<td>2</td><td>1</td><td>67%</td>" in row, label
    assert str(smap.resident) not in html  # no resident is named
    empty = client.get("/verwijzingen/collectief-of-individueel/", {"van": "2020-01-01", "tot": "2020-02-01"})
    assert "Nog geen verwijzingen" in empty.content.decode()
    bad = client.get("/verwijzingen/collectief-of-individueel/", {"van": "2026-02-01", "tot": "2026-01-01"})
    assert bad.status_code == 200 and "De einddatum ligt voor de begindatum." in bad.content.decode()
    assert client.get("/verwijzingen/").content.decode().count("collectief-of-individueel") == 1
    for other in ("waakvlammer", "ggz", "buurtkamer"):
        client.force_login(user(other))
        assert client.get("/verwijzingen/collectief-of-individueel/").status_code == 404


def test_another_organisations_connections_are_not_counted_for_the_coordinator(smap: Map, client: Client) -> None:
    referral = send(smap)
    move(referral, ReferralStatus.ACCEPTED)
    move(referral, ReferralStatus.CONNECTED)
    m.Referral.objects.filter(pk=referral.pk).update(sender_organisation=user("ggz").organisation)
    client.force_login(user("coordinator"))
    assert "Nog geen verwijzingen" in client.get("/verwijzingen/collectief-of-individueel/").content.decode()
