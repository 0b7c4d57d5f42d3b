from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, early_warning_for, plan_for

# The browser fixtures, for test_accessibility.py (skipped where there is no Chromium).
from tests.e2e.conftest import assert_accessible, browser, log_in, new_page  # noqa: F401
from tests.factories import user
from waakvlam.contact.models import ContactMoment, ContactPlan, EarlyWarningPlan
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Municipality
from waakvlam.households.models import Resident


@dataclass
class World:
    """One resident of team Centrum-Oost: kept by waakvlammer, backed up by the coordinator, with an
    early-warning plan and one contact moment. No consent for anyone else yet."""

    plan: ContactPlan
    resident: Resident
    early_warning: EarlyWarningPlan
    moment: ContactMoment


@pytest.fixture
def world(town: Municipality) -> World:
    plan = plan_for("waakvlammer", backup="coordinator")
    moment = contact_record(
        plan=plan,
        data=MomentInput(timezone.localdate(), "visit", True, "fine", "Koffie gedronken."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    return World(plan=plan, resident=plan.resident, early_warning=early_warning_for(plan.resident), moment=moment)
