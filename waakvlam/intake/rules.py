"""Object permissions for signals, answered from the same selector the lists use, so the two can never disagree."""

from __future__ import annotations

import rules

from waakvlam.core.models import User
from waakvlam.core.roles import SETUP_ROLES, OrganisationKind, Role
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to


@rules.predicate
def can_view_signal(user: User, signal: Signal | None) -> bool:
    if signal is None:
        return False
    return signals_visible_to(user).filter(pk=signal.pk).exists()


rules.add_perm("intake.view_signal", can_view_signal)


# Who may upload a file of signals (the bulkimport app; intake's signal form links to it).
# Organisations that deliver arrears files (creditors); their signallers and partners may upload them.
ARREARS_DELIVERERS = frozenset({OrganisationKind.HOUSING_ASSOCIATION, OrganisationKind.UTILITY})


def may_import(user: object) -> bool:
    """Coordinators and functional admins of any organisation, and signallers and partner professionals
    of organisations that deliver arrears files; always for their own organisation only."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    assert isinstance(user, User)
    if not user.organisation_id or user.organisation is None:
        return False
    if user.role in SETUP_ROLES:
        return True
    return user.role in {Role.SIGNALLER, Role.PARTNER} and user.organisation.kind in ARREARS_DELIVERERS
