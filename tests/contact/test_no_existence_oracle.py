"""ADR 0009: every "already exists" answer and every look-up by id answers someone who may not see the object
exactly as it answers for an object that does not exist; only a caller who may already see it learns more.
Also: people-related objects are named by public ids, and their old integer ids answer 404."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import consent_for, postcode_areas
from tests.factories import user
from waakvlam.contact.models import Consent
from waakvlam.handover.models import Handover
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.services import AddressInput
from waakvlam.privacy.services import Actor

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
OUTSIDER = "waakvlammer2"  # a steward of another team: sees nothing of the world's resident


def _answer(response: Any) -> tuple[int, Any]:
    body = response.json() if response.get("Content-Type", "").startswith("application/json") else None
    return response.status_code, body


def _same(client: Client, method: str, hidden: tuple[str, dict[str, Any]], missing: tuple[str, dict[str, Any]]) -> int:
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if method == "post" else {}
    first = call(hidden[0], hidden[1], **kwargs) if method == "post" else call(hidden[0])
    second = call(missing[0], missing[1], **kwargs) if method == "post" else call(missing[0])
    assert _answer(first) == _answer(second), (hidden[0], first.content, second.content)
    return int(first.status_code)


def _page(content: bytes, path: str) -> str:
    """A page names its own path (the language switch) and a fresh CSRF token: take both out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode()).replace(path, "")


@pytest.fixture
def handover(world: World) -> Handover:
    postcode_areas()
    return handover_announce(
        data=HandoverInput(discharge_on=timezone.localdate(), address=AddressInput("9901AB", 12), resident_name="P"),
        by=user("ggz"),
        actor=Actor(username="ggz", role="partner", organisation="ggz-kompas"),
        now=timezone.now(),
    )


def test_looking_up_by_id_tells_nothing_about_hidden_objects(login: Login, world: World, handover: Handover) -> None:
    consent = consent_for(world.resident, "ggz-kompas")
    client = login(OUTSIDER)
    new = uuid.uuid4()
    pairs = [
        (f"/api/v1/contact-plans/{world.plan.public_id}", f"/api/v1/contact-plans/{new}"),
        (f"/api/v1/handovers/{handover.public_id}", f"/api/v1/handovers/{new}"),
        (f"/api/v1/consents/{consent.public_id}", f"/api/v1/consents/{new}"),
        (f"/api/v1/early-warning-plans/{world.early_warning.public_id}", f"/api/v1/early-warning-plans/{new}"),
        (f"/api/v1/contacts/{world.moment.public_id}", f"/api/v1/contacts/{new}"),
        (f"/waakvlamcontact/{world.plan.public_id}/", f"/waakvlamcontact/{new}/"),
        (f"/overdrachten/{handover.public_id}/", f"/overdrachten/{new}/"),
        (f"/bewoners/{world.resident.public_id}/signaleringsplan/", f"/bewoners/{new}/signaleringsplan/"),
        (f"/bewoners/{world.resident.public_id}/toestemmingen/", f"/bewoners/{new}/toestemmingen/"),
        (f"/toestemmingen/{consent.public_id}/intrekken/", f"/toestemmingen/{new}/intrekken/"),
    ]
    for hidden, missing in pairs:
        first, second = client.get(hidden), client.get(missing)
        assert first.status_code == second.status_code == 404, hidden
        assert _page(first.content, hidden) == _page(second.content, missing), hidden
    revoke = [(f"/api/v1/consents/{consent.public_id}/revoke", {}), (f"/api/v1/consents/{new}/revoke", {})]
    assert _same(client, "post", revoke[0], revoke[1]) == 404
    ui = client.post(f"/toestemmingen/{consent.public_id}/intrekken/"), client.post(f"/toestemmingen/{new}/intrekken/")
    assert ui[0].status_code == ui[1].status_code == 404
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_creating_about_a_hidden_resident_answers_as_for_one_that_does_not_exist(login: Login, world: World) -> None:
    client = login(OUTSIDER)
    hidden, new = str(world.resident.public_id), str(uuid.uuid4())
    today = timezone.localdate()
    bodies: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
        ("/api/v1/contact-plans", lambda r: {"resident_id": r, "basis": "consent"}),
        # The resident already has an early-warning plan: a 409 for a keeper, but not for an outsider.
        ("/api/v1/early-warning-plans", lambda r: {"resident_id": r}),
        (
            "/api/v1/consents",
            lambda r: {
                "resident_id": r,
                "organisation": "ggz-kompas",
                "data_kind": "contact_plan",
                "purpose": "Nazorg",
                "valid_until": (today + timedelta(days=30)).isoformat(),
            },
        ),
        (
            "/api/v1/supporter-links",
            lambda r: {"resident_id": r, "supporter": "buurvrouw", "kind": "neighbour", "consent_note": "ja"},
        ),
    ]
    for path, body in bodies:
        _same(client, "post", (path, body(hidden)), (path, body(new)))
    moment = {"channel": "visit", "made": False}
    _same(
        client,
        "post",
        ("/api/v1/contacts", {"plan_id": str(world.plan.public_id), **moment}),
        ("/api/v1/contacts", {"plan_id": str(uuid.uuid4()), **moment}),
    )


