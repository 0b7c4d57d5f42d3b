"""Every view of a plan writes exactly one access-log entry, about the resident; every write one more; the
residents'-rights export writes an "export" entry and contains the entries about the resident."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import consent_for
from tests.factories import other_municipality
from waakvlam.contact.models import DataKind
from waakvlam.households.models import Resident
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify

pytestmark = pytest.mark.django_db


def _new_entries(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(seq__gt=before).order_by("seq"))


def _last_seq() -> int:
    return AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize(
    ("path", "object_type", "action"),
    [
        ("/waakvlamcontact/{plan}/", "contact.contactplan", "view"),
        ("/api/v1/contact-plans/{plan}", "contact.contactplan", "view"),
        ("/api/v1/contacts/{moment}", "contact.contactmoment", "view"),
        ("/bewoners/{resident}/signaleringsplan/", "contact.earlywarningplan", "view"),
        ("/api/v1/early-warning-plans/{ew}", "contact.earlywarningplan", "view"),
        ("/bewoners/{resident}/signaleringsplan/afdrukken/", "contact.earlywarningplan", "print"),
        ("/waakvlamcontact/{plan}/wijzigen/", "contact.contactplan", "view"),
    ],
)
def test_every_view_writes_exactly_one_entry(
    login: Callable[[str], Client], world: World, path: str, object_type: str, action: str
) -> None:
    client = login("waakvlammer")
    url = path.format(
        plan=world.plan.public_id,
        moment=world.moment.public_id,
        resident=world.resident.public_id,
        ew=world.early_warning.public_id,
    )
    before = _last_seq()
    assert client.get(url).status_code == 200
    entries = _new_entries(before)
    assert len(entries) == 1, [(e.object_type, e.action, e.context) for e in entries]
    entry = entries[0]
    assert (entry.object_type, entry.action, entry.username) == (object_type, action, "waakvlammer")
    assert entry.subject == f"resident:{world.resident.pk}"
    assert entry.organisation == "buurtwerk"


def test_a_partner_reading_with_consent_is_logged_too(login: Callable[[str], Client], world: World) -> None:
    consent_for(world.resident, "ggz-kompas", DataKind.CONTACT_PLAN)
    before = _last_seq()
    assert login("ggz").get(f"/api/v1/contact-plans/{world.plan.public_id}").status_code == 200
    (entry,) = _new_entries(before)
    assert (entry.username, entry.organisation, entry.context) == ("ggz", "ggz-kompas", "api:contact_plan_detail")


def test_a_refused_read_writes_nothing(login: Callable[[str], Client], world: World) -> None:
    before = _last_seq()
    assert login("waakvlammer2").get(f"/waakvlamcontact/{world.plan.public_id}/").status_code == 404
    assert _new_entries(before) == []


def test_writes_are_logged_once_each(login: Callable[[str], Client], world: World) -> None:
    client = login("waakvlammer")
    before = _last_seq()
    form = {"happened_on": timezone.localdate().isoformat(), "channel": "street", "made": "nee", "note": ""}
    assert client.post(f"/waakvlamcontact/{world.plan.public_id}/contact/", form).status_code == 302
    (entry,) = _new_entries(before)
    assert (entry.action, entry.object_type, entry.context) == ("create", "contact.contactmoment", "ui:contact_record")


def test_export_is_logged_and_lists_who_saw_the_resident(login: Callable[[str], Client], world: World) -> None:
    login("waakvlammer").get(f"/waakvlamcontact/{world.plan.public_id}/")
    client = login("privacy")
    before = _last_seq()
    response = client.get(f"/privacy/bewoners/{world.resident.public_id}/inzage.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    (entry,) = _new_entries(before)
    assert (entry.action, entry.username, entry.subject) == ("export", "privacy", f"resident:{world.resident.pk}")
    document = response.json()
    assert document["resident"]["name"] == "Jan Jansen"
    assert document["contact_plans"][0]["contacts"][0]["note"] == "Koffie gedronken."
    assert document["early_warning_plan"]["people"][0]["name"] == "Els Jansen"
    log = document["access_log"]
    contexts = {(e["username"], e["action"], e["context"]) for e in log}
    assert ("waakvlammer", "view", "ui:plan_detail") in contexts
    assert ("waakvlammer", "create", "service:plan_create") in contexts
    assert ("privacy", "export", "ui:resident_export_json") in contexts, "the export lists itself"
    assert document["access_log_total"] == len(log)
    # The readable page: also an export, also logged, with the same entries.
    before = _last_seq()
    page = client.get(f"/privacy/bewoners/{world.resident.public_id}/inzage/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Koffie gedronken." in text and "Els Jansen" in text
    # Plain words for the resident: no internal names, no UTC microseconds; the JSON is the technical copy.
    assert "ui:plan_detail" not in text and "contact.contactplan" not in text
    assert "op een scherm van Waakvlam" in text and "(Waakvlammer)" in text
    assert "+00:00" not in text
    assert [e.action for e in _new_entries(before)] == ["export"]
    assert list(access_log_verify()) == []


def test_privacy_officer_finds_the_resident(login: Callable[[str], Client], world: World) -> None:
    client = login("privacy")
    page = client.get("/privacy/bewoners/", {"q": str(world.resident.pk)}).content.decode()
    assert "Jan Jansen" in page and f"/privacy/bewoners/{world.resident.public_id}/inzage/" in page
    postcode = world.resident.household.address.postcode  # type: ignore[union-attr]
    assert "Jan Jansen" in client.get("/privacy/bewoners/", {"q": postcode}).content.decode()


def test_the_start_page_logs_the_residents_it_names(login: Callable[[str], Client], world: World) -> None:
    from datetime import timedelta

    from waakvlam.contact.models import ContactPlan

    # Due today: the steward's start page lists the resident with the address.
    ContactPlan.objects.filter(pk=world.plan.pk).update(next_contact_due=timezone.localdate() - timedelta(days=1))
    before = _last_seq()
    page = login("waakvlammer").get("/")
    assert page.status_code == 200 and str(world.resident) in page.content.decode()
    entries = _new_entries(before)
    assert [(e.object_type, e.action, e.context, e.username) for e in entries] == [
        ("contact.contactplan", "view", "ui:start_page", "waakvlammer")
    ]
    # Nobody named, nothing logged.
    ContactPlan.objects.filter(pk=world.plan.pk).update(next_contact_due=timezone.localdate() + timedelta(days=30))
    before = _last_seq()
    assert login("waakvlammer").get("/").status_code == 200
    assert _new_entries(before) == []


def test_privacy_officer_finds_a_persons_accesses_by_name(login: Callable[[str], Client], world: World) -> None:
    login("waakvlammer").get(f"/waakvlamcontact/{world.plan.public_id}/")
    other, *_ = other_municipality()
    Resident.objects.create(municipality=other, name="Jan Jansen-Elders", created_at=timezone.now())
    client = login("privacy")
    before = _last_seq()
    page = client.get("/privacy/toegangslog/", {"person": "  jan   JANSEN "})
    assert page.status_code == 200
    text = page.content.decode()
    # Only the officer's own municipality: the namesake elsewhere is not found, not even counted.
    assert f"Jan Jansen (bewoner {world.resident.pk}," in text and "Elders" not in text
    assert "1 persoon of adres gevonden" in text
    # The steward's look at the plan, in plain words, with the technical trace beside it.
    assert "(Waakvlammer)" in text and "op een scherm van Waakvlam" in text and "ui:plan_detail" in text
    shown = page.context["entries"].object_list
    subjects = {f"resident:{world.resident.pk}", f"address:{world.resident.household.address_id}"}
    assert shown and {e.subject for e in shown} <= subjects
    # Naming the resident and reading the log are both logged, under the resident.
    logged = [(e.object_type, e.subject, e.context) for e in _new_entries(before)]
    assert logged == [
        ("households.resident", f"resident:{world.resident.pk}", "ui:access_log_search"),
        ("privacy.accesslogentry", f"resident:{world.resident.pk}", "ui:access_log_search"),
    ]
    # By postcode and house number too; an unknown name finds nobody and lists no entries.
    address = world.resident.household.address
    by_address = client.get("/privacy/toegangslog/", {"person": f"{address.postcode} {address.house_number}"})
    assert f"bewoner {world.resident.pk}," in by_address.content.decode()
    nobody = client.get("/privacy/toegangslog/", {"person": "Niemand Bekend"})
    assert "Niemand gevonden met deze naam" in nobody.content.decode()
    assert nobody.context["entries"].paginator.count == 0


def test_only_the_privacy_officer_searches_by_name(login: Callable[[str], Client], world: World) -> None:
    for username in ("waakvlammer", "coordinator", "beheer"):
        assert login(username).get("/privacy/toegangslog/", {"person": "Jansen"}).status_code == 404
