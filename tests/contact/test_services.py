"""Contact plans and contact moments: the rules the services keep."""

from __future__ import annotations

from datetime import date

import pytest

from tests.contact.helpers import actor_of, at, days, plan_for, resident_in
from tests.factories import signal_for, team, user
from waakvlam.contact.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.contact.models import Basis, ContactPlan, PlanStatus
from waakvlam.contact.services import (
    MomentInput,
    PlanInput,
    contact_record,
    plan_close,
    plan_create,
    plan_update,
    plans_hand_to_backup,
)
from waakvlam.core.models import Municipality
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db
START = date(2026, 3, 2)


def record(plan: ContactPlan, day: date, *, made: bool, by: str = "waakvlammer", wellbeing: str = "fine") -> None:
    contact_record(
        plan=plan,
        data=MomentInput(day, "visit", made, wellbeing if made else "", "Koffie gedronken."),
        by=user(by),
        actor=actor_of(by),
        now=at(day, 17),
    )


def test_next_due_is_last_successful_contact_plus_rhythm(town: Municipality) -> None:
    plan = plan_for(starts_on=START, rhythm_days=14, now=at(START))
    assert plan.next_contact_due == START + days(14)
    record(plan, START + days(3), made=True)
    plan.refresh_from_db()
    assert plan.last_contact_on == START + days(3)
    assert plan.next_contact_due == START + days(17)
    record(plan, START + days(5), made=False)
    record(plan, START + days(6), made=False)
    plan.refresh_from_db()
    assert plan.failed_attempts == 2
    assert plan.next_contact_due == START + days(17), "a failed attempt does not move the due date"
    record(plan, START + days(7), made=True)
    plan.refresh_from_db()
    assert plan.failed_attempts == 0
    assert plan.next_contact_due == START + days(21)


