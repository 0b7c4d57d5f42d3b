"""Handover's answers to contact's hooks (contact/hooks.py), registered in apps.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import User
from waakvlam.handover.selectors import handover_overlap_plan_ids, handover_party_resident_ids, handovers_visible_to
from waakvlam.handover.services import handover_first_contact_from_plan, handovers_inform_housing_for


def overlap_plan_ids(organisation_id: int, today: date) -> Any:
    """The sending clinic or shelter sees the contact plan during the overlap period."""
    return handover_overlap_plan_ids(organisation_id, today)


def party_resident_ids(user: User, now: datetime | None) -> Any:
    """A party to a handover may change the resident's early-warning plan and consents."""
    return handover_party_resident_ids(user, now)


def visible_resident_ids(user: User, now: datetime | None) -> Any:
    return handovers_visible_to(user, now).values("resident_id")


def first_contact_from_plan(plan: ContactPlan, happened_on: date, by: User, now: datetime) -> int:
    return handover_first_contact_from_plan(plan=plan, happened_on=happened_on, by=by, now=now)


def inform_housing(resident_id: int, now: datetime) -> int:
    return handovers_inform_housing_for(resident_id=resident_id, now=now)


def plan_page_handovers(user: User, plan: ContactPlan, now: datetime) -> dict[str, Any]:
    return {"handovers": handovers_visible_to(user, now).filter(contact_plan=plan).select_related("from_organisation")}
