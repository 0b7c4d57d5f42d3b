"""During a handover the sending clinic sees the resident, but records no consent — not for itself, not for
anyone else; the receiving side does. What the clinic sees through the overlap ends on its last day."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import AMS, actor_of
from tests.factories import user
from waakvlam.contact.models import Consent, DataKind
from waakvlam.contact.selectors import early_warning_plans_visible_to, plans_visible_to
from waakvlam.core.models import Organisation
from waakvlam.handover.models import Handover
from waakvlam.handover.services import handover_accept

pytestmark = pytest.mark.django_db
migration = importlib.import_module("waakvlam.handover.migrations.0003_self_granted_consents_end")


def body(handover: Handover, org: str, until: date | None = None) -> dict[str, object]:
    return {
        "resident_id": str(handover.resident.public_id),
        "organisation": org,
        "data_kind": DataKind.CONTACT_PLAN,
        "purpose": "Nazorg",
        "valid_until": (until or timezone.localdate() + timedelta(days=200)).isoformat(),
    }


def form(org: str) -> dict[str, object]:
    return {
        "organisation": Organisation.objects.get(slug=org).pk,
        "data_kind": DataKind.CONTACT_PLAN,
        "purpose": "Nazorg",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": (timezone.localdate() + timedelta(days=200)).isoformat(),
    }


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=AMS)


def test_the_sending_clinic_records_no_consent(
    login: Callable[[str], Client], announce: Callable[..., Handover]
) -> None:
    handover = announce()
    clinic = login("ggz")
    for org in ("ggz-kompas", "politie"):
        api = clinic.post("/api/v1/consents", body(handover, org), content_type="application/json")
        assert api.status_code == 403, api.content
        assert "verantwoordelijke waakvlammer" in api.json()["detail"]
        assert clinic.post(f"/bewoners/{handover.resident.public_id}/toestemmingen/", form(org)).status_code == 403
    page = clinic.get(f"/bewoners/{handover.resident.public_id}/toestemmingen/")
    assert page.status_code == 200 and 'name="purpose"' not in page.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("username", ["waakvlammer", "coordinator"])
def test_the_receiving_side_records_for_others_not_for_itself(
    login: Callable[[str], Client], announce: Callable[..., Handover], username: str
) -> None:
    handover = announce()
    client = login(username)
    assert (
        client.post("/api/v1/consents", body(handover, "woonstede"), content_type="application/json").status_code == 201
    )
    own = client.post("/api/v1/consents", body(handover, "buurtwerk"), content_type="application/json")
    assert own.status_code == 422 and own.json()["detail"][0]["loc"][-1] == "organisation"
    page = client.get(f"/bewoners/{handover.resident.public_id}/toestemmingen/")
    assert 'name="purpose"' in page.content.decode()


def test_overlap_access_ends_on_the_overlap_end_date(
    login: Callable[[str], Client], announce: Callable[..., Handover]
) -> None:
    handover = announce(discharge_on=timezone.localdate() - timedelta(days=2))
    handover = handover_accept(
        handover=handover,
        steward=user("waakvlammer"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    plan = handover.contact_plan
    assert plan is not None
    # The clinic tries to keep sight after the overlap: refused, so nothing outlives the overlap.
    clinic = login("ggz")
    assert (
        clinic.post("/api/v1/consents", body(handover, "ggz-kompas"), content_type="application/json").status_code
        == 403
    )
    Handover.objects.filter(pk=handover.pk).update(status="closed", closed_at=timezone.now())
    last, after = handover.overlap_until, handover.overlap_until + timedelta(days=1)
    # Explicit `now` in the selectors.
    ggz = user("ggz")
    assert plans_visible_to(ggz, noon(last)).filter(pk=plan.pk).exists()
    assert not plans_visible_to(ggz, noon(after)).filter(pk=plan.pk).exists()
    assert not early_warning_plans_visible_to(ggz, noon(after)).exists()
    assert plans_visible_to(user("waakvlammer"), noon(after)).filter(pk=plan.pk).exists()
    # And the reads, on the last day of the overlap and the day after.
    # (a fresh session each time: an idle session would expire over the days travelled.)
    with time_machine.travel(noon(last), tick=False):
        clinic = login("ggz")
        assert clinic.get(f"/api/v1/contact-plans/{plan.public_id}").status_code == 200
        assert clinic.get(f"/waakvlamcontact/{plan.public_id}/").status_code == 200
    with time_machine.travel(noon(after), tick=False):
        clinic = login("ggz")
        assert clinic.get(f"/api/v1/contact-plans/{plan.public_id}").status_code == 404
        assert clinic.get(f"/waakvlamcontact/{plan.public_id}/").status_code == 404
        assert clinic.get(f"/api/v1/handovers/{handover.public_id}").status_code == 404
        assert clinic.get("/api/v1/contact-plans").json()["count"] == 0


def test_existing_self_granted_consents_end_with_the_overlap_or_are_revoked(
    announce: Callable[..., Handover],
) -> None:
    handover = announce()
    today = timezone.localdate()
    common = {"municipality_id": handover.municipality_id, "resident": handover.resident, "purpose": "x"}
    by_clinic = Consent.objects.create(
        **common,
        organisation=Organisation.objects.get(slug="ggz-kompas"),
        data_kind=DataKind.CONTACT_PLAN,
        valid_from=today,
        valid_until=today + timedelta(days=365),
        recorded_by=user("ggz"),
        recorded_at=timezone.now(),
    )
    by_steward = Consent.objects.create(
        **common,
        organisation=Organisation.objects.get(slug="buurtwerk"),
        data_kind=DataKind.CONTACT_PLAN,
        valid_from=today,
        valid_until=today + timedelta(days=365),
        recorded_by=user("waakvlammer2"),
        recorded_at=timezone.now(),
    )
    proper = Consent.objects.create(
        **common,
        organisation=Organisation.objects.get(slug="woonstede"),
        data_kind=DataKind.HANDOVER,
        valid_from=today,
        valid_until=today + timedelta(days=365),
        recorded_by=user("waakvlammer"),
        recorded_at=timezone.now(),
    )
    migration.end_self_granted(apps, None)
    for c in (by_clinic, by_steward, proper):
        c.refresh_from_db()
    assert by_clinic.valid_until == handover.overlap_until and by_clinic.revoked_at is None
    assert by_steward.revoked_at is not None and "geen grondslag" in by_steward.revoke_reason
    assert proper.revoked_at is None and proper.valid_until == today + timedelta(days=365)
