"""Case conferences through their services: convening records who takes part and why not, the agenda comes
from the household timeline, free text passes the privacy check, tasks always have an owner, and a case
closes only when every task is settled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.cases.conftest import CaseWorld, convene, give_task, invite
from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.cases.errors import Conflict, InvalidInput, NotAllowed, TasksUnsettled
from waakvlam.cases.models import Participant, Task
from waakvlam.cases.selectors import open_tasks, scopes_of, tasks_for_inbox
from waakvlam.cases.services import (
    ConveneInput,
    conference_close,
    conference_convene,
    decision_record,
    director_name,
    minutes_save,
)
from waakvlam.cases.tasks import TaskInput, task_create, task_settle
from waakvlam.cases.workflow import ALLOWED_TASK_CHANGES, TaskStatus, task_may_become
from waakvlam.core.models import Organisation

pytestmark = pytest.mark.django_db


def test_convening_draws_the_agenda_from_the_timeline_and_names_the_convener_director(case_world: CaseWorld) -> None:
    conference = case_world.conference
    assert sorted(a.category for a in conference.agenda.all()) == ["nuisance", "payment_arrears"]
    director = Participant.objects.get(conference=conference, is_director=True)
    assert director.user.username == "waakvlammer"
    assert conference.without_resident_reason == "Bewoner wil geen familie erbij."


def test_without_the_resident_or_network_a_reason_is_required(case_world: CaseWorld) -> None:
    with pytest.raises(InvalidInput) as caught:
        conference_convene(
            household=case_world.household,
            data=ConveneInput("Overleg", timezone.localdate(), resident_takes_part=False, network_takes_part=True),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    assert "without_resident_reason" in caught.value.errors


def test_only_stewards_and_coordinators_who_see_the_household_convene(case_world: CaseWorld) -> None:
    for username in ("waakvlammer2", "ggz", "signaleerder", "regie"):
        with pytest.raises(NotAllowed):
            convene(case_world.household, by=username)
    assert convene(case_world.household, by="coordinator").pk


def test_minutes_and_decisions_pass_the_free_text_check(case_world: CaseWorld) -> None:
    now, by, actor = timezone.now(), user("waakvlammer"), actor_of("waakvlammer")
    with pytest.raises(InvalidInput) as caught:
        minutes_save(
            conference=case_world.conference, text="Bel buurman Jansen op 06-12345678.", by=by, actor=actor, now=now
        )
    assert "telefoonnummer" in caught.value.errors["minutes"]
    with pytest.raises(InvalidInput):
        minutes_save(conference=case_world.conference, text="x" * 2001, by=by, actor=actor, now=now)
    minutes_save(conference=case_world.conference, text="Afspraken gemaakt over de huur.", by=by, actor=actor, now=now)
    assert decision_record(
        conference=case_world.conference, text="Corporatie maakt regeling", by=by, actor=actor, now=now
    ).pk


def test_a_task_always_has_an_owning_organisation_and_a_participating_one(case_world: CaseWorld) -> None:
    base = {"title": "Iets doen", "done_means": "Het is gedaan", "due_on": timezone.localdate() + timedelta(days=3)}
    for data, field in (
        (TaskInput(owner_organisation=None, **base), "owner_organisation"),  # type: ignore[arg-type]
        (TaskInput(owner_organisation=Organisation.objects.get(slug="politie"), **base), "owner_organisation"),  # type: ignore[arg-type]
        (
            TaskInput(owner_organisation=Organisation.objects.get(slug="woonstede"), owner_user=user("ggz"), **base),
            "owner_user",
        ),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidInput) as caught:
            task_create(
                conference=case_world.conference,
                data=data,
                by=user("waakvlammer"),
                actor=actor_of("waakvlammer"),
                now=timezone.now(),
            )
        assert field in caught.value.errors
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=case_world.task.pk).update(owner_organisation=None)


def test_an_organisation_task_without_a_person_lands_in_the_organisation_inbox(case_world: CaseWorld) -> None:
    task = give_task(case_world.conference, org="ggz-kompas", owner=None)
    assert task in tasks_for_inbox(user("ggz"))
    assert case_world.task in tasks_for_inbox(user("signaleerder"))
    assert case_world.task not in tasks_for_inbox(user("ggz"))
    assert set(open_tasks()) == {task, case_world.task}


def test_task_transitions_follow_the_one_table(case_world: CaseWorld) -> None:
    assert ALLOWED_TASK_CHANGES[TaskStatus.DONE] == frozenset()
    assert task_may_become(TaskStatus.OPEN, TaskStatus.DONE) and not task_may_become(TaskStatus.DONE, TaskStatus.OPEN)
    now = timezone.now()
    done = task_settle(
        task=case_world.task, to=TaskStatus.DONE, by=user("signaleerder"), actor=actor_of("signaleerder"), now=now
    )
    assert (done.status, done.settled_by, done.next_step_at) == (TaskStatus.DONE, user("signaleerder"), None)
    assert done.due_on == case_world.task.due_on  # never moved
    with pytest.raises(Conflict):
        task_settle(
            task=done,
            to=TaskStatus.DROPPED,
            note="Toch niet",
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )


def test_dropping_needs_a_reason_and_outsiders_may_not_settle(case_world: CaseWorld) -> None:
    now = timezone.now()
    with pytest.raises(InvalidInput):
        task_settle(
            task=case_world.task, to=TaskStatus.DROPPED, by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=now
        )
    for outsider in ("wijkagent", "waakvlammer2", "regie", "ggz"):
        with pytest.raises(NotAllowed):
            task_settle(task=case_world.task, to=TaskStatus.DONE, by=user(outsider), actor=actor_of(outsider), now=now)


def test_a_case_closes_only_when_every_task_is_done_or_dropped_with_a_reason(case_world: CaseWorld) -> None:
    now, by, actor = timezone.now(), user("waakvlammer"), actor_of("waakvlammer")
    second = give_task(case_world.conference, org="ggz-kompas", owner="ggz")
    with pytest.raises(TasksUnsettled) as caught:
        conference_close(conference=case_world.conference, by=by, actor=actor, now=now)
    assert len(caught.value.open_titles) == 2
    task_settle(
        task=case_world.task, to=TaskStatus.DONE, by=user("signaleerder"), actor=actor_of("signaleerder"), now=now
    )
    with pytest.raises(TasksUnsettled):
        conference_close(conference=case_world.conference, by=by, actor=actor, now=now)
    task_settle(
        task=second, to=TaskStatus.DROPPED, note="Bewoner verhuist", by=user("ggz"), actor=actor_of("ggz"), now=now
    )
    closed = conference_close(conference=case_world.conference, by=by, actor=actor, now=now)
    assert closed.status == "closed" and closed.closed_at == now
    with pytest.raises(Conflict):
        give_task(case_world.conference)


def test_the_director_can_be_moved_and_runs_the_case(case_world: CaseWorld) -> None:
    director_name(
        conference=case_world.conference,
        participant=case_world.ggz,
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    assert list(Participant.objects.filter(conference=case_world.conference, is_director=True)) == [case_world.ggz]
    # ggz now directs: it may give tasks.
    task = task_create(
        conference=case_world.conference,
        data=TaskInput(
            "Nazorg plannen", "Afspraak staat", Organisation.objects.get(slug="ggz-kompas"), timezone.localdate()
        ),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=timezone.now(),
    )
    assert task.owner_organisation.slug == "ggz-kompas"


def test_scopes_follow_the_recorded_basis(case_world: CaseWorld) -> None:
    assert scopes_of(user("signaleerder"), case_world.conference) == set()
    assert scopes_of(user("ggz"), case_world.conference) == {"signals", "contact_plan"}
    assert scopes_of(user("coordinator"), case_world.conference) == {"signals", "contact_plan", "early_warning_plan"}
    assert scopes_of(user("wijkagent"), case_world.conference) == set()
    with pytest.raises(Conflict):
        invite(case_world.conference, "ggz", set())
    with pytest.raises(InvalidInput):
        invite(case_world.conference, "regie", set())
