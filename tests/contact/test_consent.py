"""The consent registry: a partner organisation sees a resident's plan only while an active consent covers
that organisation and that kind of data; revoking removes access at once — on the very next request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import actor_of, consent_for
from tests.factories import user
from waakvlam.contact.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.contact.models import Consent, DataKind
from waakvlam.contact.plan_services import ConsentInput, consent_create, consent_revoke
from waakvlam.core.models import Organisation
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _ggz_sees(client: Client, world: World) -> tuple[int, int, int, int]:
    return (
        client.get(f"/waakvlamcontact/{world.plan.public_id}/").status_code,
        client.get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code,
        client.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/").status_code,
        client.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code,
    )


def test_revoking_in_the_ui_hides_the_data_from_the_other_organisation_at_once(client: Client, world: World) -> None:
    plan_consent = consent_for(world.resident, "ggz-kompas", DataKind.CONTACT_PLAN)
    consent_for(world.resident, "ggz-kompas", DataKind.EARLY_WARNING_PLAN)
    ggz, steward = Client(), Client()
    ggz.force_login(user("ggz"))
    steward.force_login(user("waakvlammer"))
    assert _ggz_sees(ggz, world) == (200, 200, 200, 200)
    assert ggz.get("/api/v1/contact-plans").json()["count"] == 1

    page = steward.get(f"/toestemmingen/{plan_consent.public_id}/intrekken/")
    assert page.status_code == 200
    response = steward.post(
        f"/toestemmingen/{plan_consent.public_id}/intrekken/", {"reason": "Bewoner wil het niet meer"}
    )
    assert response.status_code == 302

    # The next request: the contact plan is gone for GGZ, the early-warning plan (own consent) is not.
    assert _ggz_sees(ggz, world) == (404, 404, 200, 200)
    assert ggz.get("/api/v1/contact-plans").json()["count"] == 0
    assert ggz.get(f"/api/v1/contacts/{world.moment.public_id}").status_code == 404
    # The revoked consent itself disappears from GGZ's view of the registry, not from the steward's.
    assert ggz.get(f"/api/v1/consents/{plan_consent.public_id}").status_code == 404
    revoked = steward.get(f"/api/v1/consents/{plan_consent.public_id}").json()
    assert revoked["active"] is False and revoked["revoked_at"]


def test_revoking_through_the_api_hides_the_data_at_once(login: Callable[[str], Client], world: World) -> None:
    consent = consent_for(world.resident, "ggz-kompas", DataKind.EARLY_WARNING_PLAN)
    ggz = Client()
    ggz.force_login(user("ggz"))
    assert ggz.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code == 200
    assert ggz.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/afdrukken/").status_code == 200
    steward = login("coordinator")
    # GGZ cannot revoke or change what it was given; only the keepers of the plan can.
    assert (
        ggz.post(f"/api/v1/consents/{consent.public_id}/revoke", {}, content_type="application/json").status_code == 404
    )
    response = steward.post(
        f"/api/v1/consents/{consent.public_id}/revoke", {"reason": "Op verzoek"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert ggz.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").status_code == 404
    assert ggz.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/").status_code == 404
    assert ggz.get(f"/bewoners/{world.resident.public_id}/signaleringsplan/afdrukken/").status_code == 404
    assert (
        steward.post(f"/api/v1/consents/{consent.public_id}/revoke", {}, content_type="application/json").status_code
        == 409
    )


def test_consent_covers_only_its_organisation_and_period(login: Callable[[str], Client], world: World) -> None:
    consent = consent_for(world.resident, "wijkteam", DataKind.CONTACT_PLAN)
    assert login("ggz").get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 404
    # Expired yesterday: no longer covers anything.
    Consent.objects.filter(pk=consent.pk).update(
        organisation=Organisation.objects.get(slug="ggz-kompas"),
        valid_from=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    assert login("ggz").get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 404
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate())
    assert login("ggz").get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 200


def test_consent_rules(world: World) -> None:
    ggz_org = Organisation.objects.get(slug="ggz-kompas")
    today = timezone.localdate()
    with pytest.raises(NotAllowed):
        consent_create(
            resident=world.resident,
            data=ConsentInput(ggz_org, DataKind.CONTACT_PLAN, "x", today),
            by=user("waakvlammer2"),
            actor=actor_of("waakvlammer2"),
            now=timezone.now(),
        )
    with pytest.raises(InvalidInput) as error:
        consent_create(
            resident=world.resident,
            data=ConsentInput(ggz_org, "diagnosis", " ", today, today - timedelta(days=1)),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    assert {"data_kind", "purpose", "valid_until"} <= set(error.value.errors)
    consent = consent_for(world.resident, "ggz-kompas")
    assert consent.recorded_by == user("waakvlammer") and consent.recorded_by_label
    before = AccessLogEntry.objects.count()
    consent_revoke(
        consent=consent, by=user("waakvlammer"), reason="", actor=actor_of("waakvlammer"), now=timezone.now()
    )
    assert AccessLogEntry.objects.count() == before + 1
    with pytest.raises(Conflict):
        consent_revoke(
            consent=consent, by=user("waakvlammer"), reason="", actor=actor_of("waakvlammer"), now=timezone.now()
        )


def test_consent_form_in_the_ui(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    path = f"/bewoners/{world.resident.public_id}/toestemmingen/"
    bad = client.post(path, {"organisation": "", "data_kind": "contact_plan", "purpose": "", "valid_from": ""})
    assert bad.status_code == 422
    assert 'href="#id_organisation"' in bad.content.decode()
    ggz_org = Organisation.objects.get(slug="ggz-kompas")
    good = client.post(
        path,
        {
            "organisation": ggz_org.pk,
            "data_kind": "contact_plan",
            "purpose": "Nazorg",
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )
    assert good.status_code == 302
    assert Consent.objects.filter(resident=world.resident, organisation=ggz_org).count() == 1
