"""ADR 0009 for referrals: named by a public id in URLs, API paths and answers; an old integer id answers 404
even to the sender; a hidden referral's public id answers exactly as a random UUID does."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import user
from tests.socialmap.conftest import Map
from waakvlam.socialmap.referral_models import Referral, Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
OUTSIDER = "waakvlammer2"  # a steward of another team: neither sends nor answers it


@pytest.fixture
def referral(smap: Map) -> Referral:
    return referral_send(
        sender=user("waakvlammer"),
        resident=smap.resident,
        service=smap.activity,
        data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", consent_given=True),
        now=timezone.now(),
        actor=actor_of("waakvlammer"),
    )


def _page(content: bytes, path: str) -> str:
    """A page names its own path (the language switch) and a fresh CSRF token: take both out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode()).replace(path, "")


def test_a_hidden_referrals_public_id_answers_like_a_random_uuid(login: Login, referral: Referral) -> None:
    client = login(OUTSIDER)
    hidden, new = referral.public_id, uuid.uuid4()
    for one, other in (
        (f"/verwijzingen/{hidden}/", f"/verwijzingen/{new}/"),
        (f"/api/v1/referrals/{hidden}", f"/api/v1/referrals/{new}"),
    ):
        first, second = client.get(one), client.get(other)
        assert first.status_code == second.status_code == 404, one
        assert _page(first.content, one) == _page(second.content, other), one
    for one, other in ((f"/verwijzingen/{hidden}/antwoord/", f"/verwijzingen/{new}/antwoord/"),):
        first, second = client.post(one, {"status": "accepted"}), client.post(other, {"status": "accepted"})
        assert first.status_code == second.status_code == 404
        assert _page(first.content, one) == _page(second.content, other)
    body = json.dumps({"status": "accepted"})
    first = client.post(f"/api/v1/referrals/{hidden}/answer", body, content_type="application/json")
    second = client.post(f"/api/v1/referrals/{new}/answer", body, content_type="application/json")
    assert (first.status_code, first.json()) == (second.status_code, second.json()) == (404, first.json())


def test_old_integer_ids_answer_404_even_to_the_sender(login: Login, referral: Referral) -> None:
    client = login("waakvlammer")
    assert client.get(f"/verwijzingen/{referral.public_id}/").status_code == 200
    for path in (f"/verwijzingen/{referral.pk}/", f"/api/v1/referrals/{referral.pk}"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/verwijzingen/{referral.pk}/meegegaan/").status_code == 404
    answer = client.post(
        f"/api/v1/referrals/{referral.pk}/answer", json.dumps({"status": "ended"}), content_type="application/json"
    )
    assert answer.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "sent" and not referral.warm_introduction


def test_answers_and_links_name_the_referral_by_public_id(login: Login, smap: Map, referral: Referral) -> None:
    client = login("waakvlammer")
    assert [r["id"] for r in client.get("/api/v1/referrals").json()["items"]] == [str(referral.public_id)]
    assert client.get(f"/api/v1/referrals/{referral.public_id}").json()["id"] == str(referral.public_id)
    listing = client.get("/verwijzingen/").content.decode()
    assert f"/verwijzingen/{referral.public_id}/" in listing and f"/verwijzingen/{referral.pk}/" not in listing
    created = client.post(
        "/api/v1/referrals",
        json.dumps(
            {
                "service_id": str(smap.activity.pk),
                "resident_id": str(smap.resident.public_id),
                "shared": "first_name",
                "shared_name": "Jan",
                "consent": True,
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    made = Referral.objects.exclude(pk=referral.pk).get()
    assert created.json()["id"] == str(made.public_id)
    answered = login("buurtkamer").post(
        f"/verwijzingen/{referral.public_id}/antwoord/", {"status": "accepted"}, follow=False
    )
    assert answered.status_code == 302 and answered["Location"].endswith(f"/verwijzingen/{referral.public_id}/")
