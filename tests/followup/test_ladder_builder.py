"""One ladder builder (followup/kinds.py escalation_ladder): the kinds that climb team → coordinator →
municipality → "still stuck" declare only their texts and times, and get the very rungs they had by hand."""

from __future__ import annotations

from datetime import timedelta

from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    COORDINATORS,
    DEFAULT_FALLBACK,
    MUNICIPALITY,
    OWNER,
    TEAM,
    Ladder,
    Person,
    Step,
    escalation_ladder,
    get_kind,
)

DAY = DEFAULT_CALENDAR.working_day


def test_signal_pickup_climbs_coordinator_municipality_then_still_stuck_with_counts() -> None:
    assert get_kind("signal_pickup").ladder == Ladder(
        steps=(
            Step((COORDINATORS,), "coördinator ingeschakeld", timedelta(hours=4), "to_coordinator"),
            Step((MUNICIPALITY,), "gemeente ingeschakeld", DEFAULT_CALENDAR.working_day, "to_municipality"),
        ),
        then=Step(
            (COORDINATORS, MUNICIPALITY),
            "nog steeds niet opgepakt; coördinator en gemeente opnieuw ingeschakeld",
            DEFAULT_CALENDAR.working_day,
            "still_stuck",
        ),
    )


def test_a_first_reminder_goes_before_the_coordinators() -> None:
    ladder = get_kind("case_task").ladder
    assert [step.to for step in ladder.steps] == [(OWNER,), (COORDINATORS,), (MUNICIPALITY,)]
    assert [step.count_as for step in ladder.steps] == ["to_owner", "to_coordinator", "to_municipality"]
    assert ladder.steps[1].note == "coördinator van de organisatie ingeschakeld"  # the kind's own words
    assert get_kind("attention_decision").ladder.steps[0] == Step((TEAM,), "team herinnerd", DAY, "to_team")
    assert ladder.step(4) == ladder.step(9) == ladder.then


def test_uncounted_ladders_keep_their_audiences_fallbacks_and_times() -> None:
    contact = get_kind("contact_overdue").ladder
    assert [step.count_as for step in (*contact.steps, contact.then)] == ["", "", ""]
    assert contact.steps[0].next_after == DEFAULT_CALENDAR.working_day * 3
    assert contact.steps[0].fallback != DEFAULT_FALLBACK  # coordinators first, the kind's own order
    assert contact.steps[1].next_after == contact.then.next_after == DEFAULT_CALENDAR.working_day * 5
    handover = get_kind("handover_first_contact").ladder
    assert handover.steps[0].to == (COORDINATORS, Person("created_by_id"))
    assert handover.then.to == (COORDINATORS, MUNICIPALITY)


def test_the_builder_alone() -> None:
    ladder = escalation_ladder(coordinator="c", still_stuck="s", every=DAY, municipality="m", counted=False)
    assert ladder == Ladder(
        steps=(Step((COORDINATORS,), "c", DAY), Step((MUNICIPALITY,), "m", DAY)),
        then=Step((COORDINATORS, MUNICIPALITY), "s", DAY),
    )
