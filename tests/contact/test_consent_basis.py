"""Who may record which consent, for whom and for how long (contact/consent_rules.py), in the UI and the API
and for every role: the resident's keepers record for another organisation, with an end or review date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.contact.consent_rules import MAX_CONSENT_DAYS
from waakvlam.contact.errors import InvalidInput
from waakvlam.contact.models import Consent, DataKind
from waakvlam.contact.plan_services import ConsentInput, consent_create
from waakvlam.core.models import Organisation

pytestmark = pytest.mark.django_db

USERS = ["waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "wijkagent", "regie", "privacy", "beheer"]
KEEPERS = {"waakvlammer", "coordinator"}  # steward and coordinator (back-up) of buurtwerk, which keeps the plan


def _until(days: int = 90) -> date:
    return timezone.localdate() + timedelta(days=days)


def api_body(world: World, org: str = "politie", until: date | None = None) -> dict[str, object]:
    body: dict[str, object] = {
        "resident_id": str(world.resident.public_id),
        "organisation": org,
        "data_kind": DataKind.EARLY_WARNING_PLAN,
        "purpose": "Weten wie te bellen bij oranje",
    }
    if until is not None:
        body["valid_until"] = until.isoformat()
    return body


def form(org: str = "politie", until: date | None = None) -> dict[str, object]:
    return {
        "organisation": Organisation.objects.get(slug=org).pk,
        "data_kind": DataKind.EARLY_WARNING_PLAN,
        "purpose": "Weten wie te bellen bij oranje",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": until.isoformat() if until else "",
    }


@pytest.mark.parametrize("username", USERS)
def test_only_the_keepers_record_a_consent_ui_and_api(
    login: Callable[[str], Client], world: World, username: str
) -> None:
    client = login(username)
    api = client.post("/api/v1/consents", api_body(world, until=_until()), content_type="application/json")
    assert api.status_code == (201 if username in KEEPERS else 404), api.content
    ui = client.post(f"/bewoners/{world.resident.public_id}/toestemmingen/", form(until=_until(30)))
    assert ui.status_code == (302 if username in KEEPERS else 404)
    made = Consent.objects.filter(resident=world.resident).count()
    assert made == (2 if username in KEEPERS else 0)


@pytest.mark.parametrize("username", sorted(KEEPERS))
def test_nobody_records_a_consent_for_their_own_organisation(
    login: Callable[[str], Client], world: World, username: str
) -> None:
    client = login(username)
    own = user(username).organisation.slug
    api = client.post("/api/v1/consents", api_body(world, own, _until()), content_type="application/json")
    assert api.status_code == 422
    assert [e["loc"][-1] for e in api.json()["detail"]] == ["organisation"]
    assert "eigen organisatie" in api.json()["detail"][0]["msg"]
    ui = client.post(f"/bewoners/{world.resident.public_id}/toestemmingen/", form(own, _until()))
    assert ui.status_code == 422
    assert 'href="#id_organisation"' in ui.content.decode() and "eigen organisatie" in ui.content.decode()
    assert not Consent.objects.exists()


def test_every_consent_has_an_end_or_review_date(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    missing = client.post("/api/v1/consents", api_body(world), content_type="application/json")
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "valid_until"
    too_far = client.post(
        "/api/v1/consents", api_body(world, until=_until(MAX_CONSENT_DAYS + 1)), content_type="application/json"
    )
    assert too_far.status_code == 422 and too_far.json()["detail"][0]["loc"][-1] == "valid_until"
    path = f"/bewoners/{world.resident.public_id}/toestemmingen/"
    ui = client.post(path, form())
    assert ui.status_code == 422
    page = ui.content.decode()
    assert 'href="#id_valid_until"' in page and "opnieuw met de bewoner bespreekt" in page
    assert client.post(path, form(until=_until(MAX_CONSENT_DAYS + 1))).status_code == 422
    with pytest.raises(InvalidInput) as error:
        consent_create(
            resident=world.resident,
            data=ConsentInput(
                Organisation.objects.get(slug="politie"), DataKind.CONTACT_PLAN, "x", timezone.localdate()
            ),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    assert set(error.value.errors) == {"valid_until"}
    assert not Consent.objects.exists()
    ok = client.post(
        "/api/v1/consents", api_body(world, until=_until(MAX_CONSENT_DAYS)), content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["valid_until"] == _until(MAX_CONSENT_DAYS).isoformat()


def test_a_partner_with_a_consent_cannot_extend_it(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    given = client.post("/api/v1/consents", api_body(world, "ggz-kompas", _until(30)), content_type="application/json")
    assert given.status_code == 201
    ggz = login("ggz")
    assert ggz.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code == 200
    for org in ("ggz-kompas", "politie"):
        again = ggz.post("/api/v1/consents", api_body(world, org, _until(300)), content_type="application/json")
        assert again.status_code == 404
    assert Consent.objects.count() == 1
