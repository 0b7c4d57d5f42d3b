"""Object permissions for handovers, answered from the selectors the lists use."""

from __future__ import annotations

import rules

from waakvlam.core.models import User
from waakvlam.handover import selectors
from waakvlam.handover.models import Handover


@rules.predicate
def can_view_handover(user: User, handover: Handover | None) -> bool:
    return handover is not None and selectors.handovers_visible_to(user).filter(pk=handover.pk).exists()


@rules.predicate
def can_change_handover(user: User, handover: Handover | None) -> bool:
    return handover is not None and selectors.handovers_changeable_by(user).filter(pk=handover.pk).exists()


rules.add_perm("handover.view_handover", can_view_handover)
rules.add_perm("handover.change_handover", can_change_handover)
