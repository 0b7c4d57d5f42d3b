"""First contact within the agreed days, or it climbs the follow-up ladder: at the right moment, once per
rung, `now` injected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.contact.helpers import actor_of, at, postcode_areas
from tests.factories import user
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.followup.sweep import sweep_kind
from waakvlam.handover.followups import HANDOVER_FIRST_CONTACT
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.handover.services import handover_accept
from waakvlam.notify.models import Notification

TICK = timedelta(microseconds=1)


def handover_first_contact_sweep(now: datetime) -> dict[str, int]:
    return sweep_kind(HANDOVER_FIRST_CONTACT, now)


def _moment(day: date) -> datetime:
    return at(day, 9)


@pytest.mark.django_db
def test_first_contact_overdue_escalates_once_at_the_right_moment(announce: Callable[..., Handover]) -> None:
    discharge = timezone.localdate() - timedelta(days=1)
    handover = announce(discharge_on=discharge)
    assert handover.first_contact_due == discharge + timedelta(days=5)
    last_day = handover.first_contact_due
    assert handover_first_contact_sweep(at(last_day, 23))["escalated"] == 0
    counts = handover_first_contact_sweep(_moment(last_day + timedelta(days=1)))
    assert counts == {"escalated": 1, "not_accepted": 1, "notifications": counts["notifications"]}
    handover.refresh_from_db()
    assert handover.escalated_at is not None and handover.status == HandoverStatus.ANNOUNCED
    people = {n.recipient.username for n in Notification.objects.filter(kind="handover_overdue") if n.recipient}
    assert people == {"coordinator", "ggz"}
    subjects = {n.subject for n in Notification.objects.filter(kind="handover_overdue")}
    assert subjects and all(subject.endswith(": eerste contact 1 dag te laat") for subject in subjects), subjects
    # Once per rung: nothing more until the next step, one working day later; then the municipality.
    assert handover.next_step_at is not None and handover.escalation_level == 1
    assert handover_first_contact_sweep(_moment(last_day + timedelta(days=1)))["escalated"] == 0
    assert handover_first_contact_sweep(handover.next_step_at)["escalated"] == 0
    second = handover.next_step_at + TICK
    assert handover_first_contact_sweep(second)["escalated"] == 1
    handover.refresh_from_db()
    assert handover.escalation_level == 2 and handover.first_contact_due == last_day
    level_2 = Notification.objects.filter(kind="handover_overdue", dedupe_key__contains=f":{handover.pk}:2:")
    assert {n.recipient.username for n in level_2 if n.recipient} == {"regie"}
    late = (timezone.localdate(second) - last_day).days
    days = "1 dag" if late == 1 else f"{late} dagen"
    assert all(n.subject.endswith(f": eerste contact {days} te laat") for n in level_2), [n.subject for n in level_2]


@pytest.mark.django_db
def test_no_escalation_once_first_contact_happened(announce: Callable[..., Handover]) -> None:
    discharge = timezone.localdate() - timedelta(days=2)
    handover = announce(discharge_on=discharge)
    handover = handover_accept(
        handover=handover,
        steward=user("waakvlammer"),
        by=user("coordinator"),
        actor=actor_of("coordinator"),
        now=timezone.now(),
    )
    assert handover.contact_plan is not None
    contact_record(
        plan=handover.contact_plan,
        data=MomentInput(timezone.localdate(), "visit", True, "fine"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    assert handover_first_contact_sweep(_moment(discharge + timedelta(days=30)))["escalated"] == 0


@pytest.mark.django_db(transaction=True)
def test_worker_once_shows_the_handover_sweep() -> None:
    from waakvlam.demo.services import demo_load_town
    from waakvlam.handover.services import HandoverInput, handover_announce
    from waakvlam.households.services import AddressInput

    demo_load_town()
    postcode_areas()
    discharge = timezone.localdate()
    handover_announce(
        data=HandoverInput(discharge_on=discharge, address=AddressInput("9921CD", 3), resident_name="Ans Vos"),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=timezone.now(),
    )
    out = StringIO()
    call_command("worker", "--once", "--now", (discharge + timedelta(days=7)).isoformat() + "T09:00", stdout=out)
    assert "handover_first_contact.escalated=1, handover_first_contact.not_accepted=1" in out.getvalue()


@pytest.mark.django_db
def test_the_escalation_counts_late_days_in_the_right_plural(announce: Callable[..., Handover]) -> None:
    handover = announce(discharge_on=timezone.localdate() - timedelta(days=1))
    assert handover_first_contact_sweep(_moment(handover.first_contact_due + timedelta(days=4)))["escalated"] == 1
    subjects = {n.subject for n in Notification.objects.filter(kind="handover_overdue")}
    assert subjects and all(s.endswith(": eerste contact 4 dagen te laat") for s in subjects), subjects
