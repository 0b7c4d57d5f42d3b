"""Each rule fires exactly when its conditions hold, and names exactly the signals and facts it fired on."""

from __future__ import annotations

from waakvlam.attention.definitions import RULES_BY_NAME, Evidence
from waakvlam.attention.facts import signal_source

from .helpers import TODAY, facts, handover, plan, sig

MULTIPLE = RULES_BY_NAME["multiple_sources"]
ARREARS = RULES_BY_NAME["arrears_and_nuisance"]
OVERDUE = RULES_BY_NAME["signal_while_contact_overdue"]
DISCHARGE = RULES_BY_NAME["discharge_without_first_contact"]
POLICE = RULES_BY_NAME["repeated_police"]


def ids(firing: object) -> set[int]:
    assert firing is not None
    return {s.id for s in firing.signals}  # type: ignore[attr-defined]


def test_two_sources_within_the_window_fire_and_name_both_signals() -> None:
    a, b = sig(10, source="police"), sig(89, source="housing_association")
    firing = MULTIPLE.fire(facts(a, b), {}, TODAY)
    assert ids(firing) == {a.id, b.id}
    assert firing is not None and (firing.rule, firing.version) == ("multiple_sources", 1)


def test_one_source_twice_or_a_source_outside_the_window_does_not_fire() -> None:
    assert MULTIPLE.fire(facts(sig(1, source="police"), sig(2, source="police")), {}, TODAY) is None
    # day 90 back is outside a 90-day window that includes today
    assert MULTIPLE.fire(facts(sig(1, source="police"), sig(90, source="resident")), {}, TODAY) is None


def test_multiple_sources_respects_its_parameters() -> None:
    household = facts(sig(1, source="police"), sig(2, source="resident"), sig(40, source="energy"))
    assert MULTIPLE.fire(household, {"min_sources": 3}, TODAY) is not None
    assert MULTIPLE.fire(household, {"min_sources": 3, "window_days": 30}, TODAY) is None
    assert MULTIPLE.fire(household, {"min_sources": 4}, TODAY) is None


def test_arrears_and_nuisance_needs_both_and_names_only_those() -> None:
    arrears, nuisance, other = (
        sig(5, category="payment_arrears"),
        sig(60, category="nuisance"),
        sig(3, category="isolation"),
    )
    firing = ARREARS.fire(facts(arrears, nuisance, other), {}, TODAY)
    assert ids(firing) == {arrears.id, nuisance.id}
    assert ARREARS.fire(facts(arrears, other), {}, TODAY) is None
    assert ARREARS.fire(facts(nuisance, other), {}, TODAY) is None
    eviction = sig(1, category="eviction_risk")
    assert ids(ARREARS.fire(facts(eviction, nuisance), {}, TODAY)) == {eviction.id, nuisance.id}
    assert ARREARS.fire(facts(arrears, nuisance), {"window_days": 30}, TODAY) is None


def test_new_signal_after_the_contact_became_overdue_fires_with_the_plan() -> None:
    overdue = plan(due_days_ago=10)
    before, after = sig(12), sig(3)
    firing = OVERDUE.fire(facts(before, after, plans=(overdue,)), {}, TODAY)
    assert ids(firing) == {after.id}
    assert firing is not None and firing.evidence == (Evidence("contact_plan", overdue.id, overdue.next_contact_due),)


def test_no_overdue_plan_or_no_new_signal_does_not_fire() -> None:
    assert OVERDUE.fire(facts(sig(1), plans=(plan(due_days_ago=-3),)), {}, TODAY) is None  # due in 3 days
    assert OVERDUE.fire(facts(sig(1), plans=(plan(due_days_ago=0),)), {}, TODAY) is None  # due today: not late
    assert OVERDUE.fire(facts(sig(1), plans=(plan(due_days_ago=10, active=False),)), {}, TODAY) is None
    assert OVERDUE.fire(facts(sig(12), plans=(plan(due_days_ago=10),)), {}, TODAY) is None  # only an older signal
    # within the grace days the plan does not count as overdue yet
    assert OVERDUE.fire(facts(sig(1), plans=(plan(due_days_ago=10),)), {"grace_days": 10}, TODAY) is None
    assert OVERDUE.fire(facts(sig(0), plans=(plan(due_days_ago=10),)), {"grace_days": 9}, TODAY) is not None


def test_late_handover_without_first_contact_fires_on_the_handover() -> None:
    late = handover(due_days_ago=1)
    firing = DISCHARGE.fire(facts(handovers=(late,)), {}, TODAY)
    assert firing is not None and firing.evidence == (Evidence("handover", late.id, late.first_contact_due),)
    assert firing.signals == ()
    assert DISCHARGE.fire(facts(handovers=(handover(due_days_ago=0),)), {}, TODAY) is None  # due today
    assert DISCHARGE.fire(facts(handovers=(handover(due_days_ago=3, first_contact_days_ago=4),)), {}, TODAY) is None
    assert DISCHARGE.fire(facts(handovers=(handover(due_days_ago=3, open_=False),)), {}, TODAY) is None


def test_discharge_signal_without_contact_after_the_grace_days_fires() -> None:
    discharge = sig(6, category="discharge")
    assert ids(DISCHARGE.fire(facts(discharge), {}, TODAY)) == {discharge.id}
    assert DISCHARGE.fire(facts(sig(5, category="discharge")), {}, TODAY) is None  # grace not over yet
    assert DISCHARGE.fire(facts(sig(6, category="nuisance")), {}, TODAY) is None
    contacted = plan(due_days_ago=-10, last_contact_days_ago=2)
    assert DISCHARGE.fire(facts(discharge, plans=(contacted,)), {}, TODAY) is None
    earlier = plan(due_days_ago=-10, last_contact_days_ago=7)  # contact before the discharge does not count
    assert DISCHARGE.fire(facts(discharge, plans=(earlier,)), {}, TODAY) is not None


def test_repeated_police_counts_police_signals_only() -> None:
    one, two = sig(1, source="police"), sig(80, source="police")
    firing = POLICE.fire(facts(one, two, sig(2, source="resident")), {}, TODAY)
    assert ids(firing) == {one.id, two.id}
    assert POLICE.fire(facts(one, sig(2, source="resident")), {}, TODAY) is None
    assert POLICE.fire(facts(one, two), {"min_count": 3}, TODAY) is None


def test_the_source_is_the_reporting_organisation_kind_or_the_signals_own_kind() -> None:
    assert signal_source("professional", "police") == "police"
    assert signal_source("partner_system", "housing_association") == "housing_association"
    assert signal_source("resident", None) == "resident"
    assert signal_source("energy", "utility") == "energy"  # the arrears feed says more than the organisation
    assert signal_source("informal_supporter", "social_work") == "informal_supporter"  # a kind we do not know yet


def test_descriptions_fill_in_the_parameters_in_both_languages() -> None:
    assert "30 dagen" in MULTIPLE.describe("nl", {"window_days": 30})
    assert "at least 3 different sources" in MULTIPLE.describe("en", {"min_sources": 3})
