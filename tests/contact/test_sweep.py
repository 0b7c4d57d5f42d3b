"""The flame going out: overdue detection and escalation at the right moment and up the follow-up ladder,
with `now` injected."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.contact.helpers import actor_of, at, days, plan_for
from tests.factories import user
from waakvlam.contact.followups import CONTACT_OVERDUE
from waakvlam.contact.models import ContactPlan
from waakvlam.contact.selectors import contact_plans_due_for, plans_due_for_steward, plans_due_for_team
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Municipality
from waakvlam.followup.calendar import add_working_days
from waakvlam.followup.sweep import pending_items, sweep_kind
from waakvlam.notify.models import Notification

START = date(2026, 3, 2)  # rhythm 14: due 16 March; grace 7 days: escalates from 24 March
TICK = timedelta(microseconds=1)


def contact_overdue_sweep(now: datetime) -> dict[str, int]:
    return sweep_kind(CONTACT_OVERDUE, now)


def plans_to_escalate(now: datetime):  # type: ignore[no-untyped-def]
    return pending_items(CONTACT_OVERDUE, now)


def _recipients(plan: ContactPlan, level: int) -> set[str]:
    rows = Notification.objects.filter(
        kind="contact_overdue", channel="in_app", dedupe_key__startswith=f"contact-plan-escalated:{plan.pk}:{level}:"
    )
    return set(rows.values_list("recipient__username", flat=True))


def _record(plan: ContactPlan, day: date, made: bool) -> None:
    contact_record(
        plan=plan,
        data=MomentInput(day, "visit", made, "fine" if made else ""),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=at(day, 18),
    )


@pytest.mark.django_db
def test_due_and_overdue_lists_per_steward_and_team(town: Municipality) -> None:
    due_today = plan_for(starts_on=START, now=at(START))
    later = plan_for(starts_on=START + days(10), now=at(START))
    other = plan_for("waakvlammer2", starts_on=START - days(30), now=at(START))
    now = at(START + days(14))
    assert list(plans_due_for_steward(user("waakvlammer"), now)) == [due_today]
    assert list(plans_due_for_steward(user("waakvlammer"), now, within_days=14)) == [due_today, later]
    assert list(plans_due_for_team(due_today.team_id, now)) == [due_today]  # type: ignore[arg-type]
    assert list(plans_due_for_steward(user("waakvlammer2"), now)) == [other]
    summary = contact_plans_due_for(user("waakvlammer"), now)
    assert (summary.overdue, summary.due_today, summary.due_this_week, summary.active) == (0, 1, 0, 2)
    assert summary.rows == [due_today]
    summary = contact_plans_due_for(user("waakvlammer"), at(START + days(20)))
    assert (summary.overdue, summary.due_today) == (1, 0)
    assert contact_plans_due_for(user("regie"), now).active == 0


@pytest.mark.django_db
def test_overdue_escalates_after_the_grace_period_once(town: Municipality) -> None:
    plan = plan_for(starts_on=START, backup="coordinator", now=at(START))
    assert plan.next_contact_due == date(2026, 3, 16)
    for moment in (at(date(2026, 3, 16)), at(date(2026, 3, 23), 23)):
        assert contact_overdue_sweep(moment)["escalated"] == 0, moment
    counts = contact_overdue_sweep(at(date(2026, 3, 24), 0))
    assert counts["escalated"] == counts["overdue"] == 1
    plan.refresh_from_db()
    assert plan.escalated_at is not None and plan.escalation_reason == "overdue"
    assert plan.escalation_level == 1 and plan.next_contact_due == date(2026, 3, 16)  # the due date stays
    assert plan.events.filter(kind="escalated").count() == 1
    notes = Notification.objects.filter(kind="contact_overdue")
    assert {n.recipient.username for n in notes if n.recipient} == {"coordinator"}
    assert "Jan" not in notes.first().body  # type: ignore[union-attr]  # no names leave in e-mail
    # Idempotent: the same moment, or any moment before the ladder's next step, finds nothing new.
    before = Notification.objects.count()
    assert contact_overdue_sweep(at(date(2026, 3, 24), 0))["escalated"] == 0
    assert plan.next_step_at is not None
    assert contact_overdue_sweep(plan.next_step_at)["escalated"] == 0
    assert Notification.objects.count() == before
    # Contact made ends the escalation; when the flame goes out again it escalates again.
    _record(plan, date(2026, 3, 25), True)
    plan.refresh_from_db()
    assert plan.escalated_at is None and plan.next_contact_due == date(2026, 4, 8)
    assert contact_overdue_sweep(at(date(2026, 4, 15)))["escalated"] == 0
    assert contact_overdue_sweep(at(date(2026, 4, 16)))["escalated"] == 1


@pytest.mark.django_db
def test_without_contact_the_plan_climbs_the_ladder(town: Municipality) -> None:
    """Coordinator, then after three working days the municipality, then both again every working week."""
    plan = plan_for(starts_on=START, now=at(START))
    now = at(date(2026, 3, 24), 0)
    levels = []
    for _ in range(4):
        counts = contact_overdue_sweep(now)
        assert counts["escalated"] == 1
        plan.refresh_from_db()
        levels.append(plan.escalation_level)
        assert plan.next_step_at is not None and plan.next_step_at > now
        assert contact_overdue_sweep(now)["escalated"] == 0  # idempotent at every rung
        now = plan.next_step_at + TICK
    assert levels == [1, 2, 3, 4]
    assert plan.next_contact_due == date(2026, 3, 16)  # late stays late
    assert _recipients(plan, 1) == {"coordinator"}
    assert _recipients(plan, 2) == {"regie"}
    assert _recipients(plan, 3) == {"coordinator", "regie"}
    steps = list(plan.events.filter(kind="escalated").order_by("pk").values_list("at", flat=True))
    assert plan.next_step_at == add_working_days(steps[-1], 5)
    municipality = Notification.objects.filter(kind="contact_overdue", recipient__username="regie").first()
    assert municipality is not None and municipality.link == "/regie/vastgelopen/"


@pytest.mark.django_db
def test_failed_attempts_in_a_row_escalate_before_the_due_date(town: Municipality) -> None:
    plan = plan_for(starts_on=START, rhythm_days=42, now=at(START))
    _record(plan, date(2026, 3, 3), False)
    _record(plan, date(2026, 3, 4), False)
    assert contact_overdue_sweep(at(date(2026, 3, 5)))["escalated"] == 0
    _record(plan, date(2026, 3, 5), False)
    assert plans_to_escalate(at(date(2026, 3, 5), 19)).count() == 1
    counts = contact_overdue_sweep(at(date(2026, 3, 5), 19))
    assert counts["failed_attempts"] == 1 and counts["escalated"] == 1


@pytest.mark.django_db
@override_settings(WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS=2, WAAKVLAM_CONTACT_GRACE_DAYS=0)
def test_limits_are_configurable(town: Municipality) -> None:
    plan = plan_for(starts_on=START, now=at(START))
    assert contact_overdue_sweep(at(date(2026, 3, 16)))["escalated"] == 0
    assert contact_overdue_sweep(at(date(2026, 3, 17)))["escalated"] == 1
    other = plan_for(starts_on=START, rhythm_days=42, now=at(START))
    _record(other, date(2026, 3, 3), False)
    _record(other, date(2026, 3, 4), False)
    assert contact_overdue_sweep(at(date(2026, 3, 4), 19))["failed_attempts"] == 1
    assert plan.pk != other.pk


@pytest.mark.django_db
def test_closed_plans_never_escalate(town: Municipality) -> None:
    from waakvlam.contact.services import plan_close

    plan = plan_for(starts_on=START, now=at(START))
    plan_close(plan=plan, by=user("waakvlammer"), reason="Verhuisd", actor=actor_of("waakvlammer"), now=at(START))
    assert contact_overdue_sweep(at(date(2026, 6, 1)))["escalated"] == 0


@pytest.mark.django_db(transaction=True)
def test_worker_once_with_now_shows_the_sweeps_counts() -> None:
    # Transactional: the worker closes connections between sweeps, which would end a test transaction.
    from waakvlam.demo.services import demo_load_town

    demo_load_town()
    plan_for(starts_on=START, now=at(START))
    plan_for(starts_on=START - days(60), now=at(START))
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-03-20T09:00", stdout=out)
    figures = "contact_overdue.escalated=1, contact_overdue.failed_attempts=0, contact_overdue.overdue=1"
    assert figures in out.getvalue()
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-03-24T09:00", stdout=out)
    assert figures in out.getvalue()
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-03-24T09:00", stdout=out)
    assert "contact_overdue.escalated=0" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_escalate_each_plan_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from django.db import connection

    from waakvlam.demo.services import demo_load_town
    from waakvlam.followup import sweep

    if connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE SKIP LOCKED is a PostgreSQL matter; SQLite serialises writers anyway")
    demo_load_town()
    monkeypatch.setattr(sweep, "BATCH_SIZE", 7)
    plans = [plan_for(starts_on=START - days(i % 5), now=at(START)) for i in range(60)]
    now = at(START + days(60))
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(contact_overdue_sweep(now))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r["escalated"] for r in results) == len(plans)
    from waakvlam.contact.models import ContactPlanEvent

    escalated = list(ContactPlanEvent.objects.filter(kind="escalated").values_list("plan_id", flat=True))
    assert sorted(escalated) == sorted(p.pk for p in plans)
