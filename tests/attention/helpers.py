"""Facts for the pure rule tests, and signals through the factories for the database tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from waakvlam.attention.facts import HandoverFact, HouseholdFacts, PlanFact, SignalFact

TODAY = date(2026, 11, 20)
_ids = count(1)


def sig(days_ago: int, *, source: str = "housing_association", category: str = "nuisance", team: int = 1) -> SignalFact:
    n = next(_ids)
    return SignalFact(
        id=n,
        tracking_code=f"T{n:08d}",
        category=category,
        source=source,
        received_on=TODAY - timedelta(days=days_ago),
        owner_team_id=team,
    )


def plan(
    *, due_days_ago: int, last_contact_days_ago: int | None = None, active: bool = True, team: int = 7
) -> PlanFact:
    return PlanFact(
        id=next(_ids),
        active=active,
        next_contact_due=TODAY - timedelta(days=due_days_ago),
        last_contact_on=None if last_contact_days_ago is None else TODAY - timedelta(days=last_contact_days_ago),
        team_id=team,
    )


def handover(*, due_days_ago: int, first_contact_days_ago: int | None = None, open_: bool = True) -> HandoverFact:
    return HandoverFact(
        id=next(_ids),
        open=open_,
        discharge_on=TODAY - timedelta(days=due_days_ago + 5),
        first_contact_due=TODAY - timedelta(days=due_days_ago),
        first_contact_on=None if first_contact_days_ago is None else TODAY - timedelta(days=first_contact_days_ago),
        receiving_team_id=9,
    )


def facts(
    *signals: SignalFact, plans: tuple[PlanFact, ...] = (), handovers: tuple[HandoverFact, ...] = ()
) -> HouseholdFacts:
    ordered = tuple(sorted(signals, key=lambda s: (s.received_on, s.id)))
    return HouseholdFacts(
        household_id=1,
        municipality_id=1,
        signals=ordered,
        plans=plans,
        handovers=handovers,
        newest_signal_id=max((s.id for s in signals), default=0),
    )


def moment(day: date, hour: int = 10) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Amsterdam"))
