"""Role by action for handovers, in the UI and the API: the sending organisation, the receiving team and its
coordinator see it; everyone else gets 404. Only a clinic or shelter professional announces."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import consent_for
from tests.factories import user
from waakvlam.contact.models import DataKind
from waakvlam.handover.models import Handover

pytestmark = pytest.mark.django_db

USERS = ["waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "wijkagent", "regie", "privacy", "beheer"]
PARTIES = {"waakvlammer", "coordinator", "ggz"}  # receiving team member, its coordinator, the sender
CARE = {"waakvlammer", "waakvlammer2", "coordinator", "ggz"}


def expect(who: set[str], yes: int = 200) -> dict[str, int]:
    return {u: yes if u in who else 404 for u in USERS}


@pytest.mark.parametrize("username", USERS)
def test_handover_matrix(login: Callable[[str], Client], announce: Callable[..., Handover], username: str) -> None:
    handover = announce()
    client = login(username)
    assert client.get(f"/overdrachten/{handover.public_id}/").status_code == expect(PARTIES)[username]
    assert client.get(f"/api/v1/handovers/{handover.public_id}").status_code == expect(PARTIES)[username]
    assert client.get("/overdrachten/").status_code == expect(CARE)[username]
    assert client.get("/overdrachten/nieuw/").status_code == expect({"ggz"})[username]
    listed = client.get("/api/v1/handovers").json()["count"]
    assert listed == (1 if username in PARTIES else 0)
    item = client.post(
        f"/overdrachten/{handover.public_id}/checklist/gp/", {"gp-state": "done", "gp-note": "Ingeschreven"}
    )
    assert item.status_code == (302 if username in PARTIES else 404)
    # Accepting is the receiving side's: the sender sees the handover but cannot accept it.
    accept = client.post(
        f"/api/v1/handovers/{handover.public_id}/accept", {"steward": "waakvlammer"}, content_type="application/json"
    )
    assert accept.status_code == {"waakvlammer": 200, "coordinator": 200, "ggz": 404}.get(username, 404), accept.content


def test_consent_for_handover_data_opens_it_to_that_organisation(
    login: Callable[[str], Client], announce: Callable[..., Handover]
) -> None:
    handover = announce()
    assert login("waakvlammer2").get(f"/api/v1/handovers/{handover.public_id}").status_code == 404
    consent = consent_for(handover.resident, "wijkteam", DataKind.HANDOVER, by="waakvlammer")
    from waakvlam.core.models import Organisation
    from waakvlam.core.roles import Role

    wijkteam = Organisation.objects.get(slug="wijkteam")
    colleague = user("waakvlammer2")
    colleague.organisation, colleague.role = wijkteam, Role.PARTNER
    colleague.save()
    client = login("waakvlammer2")
    assert client.get(f"/api/v1/handovers/{handover.public_id}").status_code == 200
    assert client.get(f"/overdrachten/{handover.public_id}/").status_code == 200
    assert client.post(f"/overdrachten/{handover.public_id}/afronden/").status_code == 404, "seeing is not changing"
    sender = Client()
    sender.force_login(user("ggz"))
    assert (
        sender.post(f"/api/v1/consents/{consent.public_id}/revoke", {}, content_type="application/json").status_code
        == 200
    )
    assert client.get(f"/api/v1/handovers/{handover.public_id}").status_code == 404
    assert client.get(f"/overdrachten/{handover.public_id}/").status_code == 404


def test_sender_loses_sight_after_close_and_overlap(
    login: Callable[[str], Client], announce: Callable[..., Handover]
) -> None:
    handover = announce(discharge_on=timezone.localdate() - timezone.timedelta(days=29))
    client = login("ggz")
    assert client.get(f"/api/v1/handovers/{handover.public_id}").status_code == 200
    Handover.objects.filter(pk=handover.pk).update(status="closed", closed_at=timezone.now())
    assert client.get(f"/api/v1/handovers/{handover.public_id}").status_code == 404
    assert login("coordinator").get(f"/api/v1/handovers/{handover.public_id}").status_code == 200


def test_rules_agree_with_the_selectors(announce: Callable[..., Handover]) -> None:
    handover = announce()
    for username in USERS:
        assert user(username).has_perm("handover.view_handover", handover) is (username in PARTIES)
