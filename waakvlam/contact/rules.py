"""Object permissions for the pilot light, answered from the same selectors the lists use, so the two can
never disagree (rules are autodiscovered from each app's rules.py)."""

from __future__ import annotations

import rules

from waakvlam.contact import selectors
from waakvlam.contact.models import Consent, ContactPlan, EarlyWarningPlan
from waakvlam.core.models import User


@rules.predicate
def can_view_plan(user: User, plan: ContactPlan | None) -> bool:
    return plan is not None and selectors.plans_visible_to(user).filter(pk=plan.pk).exists()


@rules.predicate
def can_change_plan(user: User, plan: ContactPlan | None) -> bool:
    return plan is not None and selectors.plans_writable_by(user).filter(pk=plan.pk).exists()


@rules.predicate
def can_view_early_warning_plan(user: User, plan: EarlyWarningPlan | None) -> bool:
    return plan is not None and selectors.early_warning_plans_visible_to(user).filter(pk=plan.pk).exists()


@rules.predicate
def can_change_early_warning_plan(user: User, plan: EarlyWarningPlan | None) -> bool:
    return plan is not None and selectors.early_warning_plans_writable_by(user).filter(pk=plan.pk).exists()


@rules.predicate
def can_view_consent(user: User, consent: Consent | None) -> bool:
    return consent is not None and selectors.consents_visible_to(user).filter(pk=consent.pk).exists()


@rules.predicate
def can_change_consent(user: User, consent: Consent | None) -> bool:
    return consent is not None and selectors.consents_writable_by(user).filter(pk=consent.pk).exists()


rules.add_perm("contact.view_contactplan", can_view_plan)
rules.add_perm("contact.change_contactplan", can_change_plan)
rules.add_perm("contact.view_earlywarningplan", can_view_early_warning_plan)
rules.add_perm("contact.change_earlywarningplan", can_change_early_warning_plan)
rules.add_perm("contact.view_consent", can_view_consent)
rules.add_perm("contact.change_consent", can_change_consent)
