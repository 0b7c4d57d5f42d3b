"""Who may do what in routing: act on signals, read the inboxes, manage the rules (the stuck page: followup).

Acting on a signal is answered from intake's visibility selector, so "may see" and "may act" never disagree.
"""

from __future__ import annotations

from typing import Any

import rules

from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, Municipality, User
from waakvlam.core.roles import CARE_ROLES, SETUP_ROLES
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to


def _is_person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def user_may_act(user: User, signal: Signal) -> bool:
    if not _is_person(user) or user.role not in CARE_ROLES:
        return False
    return signals_visible_to(user).filter(pk=signal.pk).exists()


def api_key_may_read(api_key: ApiKey, signal: Signal) -> bool:
    return scopes.SIGNALS_READ in api_key.scopes and signal.owner_team.organisation_id == api_key.organisation_id


def api_key_may_write(api_key: ApiKey, signal: Signal) -> bool:
    return api_key_may_read(api_key, signal) and scopes.SIGNALS_WRITE in api_key.scopes


def uses_inbox(user: User) -> bool:
    return _is_person(user) and bool(user.organisation_id) and user.role in CARE_ROLES


def may_manage_rules(user: User, municipality: Municipality | int | None = None) -> bool:
    """Coordinators and functional admins, for their own municipality only."""
    if not _is_person(user) or user.role not in SETUP_ROLES or not user.organisation_id:
        return False
    if municipality is None:
        return True
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return user.municipality_id == municipality_id


@rules.predicate
def _can_act_on_signal(user: User, signal: Signal | None) -> bool:
    return signal is not None and user_may_act(user, signal)


@rules.predicate
def _can_manage_rules(user: User, municipality: Municipality | None) -> bool:
    return may_manage_rules(user, municipality)


rules.add_perm("routing.act_on_signal", _can_act_on_signal)
rules.add_perm("routing.manage_rules", _can_manage_rules)
