from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, plan_for
from tests.factories import signal_for, team, user
from waakvlam.cases.models import CaseConference, Participant, Scope, SharingBasis, Task
from waakvlam.cases.services import ConveneInput, InviteInput, conference_convene, participant_invite
from waakvlam.cases.tasks import TaskInput, task_create
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality, Organisation
from waakvlam.households.models import Household, Resident


@dataclass
class CaseWorld:
    """A household in Binnenstad (team Centrum-Oost) with two signals and a contact plan kept by waakvlammer;
    a case convened by waakvlammer with woonstede's signaleerder (no scopes, consent) and ggz (signals and
    contact plan, legal task) invited, and one open task for woonstede."""

    household: Household
    resident: Resident
    plan: ContactPlan
    conference: CaseConference
    housing: Participant
    ggz: Participant
    task: Task


def convene(household: Household, resident: Resident | None = None, by: str = "waakvlammer") -> CaseConference:
    return conference_convene(
        household=household,
        data=ConveneInput(
            question="Huurachterstand en overlast: wie doet wat?",
            meets_on=timezone.localdate(),
            resident_takes_part=True,
            network_takes_part=False,
            without_resident_reason="Bewoner wil geen familie erbij.",
            resident=resident,
        ),
        by=user(by),
        actor=actor_of(by),
        now=timezone.now(),
    )


def invite(
    conference: CaseConference, username: str, scopes: set[str], basis: str = SharingBasis.CONSENT
) -> Participant:
    return participant_invite(
        conference=conference,
        data=InviteInput(
            user=user(username),
            basis=basis,
            basis_note="Wmo 2015" if basis == "legal_task" else "",
            scopes=frozenset(scopes),
        ),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )


def give_task(
    conference: CaseConference, org: str = "woonstede", owner: str | None = "signaleerder", days: int = 7
) -> Task:
    return task_create(
        conference=conference,
        data=TaskInput(
            title="Trapverlichting repareren en huurafspraak maken",
            done_means="Lamp werkt en er is een betalingsregeling",
            owner_organisation=Organisation.objects.get(slug=org),
            owner_user=user(owner) if owner else None,
            due_on=timezone.localdate() + timedelta(days=days),
        ),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )


@pytest.fixture
def case_world(town: Municipality) -> CaseWorld:
    plan = plan_for("waakvlammer")
    resident = plan.resident
    household = resident.household
    assert household is not None
    centre = team("Waakvlam Centrum-Oost")
    signal_for(centre, household=household, address=household.address, category="payment_arrears")
    signal_for(centre, household=household, address=household.address, category="nuisance")
    conference = convene(household, resident)
    housing = invite(conference, "signaleerder", set())
    ggz = invite(conference, "ggz", {Scope.SIGNALS, Scope.CONTACT_PLAN}, basis=SharingBasis.LEGAL_TASK)
    task = give_task(conference)
    return CaseWorld(household, resident, plan, conference, housing, ggz, task)
