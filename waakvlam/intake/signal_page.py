"""What apps above intake add to a signal's page, registered from their `AppConfig.ready()`.

Households adds the other signals at the address, its likely duplicates and what it was merged into;
intake never imports households or routing for that. A part is called with the viewer and the signal
(already fetched through get_visible_or_404) and returns template context.

What higher apps *show* on the page they register as sections (core/page_parts.py), one slot each:
contact the plans and early-warning signs at the address, routing the actions, socialmap the collective
offers above the close form (on the page and on routing's close screen). intake's template marks the
slots with `{% page_parts %}` and loads no higher app's tag library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from waakvlam.core.models import User
from waakvlam.core.page_parts import PagePart, register_page_part
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


SLOT_DETAILS = "intake.signal:details"  # under the signal's details
SLOT_END = "intake.signal:end"  # after its history
SLOT_CLOSE = "intake.signal:close"  # just above a close form: the page's actions and the close screen
SLOTS = (SLOT_DETAILS, SLOT_END, SLOT_CLOSE)


def register_signal_page_section(
    slot: str, template: str, context: Callable[[HttpRequest, Signal], dict[str, Any] | None], *, order: int = 500
) -> None:
    if slot not in SLOTS:
        raise ValueError(f"no slot {slot!r} on a signal's page")
    register_page_part(PagePart(slot=slot, template=template, context=context, order=order))