def test_the_keeper_may_learn_what_already_exists(login: Login, world: World) -> None:
    client = login("waakvlammer")
    again = client.post(
        "/api/v1/early-warning-plans", {"resident_id": str(world.resident.public_id)}, content_type="application/json"
    )
    assert again.status_code == 409


def test_a_clinic_announcing_a_hidden_resident_gets_the_answer_for_one_that_does_not_exist(
    login: Login, world: World
) -> None:
    postcode_areas()
    client = login("ggz")
    body = {
        "discharge_on": (timezone.localdate() + timedelta(days=4)).isoformat(),
        "address": {"postcode": "9901AB", "house_number": "14"},
    }
    hidden = ("/api/v1/handovers", {**body, "resident_id": str(world.resident.public_id)})
    missing = ("/api/v1/handovers", {**body, "resident_id": str(uuid.uuid4())})
    assert _same(client, "post", hidden, missing) == 422


def test_a_case_conference_about_a_hidden_household_answers_as_for_one_that_does_not_exist(
    login: Login, world: World
) -> None:
    household = world.resident.household
    assert household is not None
    client = login(OUTSIDER)
    body = {
        "question": "Hoe verder?",
        "meets_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "resident_takes_part": True,
        "network_takes_part": True,
    }
    for resident in (str(world.resident.public_id), str(uuid.uuid4())):
        hidden = (
            "/api/v1/case-conferences",
            {**body, "household_id": str(household.public_id), "resident_id": resident},
        )
        missing = ("/api/v1/case-conferences", {**body, "household_id": str(uuid.uuid4()), "resident_id": resident})
        assert _same(client, "post", hidden, missing) == 404


