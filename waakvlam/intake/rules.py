"""Object permissions for signals, answered from the same selector the lists use, so the two can never disagree."""

from __future__ import annotations

import rules

from waakvlam.core.models import User
from waakvlam.intake.models import Signal
from waakvlam.intake.selectors import signals_visible_to


@rules.predicate
def can_view_signal(user: User, signal: Signal | None) -> bool:
    if signal is None:
        return False
    return signals_visible_to(user).filter(pk=signal.pk).exists()


rules.add_perm("intake.view_signal", can_view_signal)
