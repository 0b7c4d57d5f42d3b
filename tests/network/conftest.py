from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, plan_for, postcode_areas, resident_in
from tests.factories import user
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.households.models import Resident
from waakvlam.network.models import SupporterLink
from waakvlam.network.services import LinkInput, supporter_link_create


@dataclass
class NetworkWorld:
    """`buddy` is linked to Jan (kept by waakvlammer) with consent; `vrijwilliger` to nobody; a second
    resident, Piet, is kept by waakvlammer too but linked to no one."""

    plan: ContactPlan
    resident: Resident
    other: Resident
    link: SupporterLink
    buddy: User
    volunteer: User


def supporter(username: str, org: str | None = "buurtwerk") -> User:
    return User.objects.create_user(
        username,
        password="x" * 16,
        first_name=username.title(),
        role=Role.INFORMAL_SUPPORTER,
        organisation=Organisation.objects.get(slug=org) if org else None,
        two_factor_exempt=True,
    )


@pytest.fixture
def network_world(town: Municipality) -> NetworkWorld:
    postcode_areas()
    plan = plan_for("waakvlammer", resident=resident_in(name="Jan Jansen"))
    other = plan_for("waakvlammer", resident=resident_in(name="Piet Bakker")).resident
    buddy, volunteer = supporter("buddy"), supporter("vrijwilliger")
    link = supporter_link_create(
        resident=plan.resident,
        data=LinkInput(buddy, "buddy", "Mondeling bij huisbezoek", "Houdt van wandelen; bel aan, hij hoort slecht."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    return NetworkWorld(plan, plan.resident, other, link, buddy, volunteer)