def test_old_integer_ids_answer_404(login: Login, world: World, handover: Handover) -> None:
    consent = consent_for(world.resident, "ggz-kompas")
    keeper = login("waakvlammer")
    by_public_id = {
        f"/waakvlamcontact/{world.plan.public_id}/": f"/waakvlamcontact/{world.plan.pk}/",
        f"/api/v1/contact-plans/{world.plan.public_id}": f"/api/v1/contact-plans/{world.plan.pk}",
        f"/toestemmingen/{consent.public_id}/intrekken/": f"/toestemmingen/{consent.pk}/intrekken/",
        f"/api/v1/consents/{consent.public_id}": f"/api/v1/consents/{consent.pk}",
        f"/api/v1/early-warning-plans/{world.early_warning.public_id}": (
            f"/api/v1/early-warning-plans/{world.early_warning.pk}"
        ),
        f"/api/v1/contacts/{world.moment.public_id}": f"/api/v1/contacts/{world.moment.pk}",
    }
    for public, old in by_public_id.items():
        assert keeper.get(public).status_code == 200, public
        assert keeper.get(old).status_code == 404, old
    for path in (
        f"/bewoners/{world.resident.pk}/signaleringsplan/",
        f"/bewoners/{world.resident.pk}/toestemmingen/",
        f"/overdrachten/{handover.pk}/",
        f"/api/v1/handovers/{handover.pk}",
    ):
        assert keeper.get(path).status_code == 404, path
    assert keeper.get(f"/api/v1/contact-plans?resident_id={world.resident.pk}").status_code == 422
    assert keeper.get(f"/api/v1/contacts?plan_id={world.plan.pk}").status_code == 422
    old_revoke = keeper.post(f"/api/v1/consents/{consent.pk}/revoke", {}, content_type="application/json")
    assert old_revoke.status_code == 404
    assert keeper.post(f"/toestemmingen/{consent.pk}/intrekken/", {}).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_answers_name_people_related_objects_by_public_id(login: Login, world: World) -> None:
    keeper = login("waakvlammer")
    plan = keeper.get(f"/api/v1/contact-plans/{world.plan.public_id}").json()
    assert plan["id"] == str(world.plan.public_id) and plan["resident"]["id"] == str(world.resident.public_id)
    contacts = keeper.get(f"/api/v1/contacts?plan_id={world.plan.public_id}").json()["items"]
    assert [c["plan_id"] for c in contacts] == [str(world.plan.public_id)]
    assert [c["id"] for c in contacts] == [str(world.moment.public_id)]
    plans = keeper.get(f"/api/v1/early-warning-plans?resident_id={world.resident.public_id}").json()["items"]
    assert [p["resident_id"] for p in plans] == [str(world.resident.public_id)]
    assert [p["id"] for p in plans] == [str(world.early_warning.public_id)]
    assert keeper.get(f"/api/v1/contacts/{world.moment.public_id}").json()["id"] == str(world.moment.public_id)
    ew = keeper.get(f"/api/v1/early-warning-plans/{world.early_warning.public_id}").json()
    assert ew["id"] == str(world.early_warning.public_id)


def test_consents_are_named_by_public_id_in_answers_and_pages(login: Login, world: World) -> None:
    keeper = login("waakvlammer")
    created = keeper.post(
        "/api/v1/consents",
        {
            "resident_id": str(world.resident.public_id),
            "organisation": "ggz-kompas",
            "data_kind": "contact_plan",
            "purpose": "Nazorg",
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    consent_id = created.json()["id"]
    assert str(uuid.UUID(consent_id)) == consent_id
    listed = keeper.get(f"/api/v1/consents?resident_id={world.resident.public_id}").json()["items"]
    assert consent_id in [c["id"] for c in listed]
    assert keeper.get(f"/api/v1/consents/{consent_id}").json()["id"] == consent_id
    page = keeper.get(f"/bewoners/{world.resident.public_id}/toestemmingen/").content.decode()
    assert f"/toestemmingen/{consent_id}/intrekken/" in page
    revoked = keeper.post(f"/api/v1/consents/{consent_id}/revoke", {}, content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["id"] == consent_id


def test_the_resident_export_names_objects_by_public_id(login: Login, world: World) -> None:
    consent = consent_for(world.resident, "ggz-kompas")
    document = login("privacy").get(f"/privacy/bewoners/{world.resident.public_id}/inzage.json").json()
    ids = {str(value) for value in _values_named_id(document)}
    for item in (world.resident, world.plan, world.early_warning, consent):
        assert str(item.public_id) in ids, type(item).__name__
    assert not any(re.fullmatch(r"\d+", value) for value in ids), sorted(ids)


def _values_named_id(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "id"] + [x for v in node.values() for x in _values_named_id(v)]
    if isinstance(node, list):
        return [x for v in node for x in _values_named_id(v)]
    return []
