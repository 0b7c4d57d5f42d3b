"""The top of the ladder with a consequence: the municipality's regie hands a stuck signal to another team,
asks the coordinator for an explanation, or puts it on an area meeting; without its personal content, per
role, with one access-log entry per action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import signal_for, team
from tests.routing.conftest import MONDAY
from waakvlam.cases.area import AreaMeetingInput, area_meeting_convene
from waakvlam.cases.models import AreaMeeting, Task
from waakvlam.core.models import Municipality, Neighbourhood, User
from waakvlam.followup.sweep import sweep_kind
from waakvlam.insight.models import TopSpell
from waakvlam.insight.rollups import rollups_update
from waakvlam.insight.selectors import Scope
from waakvlam.insight.top import top_of_ladder
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import Actor
from waakvlam.routing.errors import NotAllowed
from waakvlam.routing.followups import SIGNAL_PICKUP
from waakvlam.routing.regie import signal_explanation_ask, signal_regie_transfer, top_level
from waakvlam.routing.services import signal_claim

pytestmark = pytest.mark.django_db
TICK = timedelta(microseconds=1)
SECRET = "Veel lawaai 's nachts"  # the factory's description: never on the regie's pages


def _to_level(signal: Signal, level: int) -> Signal:
    now = signal.due_at + TICK
    while signal.escalation_level < level:
        sweep_kind(SIGNAL_PICKUP, now)
        signal.refresh_from_db()
        assert signal.next_step_at is not None
        now = signal.next_step_at + TICK
    return signal


@pytest.fixture
def stuck(town: Municipality) -> Signal:
    signal = signal_for(team("Waakvlam Centrum-Oost"), received_at=MONDAY - timedelta(days=2), due_at=MONDAY)
    return _to_level(signal, top_level())


def _url(signal: Signal) -> str:
    return f"/regie/vastgelopen/signaal/{signal.pk}/"


def _meeting(town: Municipality) -> AreaMeeting:
    regie = User.objects.get(username="regie")
    return area_meeting_convene(
        data=AreaMeetingInput(Neighbourhood.objects.get(name="Binnenstad"), "Vastgelopen signalen", date(2030, 1, 8)),
        by=regie,
        actor=Actor(user_id=regie.pk, username="regie", role=regie.role),
        now=MONDAY,
    )


def test_the_stuck_page_links_each_signal_to_the_regie_page(login: Callable[[str], Client], stuck: Signal) -> None:
    html = login("regie").get("/regie/vastgelopen/").content.decode()
    assert _url(stuck) in html


def test_only_the_municipality_sees_the_page_and_without_personal_content(
    login: Callable[[str], Client], stuck: Signal
) -> None:
    response = login("regie").get(_url(stuck))
    assert response.status_code == 200
    html = response.content.decode()
    assert stuck.tracking_code in html and "Waakvlam Centrum-Oost" in html
    assert SECRET not in html and stuck.address.street not in html  # type: ignore[union-attr]
    assert AccessLogEntry.objects.filter(context="ui:regie_signal", object_id=str(stuck.pk)).count() == 1
    for other in ("coordinator", "waakvlammer", "signaleerder", "ggz", "privacy", "beheer"):
        assert login(other).get(_url(stuck)).status_code == 404, other
        assert login(other).post(_url(stuck), {"action": "ask", "ask-question": "Waarom?"}).status_code == 404


def test_below_the_top_of_the_ladder_the_regie_has_nothing_to_do(
    login: Callable[[str], Client], town: Municipality
) -> None:
    signal = _to_level(
        signal_for(team("Waakvlam Centrum-Oost"), received_at=MONDAY - timedelta(days=2), due_at=MONDAY), 1
    )
    assert login("regie").get(_url(signal)).status_code == 404
    regie = User.objects.get(username="regie")
    with pytest.raises(NotAllowed):
        signal_explanation_ask(signal=signal, by=regie, question="Waarom?", now=MONDAY, actor=Actor(username="regie"))


def test_the_regie_hands_a_stuck_signal_to_another_organisations_team(
    login: Callable[[str], Client], stuck: Signal
) -> None:
    wijkteam = team("Wijkteam Demodorp")
    client = login("regie")
    missing = client.post(_url(stuck), {"action": "transfer", "transfer-team": wijkteam.pk, "transfer-reason": ""})
    assert missing.status_code == 200 and "Controleer" in missing.content.decode()
    response = client.post(
        _url(stuck), {"action": "transfer", "transfer-team": wijkteam.pk, "transfer-reason": "Hoort bij het wijkteam."}
    )
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.owner_team == wijkteam and stuck.escalation_level == 0 and stuck.picked_up_at is None
    event = SignalEvent.objects.get(signal=stuck, kind="regie_transferred")
    assert event.note == "Hoort bij het wijkteam." and event.actor.username == "regie"  # type: ignore[union-attr]
    told = Notification.objects.filter(kind="signal_transferred", channel="in_app").values_list(
        "recipient__username", flat=True
    )
    assert set(told) == {"wijkteamer"}
    assert AccessLogEntry.objects.filter(context="ui:regie_transfer", object_id=str(stuck.pk)).count() == 1
    # No longer stuck: the regie may look back at it, but not act again.
    page = client.get(_url(stuck)).content.decode()
    assert "Overgedragen door de regie" in page and 'value="transfer"' not in page


def test_the_regie_asks_and_the_coordinator_explains(login: Callable[[str], Client], stuck: Signal) -> None:
    response = login("regie").post(_url(stuck), {"action": "ask", "ask-question": "Wie pakt dit op?"})
    assert response.status_code == 302
    asked = Notification.objects.get(kind="signal_explanation_asked", channel="in_app")
    assert asked.recipient.username == "coordinator"
    assert SECRET not in asked.body and "Wie pakt dit op?" in asked.body
    explain = f"/signalen/{stuck.pk}/uitleg/"
    assert login("waakvlammer").get(explain).status_code == 404  # a steward does not answer for the organisation
    assert login("regie").get(explain).status_code == 404
    coordinator = login("coordinator")
    assert "Wie pakt dit op?" in coordinator.get(explain).content.decode()
    assert coordinator.post(explain, {"text": "Ziekte in het team; morgen opgepakt."}).status_code == 302
    assert SignalEvent.objects.filter(signal=stuck, kind="explained").count() == 1
    answered = Notification.objects.get(kind="signal_explained", channel="in_app")
    assert answered.recipient.username == "regie" and answered.link == _url(stuck)
    assert "Ziekte in het team" in login("regie").get(_url(stuck)).content.decode()
    # Answered: nothing is open any more, so a second answer is refused.
    assert "geen vraag" in login("coordinator").get(explain).content.decode()


def test_the_regie_puts_a_stuck_signal_on_an_area_meeting(
    login: Callable[[str], Client], stuck: Signal, town: Municipality
) -> None:
    client = login("regie")
    assert "Gebiedsoverleg beleggen" in client.get(_url(stuck)).content.decode()  # none open yet
    meeting = _meeting(town)
    response = client.post(
        _url(stuck), {"action": "meeting", "meeting-meeting": meeting.pk, "meeting-due_on": "2030-01-15"}
    )
    assert response.status_code == 302
    task = Task.objects.get(area_meeting=meeting)
    assert task.owner_organisation == stuck.owner_team.organisation and stuck.tracking_code in task.title
    assert SECRET not in task.title
    assert SignalEvent.objects.filter(signal=stuck, kind="on_area_meeting").count() == 1
    assert Notification.objects.filter(kind="task_new", recipient__username="coordinator").exists()


def test_a_picked_up_signal_is_no_longer_the_regies(stuck: Signal) -> None:
    signal_claim(signal=stuck, by=User.objects.get(username="waakvlammer"), now=MONDAY + timedelta(days=3))
    with pytest.raises(NotAllowed):
        signal_regie_transfer(
            signal=stuck,
            by=User.objects.get(username="regie"),
            to_team=team("Wijkteam Demodorp"),
            reason="Te laat",
            now=MONDAY + timedelta(days=3),
            actor=Actor(username="regie"),
        )


def test_top_spells_follow_the_history_and_a_transfer_starts_a_new_chain(stuck: Signal) -> None:
    regie, actor = User.objects.get(username="regie"), Actor(username="regie")
    later = MONDAY + timedelta(days=5)
    signal_explanation_ask(signal=stuck, by=regie, question="Waarom?", now=later, actor=actor)
    signal_regie_transfer(
        signal=stuck, by=regie, to_team=team("Waakvlam West"), reason="Ander gebied.", now=later, actor=actor
    )
    stuck.refresh_from_db()
    _to_level(stuck, top_level())  # stuck again with the new team: a second spell
    reached_again = SignalEvent.objects.filter(signal=stuck, kind="escalated").order_by("-at").first()
    assert reached_again is not None
    signal_claim(signal=stuck, by=User.objects.get(username="waakvlammer2"), now=reached_again.at + timedelta(hours=3))
    rollups_update(reached_again.at + timedelta(hours=4))
    spells = list(TopSpell.objects.filter(signal_id=stuck.pk).order_by("reached_at"))
    assert [(s.ended_by, s.regie_asked) for s in spells] == [("regie_transfer", True), ("picked_up", False)]
    assert spells[1].ended_at - spells[1].reached_at == timedelta(hours=3)  # type: ignore[operator]


def test_the_top_of_the_ladder_figures_are_suppressed(town: Municipality, login: Callable[[str], Client]) -> None:
    regie, actor = User.objects.get(username="regie"), Actor(username="regie")
    signals = [
        _to_level(signal_for(team("Waakvlam Centrum-Oost"), received_at=MONDAY - timedelta(days=2), due_at=MONDAY), 2)
        for _ in range(12)
    ]
    later = MONDAY + timedelta(days=5)
    for signal in signals[:6]:
        signal_claim(signal=signal, by=User.objects.get(username="waakvlammer"), now=later)
    for signal in signals[6:11]:
        signal_regie_transfer(
            signal=signal, by=regie, to_team=team("Wijkteam Demodorp"), reason="Wijkteam.", now=later, actor=actor
        )
    rollups_update(later)
    figures = top_of_ladder(Scope(town.pk, 0), MONDAY.date() - timedelta(days=30), later.date())
    assert figures["reached_top"] == 12
    assert figures["ended_by"]["waiting"] is None  # one still waiting: 1 is never shown
    hidden_nonzero = [k for k in ("picked_up", "regie_transfer", "waiting") if figures["ended_by"][k] is None]
    assert len(hidden_nonzero) >= 2  # otherwise 12 minus the rest gives the one away
    assert all(v is None or v == 0 or v >= 5 for v in figures["ended_by"].values())
    page = login("regie").get(f"/inzicht/?from={MONDAY.date() - timedelta(days=30)}&to={later.date()}")
    assert "Aan de top van de ladder" in page.content.decode()


def test_the_regie_page_reads_as_many_statements_with_many_open_meetings_as_with_one(
    login: Callable[[str], Client], stuck: Signal, town: Municipality
) -> None:
    """Each meeting's option names its neighbourhood: read with the meetings, not once per option."""
    regie, client = User.objects.get(username="regie"), login("regie")
    counts = []
    for days in ((8,), (9, 10, 11)):
        for day in days:
            area_meeting_convene(
                data=AreaMeetingInput(Neighbourhood.objects.get(name="Binnenstad"), "Overleg", date(2030, 1, day)),
                by=regie,
                actor=Actor(user_id=regie.pk, username="regie", role=regie.role),
                now=MONDAY,
            )
        with CaptureQueriesContext(connection) as queries:
            html = client.get(_url(stuck)).content.decode()
        counts.append(len(queries.captured_queries))
    assert "11-01-2030" in html and "08-01-2030" in html
    assert counts[0] == counts[1], counts
