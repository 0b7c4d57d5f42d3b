"""Who sees which referral, and how much: the sending side whole, the keeper and the receiving
organisation only what consent allows, everyone else 404, in the UI and the API; every view is logged
naming the resident."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import user
from tests.socialmap.conftest import Map
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Organisation, User
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.socialmap.referral_models import Referral, Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

pytestmark = pytest.mark.django_db


def _send(smap: Map, service: object, shared: str = Shared.FIRST_NAME, name: str = "Jan") -> Referral:
    return referral_send(
        sender=user("waakvlammer"),
        resident=smap.resident,
        service=service,  # type: ignore[arg-type]
        data=ReferralInput(
            shared=shared,
            shared_name=name,
            shared_phone="0612345678",
            shared_note="Houdt van koffie",
            consent_given=True,
        ),
        now=timezone.now(),
        actor=actor_of("waakvlammer"),
    )


def _logged(referral: Referral, context: str) -> int:
    return AccessLogEntry.objects.filter(
        object_type="socialmap.referral",
        object_id=str(referral.pk),
        subject=f"resident:{referral.resident_id}",
        context=context,
    ).count()


@pytest.mark.parametrize(
    ("username", "sees_keeper", "sees_ggz"),
    [
        ("waakvlammer", True, True),  # sender
        ("coordinator", True, True),  # sender's organisation
        ("buurtkamer", True, False),  # keeper: own referral only
        ("ggz", False, True),  # receiving organisation
        ("waakvlammer2", False, False),  # other team
        ("signaleerder", False, False),
        ("regie", False, False),
        ("beheer", False, False),
        ("privacy", False, False),
    ],
)
def test_detail_visible_only_to_the_right_people(
    smap: Map, client: Client, username: str, sees_keeper: bool, sees_ggz: bool
) -> None:
    to_keeper, to_ggz = _send(smap, smap.activity), _send(smap, smap.ggz_service, Shared.NAME_PHONE, "Jan Jansen")
    client.force_login(User.objects.get(username=username))
    for referral, expected in ((to_keeper, sees_keeper), (to_ggz, sees_ggz)):
        ui = client.get(f"/verwijzingen/{referral.public_id}/")
        api = client.get(f"/api/v1/referrals/{referral.public_id}")
        assert ui.status_code == (200 if expected else 404), username
        assert api.status_code == (200 if expected else 404), username
        if expected:
            assert _logged(referral, "ui:referral_detail") >= 1
            assert _logged(referral, "api:referral_detail") >= 1
    listed = {item["id"] for item in client.get("/api/v1/referrals").json().get("items", [])}
    assert listed == {str(r.public_id) for r, ok in ((to_keeper, sees_keeper), (to_ggz, sees_ggz)) if ok}


def test_receiving_side_sees_only_what_consent_allows(smap: Map, client: Client) -> None:
    to_keeper = _send(smap, smap.activity)  # first name only
    client.force_login(smap.keeper)
    body = client.get(f"/api/v1/referrals/{to_keeper.public_id}").json()
    assert body["name"] == "Jan" and body["phone"] is None and body["note"] is None and body["resident_id"] is None
    page = client.get(f"/verwijzingen/{to_keeper.public_id}/").content.decode()
    assert "Jan Jansen" not in page and "0612345678" not in page and str(smap.resident.household.address) not in page
    to_ggz = _send(smap, smap.ggz_service, Shared.NAME_PHONE, "Jan Jansen")
    client.force_login(user("ggz"))
    body = client.get(f"/api/v1/referrals/{to_ggz.public_id}").json()
    assert body["phone"] == "0612345678" and body["note"] is None and body["resident_id"] is None
    client.force_login(user("waakvlammer"))
    assert client.get(f"/api/v1/referrals/{to_ggz.public_id}").json()["resident_id"] == str(smap.resident.public_id)


def test_list_views_log_each_referral(smap: Map, client: Client) -> None:
    referral = _send(smap, smap.activity)
    client.force_login(smap.keeper)
    assert client.get("/verwijzingen/").status_code == 200
    assert client.get("/mijn-activiteiten/").status_code == 200
    assert client.get("/api/v1/referrals").status_code == 200
    for context in ("ui:referral_list", "ui:keeper_home", "api:referral_list"):
        assert _logged(referral, context) == 1, context


def test_keeper_answers_in_the_ui(smap: Map, client: Client) -> None:
    referral = _send(smap, smap.activity)
    client.force_login(smap.keeper)
    client.post(f"/verwijzingen/{referral.public_id}/antwoord/", {"status": "accepted"})
    client.post(f"/verwijzingen/{referral.public_id}/antwoord/", {"status": "connected"})
    referral.refresh_from_db()
    assert referral.status == "connected"
    assert [e.to_status for e in referral.events.all()] == ["sent", "accepted", "connected"]


def test_partner_answers_with_an_api_key(smap: Map, client: Client) -> None:
    referral = _send(smap, smap.ggz_service, Shared.NAME_PHONE, "Jan Jansen")
    ggz = Organisation.objects.get(slug="ggz-kompas")
    _read_only, read_key = api_key_create(organisation=ggz, scopes=["referrals:read"], name="r")
    _both, key = api_key_create(organisation=ggz, scopes=["referrals:read", "referrals:write"], name="rw")
    url = f"/api/v1/referrals/{referral.public_id}/answer"
    refused = client.post(
        url, {"status": "accepted"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {read_key}"
    )
    assert refused.status_code == 403
    no_reason = client.post(
        url, {"status": "declined"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert no_reason.status_code == 422
    ok = client.post(url, {"status": "accepted"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    again = client.post(
        url, {"status": "accepted"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert again.status_code == 409
    bad = client.post(url, {"status": "maybe"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bad.status_code == 422
    other = Organisation.objects.get(slug="woonstede")
    _k, other_key = api_key_create(organisation=other, scopes=["referrals:read", "referrals:write"], name="x")
    assert (
        client.get(f"/api/v1/referrals/{referral.public_id}", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code
        == 404
    )


def test_steward_sends_over_the_api(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    payload = {
        "service_id": str(smap.activity.pk),
        "resident_id": str(smap.resident.public_id),
        "shared": "first_name",
        "shared_name": "Jan",
        "consent": True,
    }
    created = client.post("/api/v1/referrals", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["owner_keeper"] == "buurtkamer"
    no_consent = client.post("/api/v1/referrals", {**payload, "consent": False}, content_type="application/json")
    assert no_consent.status_code == 422
    client.force_login(user("waakvlammer2"))
    assert client.post("/api/v1/referrals", payload, content_type="application/json").status_code == 404


def test_provisions_api(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    page = client.get("/api/v1/provisions", {"need": "ontmoeting"}).json()
    assert [p["name"] for p in page["items"]] == ["Koffieochtend"]
    assert page["items"][0]["places_free"] == 2
    assert client.get("/api/v1/provisions", {"neighbourhood": "nope"}).status_code == 422
    assert client.get(f"/api/v1/provisions/{smap.activity.pk}").json()["collective"] is True
    client.logout()
    assert client.get("/api/v1/provisions").status_code == 401


def test_referral_from_a_signal_the_steward_may_see(smap: Map, client: Client) -> None:
    from tests.factories import signal_for, team

    mine = signal_for(team("Waakvlam Centrum-Oost"), category="isolation")
    other = signal_for(team("Waakvlam West"), category="isolation")
    client.force_login(user("waakvlammer"))
    payload = {
        "service_id": str(smap.activity.pk),
        "resident_id": str(smap.resident.public_id),
        "shared": "first_name",
        "shared_name": "Jan",
        "consent": True,
    }
    created = client.post("/api/v1/referrals", {**payload, "signal_id": mine.pk}, content_type="application/json")
    assert created.status_code == 201 and created.json()["signal_id"] == mine.pk
    hidden = client.post("/api/v1/referrals", {**payload, "signal_id": other.pk}, content_type="application/json")
    assert hidden.status_code == 404
    url = f"/sociale-kaart/aanbod/{smap.activity.pk}/verwijzen/"
    assert client.get(url, {"resident": str(smap.resident.public_id), "signaal": other.pk}).status_code == 404
    sent = client.post(
        url,
        {
            "resident": str(smap.resident.public_id),
            "signal": mine.pk,
            "shared": "first_name",
            "shared_name": "Jan",
            "consent": "on",
        },
    )
    assert sent.status_code == 302
    assert Referral.objects.filter(signal=mine).count() == 2
