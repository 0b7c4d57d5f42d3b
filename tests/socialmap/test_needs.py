"""A resident's needs: the steward records them on the contact plan page from the social map's taxonomy;
the offers that meet a need in the resident's neighbourhood follow, collective first, each with
"Verbinden" into the referral flow with the need chosen. Need-to-know as the plan: others get a 404.
Every read and write names the resident in the access log; export and erasure include the needs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.contact.helpers import ZONNEHOEK, actor_of
from tests.factories import user
from tests.socialmap import factories
from tests.socialmap.conftest import Map
from waakvlam.contact.services import plan_close
from waakvlam.core.models import Neighbourhood
from waakvlam.households.erasure import resident_erase
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.socialmap import models as m
from waakvlam.socialmap.referral_models import Referral

pytestmark = pytest.mark.django_db
MEETING = "ontmoeting"


def _record(client: Client, smap: Map, code: str = MEETING):  # type: ignore[no-untyped-def]
    term = factories.need(code, code.title())
    return client.post(reverse("socialmap:need_record", args=[smap.plan.public_id]), {"term": str(term.pk)})


def _plan_page(client: Client, smap: Map) -> str:
    return client.get(reverse("contact:plan_detail", args=[smap.plan.public_id])).content.decode()


def test_the_steward_records_a_need_and_collective_offers_come_first_then_individual(smap: Map, client: Client) -> None:
    town = smap.activity.municipality
    hood = smap.resident.household.neighbourhood  # type: ignore[union-attr]
    buddy = factories.service(town, name="Maatje aan huis", collective=False, neighbourhood=hood)
    elsewhere = factories.service(
        town, name="Zanggroep Zonnehoek", neighbourhood=Neighbourhood.objects.get(code=ZONNEHOEK)
    )
    client.force_login(user("waakvlammer"))
    response = _record(client, smap)
    assert response.status_code == 302 and response["Location"].endswith("#behoeften")
    need = m.ResidentNeed.objects.get(resident=smap.resident)
    assert (need.term.code, need.recorded_by, need.ended_at) == (MEETING, user("waakvlammer"), None)
    html = _plan_page(client, smap)
    section = html[html.index('id="behoeften"') :]
    assert section.index(smap.activity.name) < section.index(buddy.name), "collective first"
    assert "Eerst collectief" in section and "Individueel aanbod" in section
    assert elsewhere.name not in section, "only the resident's neighbourhood"
    connect = reverse("socialmap:referral_create", args=[smap.activity.pk])
    assert f"{connect}?resident={smap.resident.public_id}&amp;behoefte={need.pk}" in section
    # Recording the same need again keeps the one open record.
    _record(client, smap)
    assert m.ResidentNeed.objects.filter(resident=smap.resident).count() == 1


def test_verbinden_opens_the_referral_with_the_need_chosen_and_the_referral_keeps_it(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    _record(client, smap)
    need = m.ResidentNeed.objects.get(resident=smap.resident)
    url = reverse("socialmap:referral_create", args=[smap.activity.pk])
    form = client.get(f"{url}?resident={smap.resident.public_id}&behoefte={need.pk}").content.decode()
    assert f'<option value="{need.pk}" selected>' in form
    response = client.post(
        url,
        {
            "resident": str(smap.resident.public_id),
            "shared": "first_name",
            "shared_name": "Jan",
            "consent": "on",
            "need": need.pk,
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(resident=smap.resident).need == need


def test_ending_a_need_keeps_it_with_its_end(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    _record(client, smap)
    need = m.ResidentNeed.objects.get(resident=smap.resident)
    response = client.post(reverse("socialmap:need_end", args=[smap.plan.public_id, need.pk]))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.ended_at is not None
    assert "Nog geen behoeften vastgelegd." in _plan_page(client, smap)


@pytest.mark.parametrize("username", ["waakvlammer2", "signaleerder", "ggz", "beheer"])
def test_only_who_may_change_the_plan_records_or_ends_needs_others_get_404(
    smap: Map, client: Client, username: str
) -> None:
    term = factories.need(MEETING, "Ontmoeting")
    need = m.ResidentNeed.objects.create(
        resident=smap.resident, term=term, recorded_by=user("waakvlammer"), recorded_at=timezone.now()
    )
    client.force_login(user(username))
    record = client.post(reverse("socialmap:need_record", args=[smap.plan.public_id]), {"term": str(term.pk)})
    end = client.post(reverse("socialmap:need_end", args=[smap.plan.public_id, need.pk]))
    assert (record.status_code, end.status_code) == (404, 404)
    need.refresh_from_db()
    assert need.ended_at is None and m.ResidentNeed.objects.count() == 1
    page = client.get(reverse("contact:plan_detail", args=[smap.plan.public_id]))
    assert page.status_code == 404 or 'id="behoeften"' not in page.content.decode()


def test_needs_on_the_plan_page_are_read_and_written_under_the_residents_name(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    subject = f"resident:{smap.resident.pk}"
    first = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _record(client, smap)
    created = AccessLogEntry.objects.filter(pk__gt=first, object_type="socialmap.residentneed")
    assert [(e.action, e.subject, e.context) for e in created] == [("create", subject, "ui:need_record")]
    mark = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    _plan_page(client, smap)
    read = AccessLogEntry.objects.filter(pk__gt=mark, object_type="socialmap.residentneed")
    assert [(e.action, e.subject, e.context) for e in read] == [("view", subject, "ui:plan_needs")]


def test_the_residents_export_and_erasure_include_the_needs(smap: Map, client: Client) -> None:
    client.force_login(user("waakvlammer"))
    _record(client, smap)
    privacy = Client()
    privacy.force_login(user("privacy"))
    document = privacy.get(reverse("households:resident_export_json", args=[smap.resident.public_id])).json()
    (row,) = document["needs"]
    assert (row["need_code"], row["ended_at"]) == (MEETING, None) and row["recorded_by"]
    readable = privacy.get(reverse("households:resident_export", args=[smap.resident.public_id])).content.decode()
    assert "<h2>Behoeften</h2>" in readable and "Ontmoeting" in readable
    plan_close(
        plan=smap.plan, by=user("waakvlammer"), reason="Gaat goed", actor=actor_of("waakvlammer"), now=timezone.now()
    )
    resident_erase(resident=smap.resident, reason="Brief 12-11", actor=actor_of("privacy"), now=timezone.now())
    assert not m.ResidentNeed.objects.filter(resident=smap.resident).exists()
    assert AccessLogEntry.objects.filter(
        object_type="socialmap.residentneed", action="delete", subject=f"resident:{smap.resident.pk}"
    ).exists()