def test_backdated_contact_counts_where_it_belongs(town: Municipality) -> None:
    plan = plan_for(starts_on=START, now=at(START))
    record(plan, START + days(10), made=True)
    record(plan, START + days(12), made=False)
    # Recorded later, but it happened before the last success: it changes nothing.
    contact_record(
        plan=plan,
        data=MomentInput(START + days(2), "phone", True, "fine"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=at(START + days(13)),
    )
    plan.refresh_from_db()
    assert plan.last_contact_on == START + days(10)
    assert plan.failed_attempts == 1


def test_moment_validation(town: Municipality) -> None:
    plan = plan_for(starts_on=START, now=at(START))
    steward, actor = user("waakvlammer"), actor_of("waakvlammer")
    with pytest.raises(InvalidInput) as error:
        contact_record(
            plan=plan, data=MomentInput(START + days(5), "visit", True, "fine"), by=steward, actor=actor, now=at(START)
        )
    assert "happened_on" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        contact_record(plan=plan, data=MomentInput(START, "visit", True, ""), by=steward, actor=actor, now=at(START))
    assert "wellbeing" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        contact_record(
            plan=plan, data=MomentInput(START, "fax", True, "fine", "x" * 501), by=steward, actor=actor, now=at(START)
        )
    assert {"channel", "note"} <= set(error.value.errors)


def test_plan_validation_and_roles(town: Municipality) -> None:
    resident = resident_in()
    with pytest.raises(InvalidInput) as error:
        plan_create(
            resident=resident,
            data=PlanInput(
                steward=user("waakvlammer"), backup=user("waakvlammer"), rhythm_days=0, starts_on=START, basis="x"
            ),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=at(START),
        )
    assert {"backup", "rhythm_days", "basis"} <= set(error.value.errors)
    with pytest.raises(InvalidInput) as error:
        plan_create(
            resident=resident,
            data=PlanInput(steward=user("ggz"), rhythm_days=14, starts_on=START, basis=Basis.CONSENT),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=at(START),
        )
    assert "steward" in error.value.errors
    for username in ("ggz", "signaleerder", "regie", "privacy", "beheer"):
        with pytest.raises(NotAllowed):
            plan_create(
                resident=resident,
                data=PlanInput(steward=user("waakvlammer"), rhythm_days=14, starts_on=START, basis=Basis.CONSENT),
                by=user(username),
                actor=actor_of(username),
                now=at(START),
            )
    plan_for(resident=resident, now=at(START))
    with pytest.raises(Conflict):
        plan_for(resident=resident, now=at(START))


def test_signal_starts_a_plan_and_the_plan_records_it(town: Municipality) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    plan = plan_create(
        resident=resident_in(),
        data=PlanInput(steward=user("waakvlammer"), rhythm_days=42, starts_on=START, basis=Basis.LEGAL_TASK),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=at(START),
        signal_id=signal.pk,
    )
    assert plan.signal_id == signal.pk
    assert plan.events.get(kind="started").note.endswith(f"{signal.tracking_code}.")
    assert plan.basis_recorded_by == user("waakvlammer")
    hidden = signal_for(team("Waakvlam West"))
    with pytest.raises(InvalidInput):
        plan_create(
            resident=resident_in(),
            data=PlanInput(steward=user("waakvlammer"), rhythm_days=42, starts_on=START, basis=Basis.LEGAL_TASK),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=at(START),
            signal_id=hidden.pk,
        )


def test_update_and_close(town: Municipality) -> None:
    plan = plan_for(starts_on=START, now=at(START))
    plan = plan_update(
        plan=plan,
        data=PlanInput(
            steward=user("waakvlammer"),
            backup=user("coordinator"),
            rhythm_days=42,
            starts_on=START,
            basis=Basis.LEGAL_TASK,
        ),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=at(START + days(1)),
    )
    assert plan.next_contact_due == START + days(42)
    assert plan.basis_recorded_by == user("coordinator")
    with pytest.raises(InvalidInput):
        plan_close(
            plan=plan, by=user("waakvlammer"), reason=" ", actor=actor_of("waakvlammer"), now=at(START + days(2))
        )
    plan = plan_close(
        plan=plan, by=user("waakvlammer"), reason="Verhuisd", actor=actor_of("waakvlammer"), now=at(START + days(2))
    )
    assert plan.status == PlanStatus.CLOSED
    with pytest.raises(Conflict):
        record(plan, START + days(2), made=True)


def test_leaving_steward_hands_every_plan_to_the_backup_each_logged(town: Municipality) -> None:
    with_backup = [plan_for(backup="coordinator", now=at(START)) for _ in range(3)]
    without_backup = plan_for(now=at(START))
    as_backup = plan_for("coordinator", backup="waakvlammer", now=at(START))
    before = AccessLogEntry.objects.count()
    with pytest.raises(NotAllowed):
        plans_hand_to_backup(
            steward=user("waakvlammer"), by=user("waakvlammer2"), actor=actor_of("waakvlammer2"), now=at(START)
        )
    result = plans_hand_to_backup(
        steward=user("waakvlammer"), by=user("coordinator"), actor=actor_of("coordinator"), now=at(START + days(1))
    )
    assert sorted(result.moved) == sorted(p.pk for p in with_backup)
    assert result.without_backup == [without_backup.pk]
    assert result.backup_cleared == [as_backup.pk]
    for plan in with_backup:
        plan.refresh_from_db()
        assert plan.steward == user("coordinator") and plan.backup is None
        assert plan.events.filter(kind="handed_over").count() == 1
    as_backup.refresh_from_db()
    assert as_backup.backup is None
    entries = AccessLogEntry.objects.filter(context="service:plans_hand_to_backup")
    assert entries.count() == 4 == AccessLogEntry.objects.count() - before
    assert {e.object_id for e in entries} == {str(p.pk) for p in [*with_backup, as_backup]}
    # The plan without a back-up goes to a fallback when one is named.
    result = plans_hand_to_backup(
        steward=user("waakvlammer"),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=at(START + days(1)),
        fallback=user("coordinator"),
    )
    assert result.moved == [without_backup.pk]
