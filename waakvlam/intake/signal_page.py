"""What apps above intake add to a signal's page, registered from their `AppConfig.ready()`.

Households adds the other signals at the address, its likely duplicates and what it was merged into;
intake never imports households or routing for that. A part is called with the viewer and the signal
(already fetched through get_visible_or_404) and returns template context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from waakvlam.core.models import User
from waakvlam.intake.models import Signal

SignalPagePart = Callable[[User, Signal], dict[str, Any]]
_PARTS: list[SignalPagePart] = []


def register_signal_page_part(part: SignalPagePart) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def signal_page_context(user: User, signal: Signal) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _PARTS:
        context.update(part(user, signal))
    return context
