"""Nobody-to-notify never happens: an audience that is nobody falls back along the step's fallback chain."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db.models import Q

from tests.contact.helpers import plan_for, postcode_areas
from tests.factories import other_municipality, signal_for, team
from tests.followup.helpers import MONDAY, TICK, heard, late_handover
from tests.routing.conftest import MONDAY as ROUTING_MONDAY
from waakvlam.core.models import Municipality, User
from waakvlam.core.roles import Role
from waakvlam.followup.kinds import get_kind
from waakvlam.followup.sweep import sweep_kind

pytestmark = pytest.mark.django_db
SIGNALS = "signal_pickup"


def test_no_coordinators_and_no_municipality_people_fall_back_to_the_team(town: Municipality) -> None:
    _, _, other_team, steward = other_municipality()  # its organisation has no coordinator, its town nobody
    signal = signal_for(other_team, received_at=MONDAY - timedelta(days=2), due_at=MONDAY)
    kind = get_kind(SIGNALS)
    assert sweep_kind(kind, MONDAY + TICK)["escalated"] == 1
    assert heard(kind, signal.pk, 1) == {steward.username}
    signal.refresh_from_db()
    assert signal.next_step_at is not None
    counts = sweep_kind(kind, signal.next_step_at + TICK)
    assert counts["escalated"] == 1 and "unnotified" not in counts
    assert heard(kind, signal.pk, 2) == {steward.username}


def test_with_nobody_else_the_functional_admin_hears_it(town: Municipality) -> None:
    municipality, organisation, other_team, steward = other_municipality()
    steward.is_active = False
    steward.save(update_fields=["is_active"])
    admin = User.objects.create_user(
        "beheer-ander", password="x" * 16, organisation=organisation, role=Role.ADMIN, two_factor_exempt=True
    )
    signal = signal_for(other_team, received_at=MONDAY - timedelta(days=2), due_at=MONDAY)
    counts = sweep_kind(SIGNALS, MONDAY + TICK)
    assert counts["escalated"] == 1 and "unnotified" not in counts
    assert heard(get_kind(SIGNALS), signal.pk, 1) == {admin.username}
    assert municipality.pk == signal.municipality_id


def test_a_handover_without_announcer_or_coordinators_still_reaches_someone(town: Municipality) -> None:
    """Before the shared clock a handover with nobody to notify escalated silently."""
    postcode_areas()
    kind = get_kind("handover_first_contact")
    handover = late_handover(random.Random(3), MONDAY)
    kind.model._default_manager.filter(pk=handover.pk).update(created_by=None)
    User.objects.filter(role=Role.COORDINATOR).update(is_active=False)
    moment = MONDAY + timedelta(days=30)
    assert sweep_kind(kind, moment)["escalated"] == 1
    members = set(team("Waakvlam Centrum-Oost").members.filter(is_active=True).values_list("username", flat=True))
    assert members and heard(kind, handover.pk, 1) == members


def test_a_contact_plan_without_coordinators_goes_to_the_backup(town: Municipality) -> None:
    kind = get_kind("contact_overdue")
    plan = plan_for(starts_on=ROUTING_MONDAY.date(), backup="waakvlammer2", now=ROUTING_MONDAY)
    User.objects.filter(Q(role=Role.COORDINATOR)).update(is_active=False)
    assert sweep_kind(kind, ROUTING_MONDAY + timedelta(days=30))["escalated"] == 1
    assert heard(kind, plan.pk, 1) == {"waakvlammer2"}
