from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.hashers import make_password

from tests.contact.helpers import BINNENSTAD, plan_for
from tests.factories import user
from tests.socialmap import factories
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.households.models import Resident
from waakvlam.socialmap import models as m


@dataclass
class Map:
    """A resident of waakvlammer's team, a keeper's collective activity in the resident's neighbourhood,
    and an individual service that GGZ Kompas (a tenant) offers."""

    plan: ContactPlan
    resident: Resident
    keeper: User
    activity: m.Service
    ggz_service: m.Service


@pytest.fixture
def smap(town: Municipality) -> Map:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    keeper = User.objects.create(
        username="buurtkamer",
        role=Role.ACTIVITY_KEEPER,
        organisation=Organisation.objects.get(slug="buurtkamer"),
        password=make_password("x"),
        two_factor_exempt=True,  # like the demo's users: these tests are about referrals, not login
    )
    activity = factories.service(town, name="Koffieochtend", neighbourhood=hood, capacity=2, keeper=keeper)
    ggz = factories.service(
        town,
        name="Inloop GGZ",
        neighbourhood=hood,
        collective=False,
        access=m.Access.REFERRAL,
        free=True,
        need_code="psychisch",
    )
    ggz.organization.tenant = Organisation.objects.get(slug="ggz-kompas")
    ggz.organization.save()
    plan = plan_for("waakvlammer")
    return Map(plan=plan, resident=plan.resident, keeper=keeper, activity=activity, ggz_service=ggz)


def steward() -> User:
    return user("waakvlammer")
