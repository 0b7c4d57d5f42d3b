"""Notifications about a resident carry no personal data when stored; what they show is rendered at read
time with the checks of what they point to, logged with whom it was about, and gone once consent is."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of, consent_for
from tests.factories import user
from waakvlam.contact.models import DataKind
from waakvlam.contact.plan_services import consent_revoke
from waakvlam.handover.models import Handover
from waakvlam.handover.services import handover_accept
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing_told(announce: Callable[..., Handover]) -> Handover:
    handover = announce(number=7, name="Karin Smit")
    consent_for(handover.resident, "woonstede", DataKind.HANDOVER, by="waakvlammer")
    return handover_accept(
        handover=handover,
        steward=user("waakvlammer"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )


def _shows(client: Client, handover: Handover) -> tuple[bool, bool]:
    page = client.get("/berichten/").content.decode()
    api = client.get("/api/v1/notifications").json()["items"]
    address = str(handover.address)
    return address in page, any(address in n["body"] for n in api)


def test_the_housing_association_reads_date_and_address_logged_and_loses_them_with_the_consent(
    housing_told: Handover, login: Callable[[str], Client]
) -> None:
    stored = Notification.objects.get(kind="handover_housing", channel="in_app")
    assert str(housing_told.address) not in stored.subject + stored.body
    client = login("signaleerder")
    before = AccessLogEntry.objects.count()
    assert _shows(client, housing_told) == (True, True)
    logged = AccessLogEntry.objects.filter(seq__gt=before, object_type="notify.notification")
    assert {e.context for e in logged} == {"ui:notification_list", "api:notification_list"}
    assert {e.subject for e in logged} == {f"resident:{housing_told.resident_id}"}
    assert {e.username for e in logged} == {"signaleerder"}
    consent = housing_told.resident.consents.get(organisation__slug="woonstede")  # type: ignore[attr-defined]
    consent_revoke(consent=consent, by=user("ggz"), reason="ingetrokken", actor=actor_of("ggz"), now=timezone.now())
    before = AccessLogEntry.objects.count()
    assert _shows(client, housing_told) == (False, False)
    items = client.get("/api/v1/notifications").json()["items"]
    assert [n["available"] for n in items if n["kind"] == "handover_housing"] == [False]
    assert not AccessLogEntry.objects.filter(seq__gt=before, object_type="notify.notification").exists()


def test_the_receiving_team_reads_the_announcement_logged(
    announce: Callable[..., Handover], login: Callable[[str], Client]
) -> None:
    handover = announce(discharge_on=timezone.localdate())
    stored = Notification.objects.filter(kind="handover_announced").first()
    assert stored is not None and f"{handover.discharge_on:%d-%m-%Y}" not in stored.subject + stored.body
    client = login("waakvlammer")
    assert f"{handover.discharge_on:%d-%m-%Y}" in client.get("/berichten/").content.decode()
    entry = AccessLogEntry.objects.filter(object_type="notify.notification").get()
    assert (entry.subject, entry.context) == (f"resident:{handover.resident_id}", "ui:notification_list")
