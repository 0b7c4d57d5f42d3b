"""Parts of a page that apps above the page's own app add to it, registered from their AppConfig.ready().

The one mechanism for "a higher app shows something on a lower app's page": the lower app's template
marks a slot with `{% load page_parts %}{% page_parts "intake.signal:end" signal %}` and never loads a
higher app's tag library; the higher app registers a `PagePart` for that slot (through the lower app's
own registry, e.g. `intake/signal_page.py`, `contact/hooks.py`). A part's `context` is called with the
request and the page's object (already fetched through get_visible_or_404) and returns its template's
context, or None to show nothing; whatever it reads about a resident it logs itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

__all__ = ["PagePart", "page_parts_render", "register_page_part"]


@dataclass(frozen=True)
class PagePart:
    slot: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 500  # lower first, within a slot


_PARTS: dict[str, list[PagePart]] = {}


def register_page_part(part: PagePart) -> None:
    """Add a part to its slot; registering the same template for the same slot again replaces it."""
    parts = [p for p in _PARTS.get(part.slot, []) if p.template != part.template]
    _PARTS[part.slot] = sorted([*parts, part], key=lambda p: p.order)


def page_parts_render(slot: str, request: HttpRequest | None, obj: Any) -> SafeString:
    """Every part of the slot rendered in order (an empty string when there is none or no request)."""
    if request is None:
        return SafeString("")
    html = []
    for part in _PARTS.get(slot, []):
        context = part.context(request, obj)
        if context is not None:
            html.append(render_to_string(part.template, context, request=request))
    return mark_safe("".join(html))  # noqa: S308 - each piece is an autoescaped template's output
