"""The inbox, the action forms and the municipality's stuck-signals page, as people see them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.factories import signal_for, team, user
from waakvlam.core.models import Municipality
from waakvlam.followup.sweep import sweep_kind
from waakvlam.intake.models import Signal
from waakvlam.routing.followups import SIGNAL_PICKUP

pytestmark = pytest.mark.django_db


def _counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'stat-card__number">(\d+)<', html)]


def test_inbox_tabs_and_counts(login: Callable[[str], Client], town: Municipality) -> None:
    now = timezone.now()
    centrum = team("Waakvlam Centrum-Oost")
    new = signal_for(centrum, due_at=now + timedelta(hours=5))
    overdue = signal_for(centrum, due_at=now - timedelta(hours=2), category="isolation")
    mine = signal_for(
        centrum, status="assigned", owner_user=user("waakvlammer"), picked_up_at=now, due_at=now - timedelta(days=1)
    )
    escalated = signal_for(centrum, escalation_level=2, due_at=now + timedelta(hours=1), urgency="high")
    signal_for(centrum, status="closed", outcome="no_concern", closed_at=now)
    hidden = signal_for(team("Waakvlam West"), due_at=now - timedelta(days=3))  # another team: never counted

    client = login("waakvlammer")
    page = client.get("/inbox/")
    html = page.content.decode()
    assert page.status_code == 200
    # new: received and unclaimed (3), mine (1), overdue: not picked up and past due (1), escalated (1)
    assert _counts(html) == [3, 1, 1, 1]
    assert {new.tracking_code, overdue.tracking_code, escalated.tracking_code} <= set(re.findall(r"T\d{8}", html))
    assert mine.tracking_code not in html and hidden.tracking_code not in html
    assert "te laat" in html and "nog " in html  # relative due times
    assert "<time datetime=" in html  # and absolute ones

    html = client.get("/inbox/?tab=overdue").content.decode()
    assert overdue.tracking_code in html and new.tracking_code not in html
    assert "Eenzaamheid" in html
    html = client.get("/inbox/?tab=mine").content.decode()
    assert mine.tracking_code in html and new.tracking_code not in html
    html = client.get("/inbox/?tab=escalated").content.decode()
    assert escalated.tracking_code in html and "badge--high" in html
    assert client.get("/inbox/?tab=nonsense").status_code == 200

    # The other steward's inbox counts none of these.
    assert _counts(login("waakvlammer2").get("/inbox/").content.decode()) == [1, 0, 1, 0]


def test_coordinator_team_inbox_and_pagination(login: Callable[[str], Client], town: Municipality) -> None:
    west = team("Waakvlam West")
    for _ in range(30):
        signal_for(west)
    client = login("coordinator")
    first = client.get(f"/inbox/team/?team={west.pk}").content.decode()
    assert _counts(first)[0] == 30
    assert "Pagina 1 van 2" in first
    second = client.get(f"/inbox/team/?team={west.pk}&tab=new&pagina=2")
    assert second.status_code == 200 and "Pagina 2 van 2" in second.content.decode()
    # The teams of the organisation are offered, nothing of other organisations.
    assert "Waakvlam Centrum-Oost" in first and "Vroegsignalering" not in first


def test_transfer_form_needs_a_reason_in_dutch(login: Callable[[str], Client], town: Municipality) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    response = client.post(f"/signalen/{signal.pk}/overdragen/", {"team": team("Waakvlam West").pk, "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef een reden voor de overdracht." in html
    response = client.post(f"/signalen/{signal.pk}/overdragen/", {"reason": "Reden."})
    assert "Kies een team óf een persoon" in response.content.decode()
    response = client.post(
        f"/signalen/{signal.pk}/overdragen/", {"team": team("Waakvlam Centrum-Oost").pk, "reason": "Reden."}
    )
    assert "Het signaal ligt hier al." in response.content.decode()
    signal.refresh_from_db()
    assert signal.owner_team == team("Waakvlam Centrum-Oost")
    # Transferred away: back to the inbox, since the steward can no longer open it.
    response = client.post(
        f"/signalen/{signal.pk}/overdragen/", {"user": user("waakvlammer2").pk, "reason": "Kent hem."}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_close_form_needs_an_outcome_and_closing_twice_says_so(
    login: Callable[[str], Client], town: Municipality
) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    response = client.post(f"/signalen/{signal.pk}/afsluiten/", {"note": "x"})
    assert "Kies een uitkomst." in response.content.decode()
    assert client.post(f"/signalen/{signal.pk}/afsluiten/", {"outcome": "unreachable"}).status_code == 302
    again = client.post(f"/signalen/{signal.pk}/afsluiten/", {"outcome": "unreachable"}, follow=True)
    assert "Dit signaal is al afgesloten." in again.content.decode()


def test_claim_button_then_already_claimed_message(login: Callable[[str], Client], town: Municipality) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    response = client.post(f"/signalen/{signal.pk}/oppakken/")
    assert response.status_code == 302 and response["Location"] == f"/signalen/{signal.pk}/"
    again = client.post(f"/signalen/{signal.pk}/oppakken/", follow=True)
    assert "Je hebt dit signaal al opgepakt." in again.content.decode()
    assert client.get(f"/signalen/{signal.pk}/oppakken/").status_code == 405


def test_stuck_signals_page_shows_no_personal_data(login: Callable[[str], Client], town: Municipality) -> None:
    now = timezone.now()
    signal = signal_for(
        team("Waakvlam West"),
        description="Meneer De Groot roept elke nacht.",
        location_text="Achter het buurthuis",
        due_at=now - timedelta(days=2),
    )
    stuck_page = login("regie").get("/regie/vastgelopen/").content.decode()
    assert _counts(stuck_page) == [0, 1]  # one stuck signal before the sweep
    sweep_kind(SIGNAL_PICKUP, now)
    # The next step's time has come (the due time itself stays where it was).
    Signal.objects.filter(pk=signal.pk).update(next_step_at=now - timedelta(hours=1))
    sweep_kind(SIGNAL_PICKUP, now)
    signal.refresh_from_db()
    assert signal.escalation_level == 2

    html = login("regie").get("/regie/vastgelopen/").content.decode()
    assert _counts(html) == [1, 0]  # escalated to the municipality; nothing stuck after the sweep
    assert signal.tracking_code in html and "Waakvlam West" in html
    assert signal.neighbourhood is not None and signal.neighbourhood.name in html
    assert signal.address is not None
    for secret in ("De Groot", "buurthuis", signal.address.street, str(signal.address.house_number) + ","):
        assert secret not in html


def test_stuck_signals_of_another_municipality_are_not_shown(
    login: Callable[[str], Client], town: Municipality
) -> None:
    from tests.factories import other_municipality

    _, _, other_team, _ = other_municipality()
    theirs = signal_for(other_team, escalation_level=3, due_at=timezone.now() + timedelta(hours=3))
    assert theirs.tracking_code not in login("regie").get("/regie/vastgelopen/").content.decode()


def test_the_screens_work_in_english_too(login: Callable[[str], Client], seeded: Municipality) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("coordinator")
    for path in ("/en/inbox/", "/en/inbox/team/", "/en/routering/regels/", f"/en/signalen/{signal.pk}/afsluiten/"):
        assert client.get(path).status_code == 200, path
    assert login("regie").get("/en/regie/vastgelopen/").status_code == 200


def test_due_times_read_naturally() -> None:
    from waakvlam.routing.templatetags.routing_tags import category_label, due_relative, late_by

    now = timezone.now()
    with translation.override("nl"):
        assert due_relative(now + timedelta(hours=3, minutes=5), now) == "nog 3\xa0uur"
        assert due_relative(now - timedelta(days=2, hours=1), now) == "2\xa0dagen te laat"
        assert due_relative(None, now) == ""
        assert late_by(now - timedelta(days=1, hours=2), now) == "1\xa0dag, 2\xa0uur"
        assert category_label("discharge") == "Uitstroom uit zorg of opvang"
        assert category_label("unknown") == "unknown"
