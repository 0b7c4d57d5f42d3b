"""Referrals, case conferences with their tasks, and area alarms in the rollups: exact numbers per
neighbourhood on a small seeded set, suppressed like every other figure, each partner its own."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from tests.contact.helpers import resident_in
from tests.factories import user
from tests.insight.conftest import AMS, BINNENSTAD, HAVENKWARTIER, NOW, STATIONSKWARTIER
from tests.socialmap import factories
from waakvlam.cases.models import AreaMeeting, CaseConference, Spike, Task
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.insight.export import HEADER
from waakvlam.insight.rollups import rollups_update
from waakvlam.insight.selectors import CASEWORK_COUNTS, Scope, neighbourhood_figures, raw_figures
from waakvlam.socialmap.referral_models import Referral, ReferralEvent, ReferralStatus, Shared

START, END = date(2026, 10, 1), date(2026, 10, 31)
URL = "/api/v1/insight/neighbourhoods?from=2026-10-01&to=2026-10-31"


@dataclass
class Casework:
    ggz: Organisation
    housing: Organisation


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=AMS)


def _referral(town: Municipality, code: str, day: int, *, owner: Organisation, collective: bool, to: str) -> Referral:
    resident = resident_in(code, now=_at(day))
    service = factories.service(town, name=f"Dienst {Referral.objects.count()}", collective=collective)
    sender = user("waakvlammer")
    referral = Referral.objects.create(
        municipality=town,
        service=service,
        resident=resident,
        neighbourhood=resident.household.neighbourhood,
        sender=sender,
        sender_organisation=sender.organisation,
        owner_organisation=owner,
        collective=collective,
        status=to,
        shared=Shared.FIRST_NAME,
        consent_recorded_at=_at(day),
        answer_due_at=_at(day) + timedelta(days=5),
        created_at=_at(day),
        updated_at=_at(day, 12),
    )
    path = {
        ReferralStatus.CONNECTED: [ReferralStatus.ACCEPTED, ReferralStatus.CONNECTED],
        ReferralStatus.ENDED: [ReferralStatus.ACCEPTED, ReferralStatus.CONNECTED, ReferralStatus.ENDED],
        ReferralStatus.ACCEPTED: [ReferralStatus.ACCEPTED],
    }.get(to, [])
    before = ReferralStatus.SENT
    for step in path:
        ReferralEvent.objects.create(referral=referral, at=_at(day, 11), from_status=before, to_status=step)
        before = step
    return referral


def _conference(town: Municipality, code: str, day: int) -> CaseConference:
    resident = resident_in(code, now=_at(day))
    convener = user("waakvlammer")
    return CaseConference.objects.create(
        municipality=town,
        household=resident.household,
        organisation=convener.organisation,
        convened_by=convener,
        question="Wie doet wat?",
        meets_on=date(2026, 10, day),
        resident_takes_part=True,
        network_takes_part=True,
        created_at=_at(day) - timedelta(days=3),
    )


def _task(conference: CaseConference, owner: Organisation, day: int, *, settled_hours: float | None) -> Task:
    due_at = datetime(2026, 10, day, 23, 59, 59, tzinfo=AMS)
    settled = None if settled_hours is None else due_at + timedelta(hours=settled_hours)
    return Task.objects.create(
        municipality=conference.municipality,
        conference=conference,
        title="Trapverlichting",
        done_means="Lamp werkt",
        owner_organisation=owner,
        due_on=date(2026, 10, day),
        due_at=due_at,
        status="open" if settled is None else "done",
        settled_at=settled,
        created_at=_at(1),
    )


@pytest.fixture
def casework(town: Municipality) -> Casework:
    """Binnenstad: 12 referrals (10 received by GGZ Kompas, 2 by the housing association; 7 connected, of
    which 1 ended later; 3 to a collective service), 6 case conferences with 12 tasks for the housing
    association (7 done in time, 3 done late, 2 open), 2 area alarms and 1 area meeting.
    Stationskwartier 2 referrals (connected), Havenkwartier 3 (1 connected): small numbers; September has 1 referral (outside)."""
    ggz = Organisation.objects.get(slug="ggz-kompas")
    housing = Organisation.objects.get(slug="woonstede")
    for i in range(12):
        to = ReferralStatus.CONNECTED if i < 6 else ReferralStatus.ENDED if i == 6 else ReferralStatus.SENT
        _referral(town, BINNENSTAD, 2 + i, owner=ggz if i < 10 else housing, collective=i >= 9, to=to)
    for i in range(2):
        _referral(town, STATIONSKWARTIER, 3 + i, owner=ggz, collective=False, to=ReferralStatus.CONNECTED)
    for i in range(3):
        to = ReferralStatus.CONNECTED if i == 0 else ReferralStatus.SENT
        _referral(town, HAVENKWARTIER, 4 + i, owner=ggz, collective=False, to=to)
    september = _referral(town, BINNENSTAD, 1, owner=ggz, collective=False, to=ReferralStatus.SENT)
    Referral.objects.filter(pk=september.pk).update(created_at=_at(1) - timedelta(days=2))
    conferences = [_conference(town, BINNENSTAD, 5 + i) for i in range(6)]
    settles: list[float | None] = [-2.0] * 7 + [5.0] * 3 + [None] * 2
    for i, settled in enumerate(settles):
        _task(conferences[i % 6], housing, 10 + i, settled_hours=settled)
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    for day in (8, 20):
        Spike.objects.create(
            municipality=town,
            neighbourhood=hood,
            category="nuisance",
            window_start=_at(day) - timedelta(days=7),
            window_end=_at(day),
            count=6,
            usual=1.5,
            detected_at=_at(day),
        )
    regie = user("regie")
    AreaMeeting.objects.create(
        municipality=town,
        neighbourhood=hood,
        organisation=regie.organisation,
        convened_by=regie,
        topic="Overlast",
        meets_on=date(2026, 10, 22),
        created_at=_at(9),
    )
    rollups_update(NOW)
    return Casework(ggz, housing)


def _raw(town: Municipality, code: str, organisation: int = 0) -> dict[str, int]:
    hood = Neighbourhood.objects.get(code=code)
    counts = raw_figures(Scope(town.pk, organisation), START, END, NOW).counts[hood.pk]
    return {m: counts[m] for m in CASEWORK_COUNTS}


def _rows(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in answer["neighbourhoods"]}


def test_casework_figures_per_neighbourhood_exactly(town: Municipality, casework: Casework) -> None:
    assert _raw(town, BINNENSTAD) == {
        "referrals_made": 12,
        "referrals_connected": 7,
        "referrals_collective": 3,
        "case_conferences": 6,
        "tasks_due": 12,
        "tasks_done_in_time": 7,
        "area_alarms": 2,
        "area_meetings": 1,
    }
    assert _raw(town, STATIONSKWARTIER)["referrals_connected"] == 2
    assert _raw(town, HAVENKWARTIER)["referrals_made"] == 3


def test_casework_figures_are_suppressed(town: Municipality, casework: Casework) -> None:
    answer = neighbourhood_figures(Scope(town.pk, 0), START, END, NOW)
    binnenstad = _rows(answer)[BINNENSTAD]
    assert binnenstad["counts"]["referrals_made"] == 12
    assert binnenstad["counts"]["referrals_connected"] == 7
    assert binnenstad["rates"]["referrals_connected"] == round(7 / 12, 4)
    assert binnenstad["counts"]["referrals_collective"] is None  # 3
    assert binnenstad["rates"]["referrals_collective"] is None
    assert binnenstad["counts"]["case_conferences"] == 6
    assert binnenstad["counts"]["tasks_due"] == 12
    assert binnenstad["counts"]["tasks_done_in_time"] == 7
    assert binnenstad["rates"]["tasks_done_in_time"] == round(7 / 12, 4)
    assert binnenstad["counts"]["area_alarms"] is None  # 2
    assert binnenstad["counts"]["area_meetings"] is None  # 1
    assert _rows(answer)[STATIONSKWARTIER]["counts"]["referrals_made"] is None  # 2
    assert _rows(answer)[HAVENKWARTIER]["counts"]["referrals_made"] is None  # 3
    total = answer["municipality"]["counts"]
    assert total["referrals_made"] == 17
    assert total["area_alarms"] is None
    # 17 - 12 = 5 for the two small neighbourhoods together: both hidden, neither derivable alone.
    for row in [*answer["neighbourhoods"], answer["municipality"]]:
        for value in row["counts"].values():
            assert value is None or not 1 <= value <= 4


def test_each_partner_sees_its_own_casework(town: Municipality, casework: Casework) -> None:
    ggz = _raw(town, BINNENSTAD, casework.ggz.pk)
    assert ggz["referrals_made"] == 10 and ggz["referrals_connected"] == 7 and ggz["tasks_due"] == 0
    housing = _raw(town, BINNENSTAD, casework.housing.pk)
    assert housing["referrals_made"] == 2 and housing["tasks_due"] == 12 and housing["tasks_done_in_time"] == 7
    assert ggz["area_alarms"] == 0 and housing["area_alarms"] == 0  # the municipality's own figure


def test_casework_in_the_api_and_csv_by_role(
    casework: Casework, login: Callable[[str], Client], partner_at: Callable[..., Any]
) -> None:
    answer = login("regie").get(URL).json()
    assert _rows(answer)[BINNENSTAD]["counts"]["referrals_made"] == 12
    response = login("regie").get(URL + "&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER and HEADER[-len(CASEWORK_COUNTS) - 3 :][: len(CASEWORK_COUNTS)] == list(CASEWORK_COUNTS)
    by_code = {r[3]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    assert by_code[BINNENSTAD]["referrals_made"] == "12" and by_code[BINNENSTAD]["referrals_collective"] == ""
    client = Client()
    client.force_login(partner_at("ggz-kompas"))
    own = _rows(client.get(URL).json())[BINNENSTAD]["counts"]
    assert own["referrals_made"] == 10 and own["tasks_due"] == 0
    assert login("signaleerder").get(URL).status_code == 403


def test_the_pass_picks_up_a_new_referral_and_a_settled_task(town: Municipality, casework: Casework) -> None:
    _referral(town, BINNENSTAD, 28, owner=casework.ggz, collective=False, to=ReferralStatus.SENT)
    Referral.objects.filter(created_at=_at(28)).update(updated_at=NOW + timedelta(minutes=1))
    late = Task.objects.filter(status="open").first()
    assert late is not None
    # Settled after the last pass and (for the test's sake) before a due time that lies after it.
    Task.objects.filter(pk=late.pk).update(
        status="done", settled_at=NOW + timedelta(minutes=2), due_at=NOW + timedelta(hours=1)
    )
    rollups_update(NOW + timedelta(minutes=5))
    figures = _raw(town, BINNENSTAD)
    assert figures["referrals_made"] == 13
    assert figures["tasks_done_in_time"] == 8


def test_a_change_dated_after_the_pass_is_read_by_the_pass_whose_window_holds_it(
    town: Municipality, casework: Casework
) -> None:
    """A pass reads what changed between the last pass (less the overlap) and its own `now`: a task settled at
    a moment after that (a clock ahead of the worker's) is not read by every pass until then, but by the
    pass whose window holds it."""
    late = Task.objects.filter(status="open").first()
    assert late is not None
    ahead = NOW + timedelta(days=1)
    Task.objects.filter(pk=late.pk).update(status="done", settled_at=ahead, due_at=ahead + timedelta(hours=1))
    assert rollups_update(NOW + timedelta(minutes=5))["insight_days_recomputed"] == 0
    assert _raw(town, BINNENSTAD)["tasks_done_in_time"] == 7
    assert rollups_update(ahead + timedelta(minutes=5))["insight_days_recomputed"] == 1
    assert _raw(town, BINNENSTAD)["tasks_done_in_time"] == 8


def test_the_days_of_a_pass_are_read_as_one_range_per_run_of_days() -> None:
    from waakvlam.insight.casework import _on_days

    days = {
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 3),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2025, 5, 9),
    }
    ranges = _on_days("created_at", days)
    assert ranges.connector == "OR"
    bounds = sorted((dict(q.children)["created_at__gte"], dict(q.children)["created_at__lt"]) for q in ranges.children)
    assert bounds == [
        (datetime(2025, 5, 9, tzinfo=AMS), datetime(2025, 5, 10, tzinfo=AMS)),
        (datetime(2026, 10, 1, tzinfo=AMS), datetime(2026, 10, 4, tzinfo=AMS)),
        (datetime(2026, 12, 31, tzinfo=AMS), datetime(2027, 1, 2, tzinfo=AMS)),
    ]
