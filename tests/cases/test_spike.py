"""The spike detector fires exactly when its condition holds: at least MIN_COUNT signals of one category in
one neighbourhood within WINDOW, and at least FACTOR times the usual level; it alerts coordinators and the
municipality once, without personal data, and convening an area meeting holds none either."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import signal_for, team, user
from waakvlam.cases.area import AreaMeetingInput, area_meeting_close, area_meeting_convene
from waakvlam.cases.errors import InvalidInput, NotAllowed, TasksUnsettled
from waakvlam.cases.models import Spike
from waakvlam.cases.spike import BASELINE, MIN_COUNT, WINDOW, spike_explanation, spike_sweep, spikes_find, threshold
from waakvlam.cases.tasks import TaskInput, task_create, task_settle
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
HOOD = "BU99990100"


def _signals(n: int, *, start: datetime, span: timedelta, category: str = "nuisance", code: str = HOOD) -> None:
    hood = Neighbourhood.objects.get(code=code)
    for i in range(n):
        at = start + span * (i / max(n, 1))
        signal_for(team("Waakvlam Centrum-Oost"), neighbourhood=hood, category=category, received_at=at)


def test_threshold_is_the_larger_of_the_minimum_and_factor_times_usual() -> None:
    assert threshold(0) == MIN_COUNT
    assert threshold(2.0) == 6
    assert threshold(1.1) == MIN_COUNT


@pytest.mark.parametrize(
    ("recent", "before", "fires"), [(4, 0, False), (5, 0, True), (5, 56, False), (9, 56, True), (8, 56, False)]
)
def test_fires_exactly_at_the_threshold(town: Municipality, recent: int, before: int, fires: bool) -> None:
    # `before` signals over the 56-day baseline: usual = before * 3/56 per window (56 -> 3.0, threshold 9).
    _signals(before, start=NOW - WINDOW - BASELINE, span=BASELINE - timedelta(hours=1))
    _signals(recent, start=NOW - WINDOW + timedelta(hours=1), span=WINDOW - timedelta(hours=2))
    found = spikes_find(NOW)
    assert bool(found) is fires
    if fires:
        assert (found[0].category, found[0].count) == ("nuisance", recent)


def test_other_categories_neighbourhoods_and_old_signals_do_not_add_up(town: Municipality) -> None:
    _signals(3, start=NOW - timedelta(days=1), span=timedelta(hours=5))
    _signals(3, start=NOW - timedelta(days=1), span=timedelta(hours=5), category="neglect")
    _signals(3, start=NOW - timedelta(days=1), span=timedelta(hours=5), code="BU99990101")
    _signals(3, start=NOW - WINDOW - timedelta(hours=5), span=timedelta(hours=4))
    _signals(3, start=NOW + timedelta(minutes=1), span=timedelta(hours=1))  # after `now`: not yet
    assert spikes_find(NOW) == []


def test_the_sweep_alerts_coordinators_and_the_municipality_once(town: Municipality) -> None:
    _signals(6, start=NOW - timedelta(days=2), span=timedelta(days=1))
    assert spike_sweep(NOW) == {"spikes": 1}
    assert spike_sweep(NOW + timedelta(hours=1)) == {"spikes": 0}  # the same spike, still in its window
    spike = Spike.objects.get()
    assert (spike.count, spike.usual, spike.category) == (6, 0.0, "nuisance")
    rows = Notification.objects.filter(kind="area_spike", channel="in_app")
    assert {n.recipient.username for n in rows} == {"coordinator", "regie"}
    text = spike_explanation(spike, "Binnenstad")
    assert "6 signalen 'Overlast'" in text and "3 dagen" in text and "Binnenstad" in text
    assert rows.first().body == text  # counts and a neighbourhood only: the whole body is this sentence


def test_a_new_wave_after_the_window_alerts_again(town: Municipality) -> None:
    _signals(6, start=NOW - timedelta(days=2), span=timedelta(days=1))
    spike_sweep(NOW)
    later = NOW + WINDOW + timedelta(days=1)
    _signals(6, start=later - timedelta(days=1), span=timedelta(hours=10))
    assert spike_sweep(later) == {"spikes": 1}


def test_an_area_meeting_holds_no_personal_data_and_tracks_tasks(town: Municipality) -> None:
    _signals(6, start=NOW - timedelta(days=2), span=timedelta(days=1))
    spike_sweep(NOW)
    spike = Spike.objects.get()
    hood = Neighbourhood.objects.get(code=HOOD)
    now = timezone.now()
    with pytest.raises(NotAllowed):
        area_meeting_convene(
            data=AreaMeetingInput(hood, "Overlast plein", timezone.localdate(now), spike),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )
    with pytest.raises(InvalidInput):
        area_meeting_convene(
            data=AreaMeetingInput(hood, "Overlast bij mevrouw Jansen, 06-12345678", timezone.localdate(now), spike),
            by=user("regie"),
            actor=actor_of("regie"),
            now=now,
        )
    meeting = area_meeting_convene(
        data=AreaMeetingInput(hood, "Overlast rond het plein", timezone.localdate(now), spike),
        by=user("regie"),
        actor=actor_of("regie"),
        now=now,
    )
    task = task_create(
        area_meeting=meeting,
        data=TaskInput(
            "Trapverlichting",
            "Alle lampen branden",
            Organisation.objects.get(slug="woonstede"),
            timezone.localdate(now) + timedelta(days=14),
        ),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=now,
    )
    with pytest.raises(TasksUnsettled):
        area_meeting_close(meeting=meeting, by=user("regie"), actor=actor_of("regie"), now=now)
    task_settle(task=task, to="done", by=user("signaleerder"), actor=actor_of("signaleerder"), now=now)
    assert area_meeting_close(meeting=meeting, by=user("regie"), actor=actor_of("regie"), now=now).status == "closed"


def test_area_meeting_screens_per_role(login, town: Municipality) -> None:  # type: ignore[no-untyped-def]
    hood = Neighbourhood.objects.get(code=HOOD)
    now = timezone.now()
    meeting = area_meeting_convene(
        data=AreaMeetingInput(hood, "Parkeeroverlast", timezone.localdate(now)),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=now,
    )
    task_create(
        area_meeting=meeting,
        data=TaskInput(
            "Handhaving parkeren",
            "Twee controles gedaan",
            Organisation.objects.get(slug="gemeente"),
            timezone.localdate(now),
        ),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=now,
    )
    for username, status in (
        ("regie", 200),
        ("coordinator", 200),
        ("beheer", 404),
        ("waakvlammer", 404),
        ("ggz", 404),
        ("privacy", 404),
    ):
        assert login(username).get(f"/gebiedsoverleg/{meeting.pk}/").status_code == status, username


def test_the_detector_is_a_registered_worker_sweep() -> None:
    from waakvlam.core.worker import _SWEEPS

    assert "cases.spikes" in _SWEEPS


def test_area_meetings_and_spikes_have_no_field_for_a_person_or_an_address() -> None:
    from waakvlam.cases.models import AreaMeeting

    for model in (AreaMeeting, Spike):
        related = {f.related_model._meta.label for f in model._meta.fields if f.related_model is not None}
        assert not related & {"households.Resident", "households.Household", "core.Address", "intake.Signal"}
