"""The handover page as one checklist that saves step by step (htmx, and a plain POST without JavaScript),
the sending clinician named with how to reach them, and each party's handovers on its start page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.core.models import User
from waakvlam.handover.models import ChecklistTopic, Handover, HandoverItem
from waakvlam.handover.services import HandoverInput, handover_accept, handover_announce
from waakvlam.households.services import AddressInput
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sent(areas: None) -> Handover:
    ggz = user("ggz")
    User.objects.filter(pk=ggz.pk).update(email="g.visser@ggz-kompas.example")
    ggz.refresh_from_db()
    return handover_announce(
        data=HandoverInput(
            discharge_on=timezone.localdate() + timedelta(days=2),
            address=AddressInput("9901AB", 12),
            resident_name="Piet Bos",
            sender_phone="030 700 12 34",
        ),
        by=ggz,
        actor=actor_of("ggz"),
        now=timezone.now(),
    )


def _accept(handover: Handover) -> Handover:
    steward = user("waakvlammer")
    return handover_accept(
        handover=handover, steward=steward, by=steward, actor=actor_of("waakvlammer"), now=timezone.now()
    )


def test_the_receiving_steward_sees_who_sent_the_resident_and_how_to_reach_them(
    sent: Handover, login: Callable[[str], Client]
) -> None:
    assert (sent.sender_name, sent.sender_phone, sent.sender_email) == (
        user("ggz").get_full_name(),
        "030 700 12 34",
        "g.visser@ggz-kompas.example",
    )
    page = login("waakvlammer").get(f"/overdrachten/{sent.public_id}/").content.decode()
    assert "Verwezen door" in page and sent.sender_name in page and "GGZ Kompas" in page
    assert 'href="tel:0307001234"' in page and 'href="mailto:g.visser@ggz-kompas.example"' in page
    # The notification the team gets names the clinician too, rendered at read time for who may see it.
    notifications = login("waakvlammer").get("/berichten/").content.decode()
    assert f"Verwezen door {sent.sender_name}" in notifications and "030 700 12 34" in notifications
    stored = Notification.objects.filter(kind="handover_announced").first()
    assert stored is not None and "030 700 12 34" not in stored.subject + stored.body
    # On the contact plan, once accepted, the clinician is one line away.
    _accept(sent)
    # The announcement no longer asks to accept: it says it is done.
    notifications = login("waakvlammer").get("/berichten/").content.decode()
    assert "geaccepteerd door Waakvlam Centrum-Oost" in notifications and "om hem te accepteren" not in notifications
    sent.refresh_from_db()
    plan = login("waakvlammer").get(f"/waakvlamcontact/{sent.contact_plan.public_id}/").content.decode()
    assert f"behandelaar {sent.sender_name}" in plan and "030 700 12 34" in plan


def test_a_wrong_phone_number_is_a_form_error(login: Callable[[str], Client], areas: None) -> None:
    response = login("ggz").post(
        "/overdrachten/nieuw/",
        {
            "resident_name": "Piet Bos",
            "discharge_on": timezone.localdate().isoformat(),
            "postcode": "9901AB",
            "house_number": "21",
            "first_contact_within_days": "5",
            "sender_phone": "bel maar <script>",
            **{f"{topic}_state": "open" for topic in ChecklistTopic.values},
        },
    )
    assert response.status_code == 422 and 'href="#id_sender_phone"' in response.content.decode()
    assert not Handover.objects.exists()


def test_a_step_saves_with_htmx_and_answers_the_step_logged_as_before(
    sent: Handover, login: Callable[[str], Client]
) -> None:
    client = login("waakvlammer")
    page = client.get(f"/overdrachten/{sent.public_id}/").content.decode()
    assert page.count("hx-post=") == 6 and page.count("<form") >= 7
    before = AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client.post(
        f"/overdrachten/{sent.public_id}/checklist/gp/", {"gp-state": "done", "gp-note": "Dr. Smit"}, **HTMX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<li class="handover-step handover-step--done') and 'id="item-gp"' in text
    assert "Opgeslagen." in text and "Dr. Smit" in text and "<html" not in text
    # The close step comes along out of band: gp is no longer listed as open.
    assert 'id="step-close" hx-swap-oob="true"' in text and 'href="#item-gp"' not in text.split('id="step-close"')[1]
    assert HandoverItem.objects.get(handover=sent, topic="gp").state == "done"
    logged = AccessLogEntry.objects.filter(seq__gt=before, object_type="handover.handover")
    assert {(e.action, e.context) for e in logged} == {("update", "ui:handover_item"), ("view", "ui:handover_detail")}
    assert {e.subject for e in logged} == {f"resident:{sent.resident_id}"}


def test_a_refused_step_comes_back_with_its_error_and_nothing_changes(
    sent: Handover, login: Callable[[str], Client]
) -> None:
    client = login("waakvlammer")
    response = client.post(f"/overdrachten/{sent.public_id}/checklist/gp/", {"gp-state": "skipped"}, **HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx answers
    text = response.content.decode()
    assert "Geef de reden waarom dit niet nodig is." in text and " open>" in text and "Opgeslagen." not in text
    assert HandoverItem.objects.get(handover=sent, topic="gp").state == "open"
    # Without JavaScript the same form posts normally: an error is the whole page (422), a save redirects back.
    assert client.post(f"/overdrachten/{sent.public_id}/checklist/gp/", {"gp-state": "skipped"}).status_code == 422
    saved = client.post(f"/overdrachten/{sent.public_id}/checklist/gp/", {"gp-state": "done"})
    assert saved.status_code == 302 and saved["Location"] == f"/overdrachten/{sent.public_id}/#item-gp"


def test_who_may_not_change_the_handover_gets_404_with_htmx_too(sent: Handover, login: Callable[[str], Client]) -> None:
    for username in ("waakvlammer2", "privacy", "signaleerder"):
        response = login(username).post(f"/overdrachten/{sent.public_id}/checklist/gp/", {"gp-state": "done"}, **HTMX)
        assert response.status_code == 404, username
    assert HandoverItem.objects.get(handover=sent, topic="gp").state == "open"


def test_the_clinicians_start_page_shows_what_each_handover_waits_for(
    sent: Handover, login: Callable[[str], Client]
) -> None:
    client = login("ggz")
    before = AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    page = client.get("/").content.decode()
    assert "Warme overdrachten" in page and "Piet Bos" in page and f'href="/overdrachten/{sent.public_id}/"' in page
    assert "Wacht op acceptatie door Waakvlam Centrum-Oost" in page and "Uitstroom aankondigen" in page
    logged = AccessLogEntry.objects.filter(seq__gt=before, object_type="handover.handover", context="ui:start_page")
    assert [e.subject for e in logged] == [f"resident:{sent.resident_id}"]
    _accept(sent)
    page = client.get("/").content.decode()
    assert "Geaccepteerd, waakvlammer" in page and "Eerste contact uiterlijk" in page and "Overlap tot en met" in page
    # The receiving steward sees it on their start page; a steward of another team does not.
    assert "Piet Bos" in login("waakvlammer").get("/").content.decode()
    assert "Piet Bos" not in login("waakvlammer2").get("/").content.decode()
