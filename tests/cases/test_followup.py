"""An overdue task on the one follow-up clock (issue 15): the owner, then the organisation's coordinators,
then the municipality, then "still stuck"; the due date never moves and a task never lacks an owner."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.contact.helpers import actor_of
from tests.factories import address_in, user
from tests.followup.helpers import AMS, TICK, heard
from waakvlam.cases.followups import CASE_TASK
from waakvlam.cases.models import AreaMeeting, CaseConference, Task, TaskEvent
from waakvlam.cases.tasks import task_settle
from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.followup.sweep import followup_sweep, sweep_kind
from waakvlam.households.models import Household, Resident
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db

# Due at the end of Monday 30 November 2026: late from midnight, in a plain working week.
DUE = datetime(2026, 12, 1, 0, 0, tzinfo=AMS)


def _task(org: str = "buurtwerk", person: str | None = "waakvlammer", *, area: bool = False) -> Task:
    organisation = Organisation.objects.get(slug=org)
    convener = user("waakvlammer")
    created = DUE - timedelta(days=7)
    parent: dict[str, object]
    if area:
        parent = {
            "area_meeting": AreaMeeting.objects.create(
                municipality=organisation.municipality,
                neighbourhood=Neighbourhood.objects.get(code="BU99990300"),
                organisation=convener.organisation,
                convened_by=convener,
                topic="Overlast rond het plein",
                meets_on=created.date(),
                created_at=created,
            )
        }
    else:
        hood = Neighbourhood.objects.get(code="BU99990100")
        household = Household.objects.create(
            municipality=hood.municipality, address=address_in(hood), neighbourhood=hood, created_at=created
        )
        resident = Resident.objects.create(
            municipality=hood.municipality, household=household, name="Jan Jansen", created_at=created
        )
        parent = {
            "conference": CaseConference.objects.create(
                municipality=hood.municipality,
                household=household,
                resident=resident,
                organisation=convener.organisation,
                convened_by=convener,
                question="Wie doet wat?",
                meets_on=created.date(),
                resident_takes_part=True,
                network_takes_part=True,
                created_at=created,
            )
        }
    return Task.objects.create(
        municipality=organisation.municipality,
        title="Jan Jansen helpen met de huurachterstand",
        done_means="Er is een betalingsregeling",
        owner_organisation=organisation,
        owner_user=user(person) if person else None,
        due_on=datetime(2026, 11, 30).date(),
        due_at=DUE,
        next_step_at=DUE,
        created_at=created,
        **parent,
    )


def test_an_overdue_task_escalates_at_each_level_at_its_moment(town: Municipality) -> None:
    task = _task()
    assert sweep_kind(CASE_TASK, DUE)["escalated"] == 0  # due exactly now: not late yet
    expected = [{"waakvlammer"}, {"coordinator"}, {"regie"}, {"coordinator", "regie"}, {"coordinator", "regie"}]
    now = DUE + TICK
    for level, who in enumerate(expected, start=1):
        counts = sweep_kind(CASE_TASK, now)
        assert counts["escalated"] == 1
        task.refresh_from_db()
        assert task.escalation_level == level
        assert task.next_step_at == CASE_TASK.calendar.add(now, CASE_TASK.calendar.working_day)
        assert task.due_at == DUE and task.due_on == datetime(2026, 11, 30).date()  # never moved
        assert heard(CASE_TASK, task.pk, level) == who
        assert TaskEvent.objects.filter(task=task, kind="escalated").count() == level
        # Idempotent: the same moment again, and the moment the next step comes due, change nothing.
        notifications = Notification.objects.count()
        assert sweep_kind(CASE_TASK, now)["escalated"] == 0
        assert sweep_kind(CASE_TASK, task.next_step_at)["escalated"] == 0
        assert Notification.objects.count() == notifications
        now = task.next_step_at + TICK
    counts = sweep_kind(CASE_TASK, now)
    assert counts["still_stuck"] == 1


def test_the_followup_sweep_escalates_a_task_with_now(town: Municipality) -> None:
    task = _task()
    result = followup_sweep(DUE + timedelta(hours=1))  # the worker's "followup" sweep, every kind
    assert result["case_task.escalated"] == 1
    assert result["case_task.to_owner"] == 1
    task.refresh_from_db()
    assert task.escalation_level == 1


def test_the_message_names_no_resident_and_an_area_task_its_neighbourhood(town: Municipality) -> None:
    case_task, area_task = _task(), _task(area=True)
    sweep_kind(CASE_TASK, DUE + TICK)
    case_body = Notification.objects.filter(dedupe_key__startswith=f"case_task:{case_task.pk}:1:").first()
    area_body = Notification.objects.filter(dedupe_key__startswith=f"case_task:{area_task.pk}:1:").first()
    assert case_body is not None and area_body is not None
    for note in (case_body, area_body):
        text = note.subject + note.body
        # Named by where it was agreed, never by a counter id.
        assert f"Taak {note.dedupe_key.split(':')[1]}" not in text
        assert note.subject.startswith("Taak uit het ")
        assert Organisation.objects.get(slug="buurtwerk").name in text
        assert "30-11-2026" in text and "niveau 1" in text.lower()
        for secret in ("Jan Jansen", "Teststraat", "huurachterstand", "betalingsregeling"):
            assert secret not in text
    assert "Buurt:" not in case_body.body
    assert case_body.subject.startswith("Taak uit het casusoverleg, uiterlijk klaar ")
    assert area_body.subject.startswith("Taak uit het gebiedsoverleg in ")
    assert f"Buurt: {Neighbourhood.objects.get(code='BU99990300').name}" in area_body.body
    assert case_body.link.endswith(f"/taken/{case_task.public_id}/")


@pytest.mark.parametrize("to", ["done", "dropped"])
def test_a_settled_task_never_escalates(town: Municipality, to: str) -> None:
    task = _task()
    sweep_kind(CASE_TASK, DUE + TICK)
    task_settle(
        task=task, to=to, note="Niet meer nodig", by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=DUE
    )
    for days in (2, 10, 40):
        assert sweep_kind(CASE_TASK, DUE + timedelta(days=days))["escalated"] == 0
    task.refresh_from_db()
    assert task.escalation_level == 1 and TaskEvent.objects.filter(task=task).count() == 1


def test_fallbacks_when_nobody_is_there(town: Municipality) -> None:
    """Woonstede has no coordinators, and this task no owning person: the municipality hears it; without
    the municipality's own people, its functional admin does. Nobody-to-notify never happens."""
    task = _task("woonstede", None)
    counts = sweep_kind(CASE_TASK, DUE + TICK)
    assert "unnotified" not in counts or counts["unnotified"] == 0
    assert heard(CASE_TASK, task.pk, 1) == {"regie"}
    regie = user("regie")
    regie.is_active = False
    regie.save(update_fields=["is_active"])
    task.refresh_from_db()
    sweep_kind(CASE_TASK, task.next_step_at + TICK)
    assert heard(CASE_TASK, task.pk, 2) == {"beheer"}


def test_a_departed_owner_falls_back_to_the_coordinators(town: Municipality) -> None:
    task = _task("buurtwerk", "waakvlammer")
    steward = user("waakvlammer")
    steward.is_active = False
    steward.save(update_fields=["is_active"])
    sweep_kind(CASE_TASK, DUE + TICK)
    assert heard(CASE_TASK, task.pk, 1) == {"coordinator"}


def test_no_task_is_ever_without_an_owner(town: Municipality) -> None:
    task = _task("buurtwerk", "waakvlammer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(owner_organisation=None)
    # The owning person may leave (SET_NULL); the organisation stays, so the task keeps an owner.
    user("waakvlammer").case_tasks.clear()
    task.refresh_from_db()
    assert task.owner_user_id is None and task.owner_organisation_id is not None
    assert not Task.objects.filter(CASE_TASK.open).filter(CASE_TASK.ownerless()).exists()
