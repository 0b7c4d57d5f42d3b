"""The informal network: linked only with consent; a supporter sees only linked residents (first name and
what to know), reports a visit in one step, and a worry lands with the steward as a routed signal. No access
to signals, households or case content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.attention.conftest import signal_at
from tests.cases.conftest import convene
from tests.contact.helpers import actor_of
from tests.factories import signal_for, team, user
from tests.network.conftest import NetworkWorld, supporter
from waakvlam.attention.models import AttentionItem
from waakvlam.attention.services import items_refresh
from waakvlam.intake.models import Signal
from waakvlam.network.models import SupporterLink, SupporterReport
from waakvlam.network.services import (
    LinkInput,
    NetworkError,
    NotAllowed,
    supporter_link_create,
    supporter_link_revoke,
    visit_report,
)
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_a_link_needs_consent_a_supporter_and_a_keeper(network_world: NetworkWorld) -> None:
    now = timezone.now()
    with pytest.raises(NetworkError) as caught:
        supporter_link_create(
            resident=network_world.other,
            data=LinkInput(network_world.volunteer, "volunteer", " "),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )
    assert "consent_note" in caught.value.errors
    with pytest.raises(NetworkError):
        supporter_link_create(
            resident=network_world.other,
            data=LinkInput(user("ggz"), "volunteer", "Ja"),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )
    for outsider in ("waakvlammer2", "ggz", "regie", "signaleerder"):
        with pytest.raises(NotAllowed):
            supporter_link_create(
                resident=network_world.other,
                data=LinkInput(network_world.volunteer, "volunteer", "Ja"),
                by=user(outsider),
                actor=actor_of(outsider),
                now=now,
            )
    link = supporter_link_create(
        resident=network_world.other,
        data=LinkInput(network_world.volunteer, "volunteer", "Ja, schriftelijk"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=now,
    )
    assert (link.consent_recorded_by, link.consent_note) == (user("waakvlammer"), "Ja, schriftelijk")


def test_a_supporter_sees_only_linked_residents_first_name_and_what_to_know(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    page = login("buddy").get("/mijn-mensen/").content.decode()
    assert "Jan" in page and "Jansen" not in page and "hoort slecht" in page
    assert "Piet" not in page and "Teststraat" not in page
    assert "Jan" not in login("vrijwilliger").get("/mijn-mensen/").content.decode()


def test_a_revoked_or_expired_link_disappears_at_once(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    supporter_link_revoke(
        link=network_world.link,
        reason="Bewoner wil dit niet meer",
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    assert "Jan" not in login("buddy").get("/mijn-mensen/").content.decode()
    assert login("buddy").post(f"/mijn-mensen/{network_world.link.public_id}/", {"outcome": "fine"}).status_code == 404
    SupporterLink.objects.filter(pk=network_world.link.pk).update(
        revoked_at=None, valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert "Jan" not in login("buddy").get("/mijn-mensen/").content.decode()


def test_all_fine_in_one_step_is_logged_about_the_resident(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    before = AccessLogEntry.objects.count()
    response = login("buddy").post(f"/mijn-mensen/{network_world.link.public_id}/", {"outcome": "fine"})
    assert response.status_code == 302
    report = SupporterReport.objects.get()
    assert (report.outcome, report.signal) == ("fine", None)
    entry = AccessLogEntry.objects.order_by("-seq").first()
    assert AccessLogEntry.objects.count() == before + 1 and entry.subject == f"resident:{network_world.resident.pk}"


def test_a_worry_becomes_a_routed_signal_and_a_note_to_the_steward(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    response = login("buddy").post(
        f"/mijn-mensen/{network_world.link.public_id}/",
        {"outcome": "worried", f"l{network_world.link.public_id}-note": "Deur bleef dicht, post stapelt zich op."},
    )
    assert response.status_code == 302
    report = SupporterReport.objects.get()
    signal = Signal.objects.get(pk=report.signal_id)
    assert signal.category == "worrying_behaviour" and signal.owner_team is not None
    assert signal.source_kind == "network"  # its own source, not a resident's report
    assert signal.household_id == network_world.resident.household_id
    assert signal.reporter_user == network_world.buddy
    note = Notification.objects.get(kind="network_worry", channel="in_app")
    assert note.recipient == user("waakvlammer") and "Jan" not in note.body


def test_a_worry_with_a_phone_number_is_refused(login: Callable[[str], Client], network_world: NetworkWorld) -> None:
    with pytest.raises(NetworkError):
        visit_report(
            link=network_world.link,
            outcome="worried",
            note="Bel zijn zus op 06-12345678",
            by=network_world.buddy,
            actor=actor_of("buddy"),
            now=timezone.now(),
        )
    assert not Signal.objects.exists()


def test_no_access_to_signals_households_plans_or_cases(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    household = network_world.resident.household
    assert household is not None
    signal = signal_for(team("Waakvlam Centrum-Oost"), household=household, address=household.address)
    conference = convene(household, network_world.resident)
    client = login("buddy")
    for path in (
        f"/signalen/{signal.pk}/",
        f"/huishoudens/{household.public_id}/",
        f"/waakvlamcontact/{network_world.plan.public_id}/",
        f"/bewoners/{network_world.resident.public_id}/signaleringsplan/",
        f"/casusoverleg/{conference.public_id}/",
        f"/casusoverleg/{conference.public_id}/agenda/",
        f"/bewoners/{network_world.resident.public_id}/netwerk/",
        "/taken/",
        "/casusoverleg/",
        f"/api/v1/signals/{signal.pk}",
        f"/api/v1/households/{household.public_id}",
        f"/api/v1/contact-plans/{network_world.plan.public_id}",
        f"/api/v1/case-conferences/{conference.public_id}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/signals").json()["count"] == 0


def test_another_supporter_cannot_report_on_someone_elses_link(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    assert (
        login("vrijwilliger").post(f"/mijn-mensen/{network_world.link.public_id}/", {"outcome": "fine"}).status_code
        == 404
    )
    assert login("waakvlammer").get("/mijn-mensen/").status_code == 404


def test_the_supporter_start_page_and_menu_show_only_their_screen(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    client = login("buddy")
    assert client.get("/").url == "/mijn-mensen/"
    labels = [str(i["label"]) for i in client.get("/mijn-mensen/").context["nav_items"]]
    assert labels == ["Mijn mensen", "Berichten", "Mijn account"]


def test_the_steward_links_someone_on_the_resident_page(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    family = supporter("zus", org=None)
    client = login("waakvlammer")
    page = client.get(f"/bewoners/{network_world.other.public_id}/netwerk/")
    assert page.status_code == 200
    response = client.post(
        f"/bewoners/{network_world.other.public_id}/netwerk/",
        {"supporter": family.pk, "kind": "family", "consent_note": "Bewoner vroeg het zelf", "what_to_know": ""},
    )
    assert response.status_code == 302
    assert SupporterLink.objects.filter(supporter=family, resident=network_world.other).exists()
    assert login("waakvlammer2").get(f"/bewoners/{network_world.other.public_id}/netwerk/").status_code == 404


def test_a_worry_counts_as_its_own_source_for_the_attention_rules(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    household = network_world.resident.household
    assert household is not None
    now = timezone.now()
    signal_at(household, at=now - timedelta(days=5), org=None, source_kind="resident")  # the resident's own report
    login("buddy").post(
        f"/mijn-mensen/{network_world.link.public_id}/",
        {"outcome": "worried", f"l{network_world.link.public_id}-note": "Deur bleef dicht, post stapelt zich op."},
    )
    items_refresh(household_ids=[household.pk], now=now)
    item = AttentionItem.objects.get(household=household)
    (reason,) = [r for r in item.reasons if r["rule"] == "multiple_sources"]
    assert sorted(s["source"] for s in reason["signals"]) == ["network", "resident"]
