"""Each role's start page, composed from the parts the apps register from their AppConfig.ready().

As with the menu (core/nav.py), core names none of the other apps' screens. An app registers, for the roles
it concerns:
- a context (`register_start_context`): the user and `now` -> template context. Every context of the role
  is built once per page and shared by all its parts, so two parts showing one figure (the steward's
  "Signalen oppakken (3 nieuw)" button and the counts below it) cost one query, not two. If the context
  names residents, its `log_reads` writes the access-log entries for them, as any list of residents does;
- parts (`register_start_part`): a template in the app's own templates folder, placed by `area` and `order`.
  "heading" parts come first, then the "actions" (one paragraph of buttons, the first screen on a phone),
  then the "main" parts;
- the page's title (`register_start_title`), or a screen to go to instead (`register_start_redirect`).
The views behind the parts check permissions themselves; the contexts read through the apps' selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise

from waakvlam.core.models import User

__all__ = [
    "StartContext",
    "StartPart",
    "home",
    "register_start_context",
    "register_start_part",
    "register_start_redirect",
    "register_start_title",
    "start_page_for",
    "start_parts",
]

Area = Literal["heading", "actions", "main"]
AREAS: tuple[Area, ...] = ("heading", "actions", "main")
ContextBuilder = Callable[[User, datetime], dict[str, Any]]
ReadLogger = Callable[[HttpRequest, dict[str, Any]], None]


@dataclass(frozen=True)
class StartPart:
    template: str
    roles: frozenset[str]
    order: int  # lower first, within its area
    area: Area = "main"


@dataclass(frozen=True)
class StartContext:
    name: str
    build: ContextBuilder
    roles: frozenset[str]
    log_reads: ReadLogger | None = None


_PARTS: dict[tuple[str, frozenset[str]], StartPart] = {}
_CONTEXTS: dict[str, StartContext] = {}
_TITLES: dict[str, Promise] = {}
_REDIRECTS: dict[str, str] = {}


def register_start_part(template: str, *, roles: Iterable[str], order: int, area: Area = "main") -> None:
    """Show a template on the roles' start pages; the same template for the same roles again replaces it."""
    if area not in AREAS:
        raise ValueError(f"no area {area!r} on a start page")
    part = StartPart(template=template, roles=frozenset(roles), order=order, area=area)
    _PARTS[(part.template, part.roles)] = part


def register_start_context(
    name: str, build: ContextBuilder, *, roles: Iterable[str], log_reads: ReadLogger | None = None
) -> None:
    """Add to the roles' start-page context; registering the same name again replaces it (in its place)."""
    _CONTEXTS[name] = StartContext(name=name, build=build, roles=frozenset(roles), log_reads=log_reads)


def register_start_title(title: Promise, *, roles: Iterable[str]) -> None:
    for role in roles:
        _TITLES[role] = title


def register_start_redirect(url_name: str, *, roles: Iterable[str]) -> None:
    """A light role whose start is one screen of its own goes there instead."""
    for role in roles:
        _REDIRECTS[role] = url_name


def start_parts(role: str) -> dict[Area, list[StartPart]]:
    """The role's parts by area, each area in order."""
    parts = sorted((p for p in _PARTS.values() if role in p.roles), key=lambda p: (p.order, p.template))
    return {area: [p for p in parts if p.area == area] for area in AREAS}


def _contexts(role: str) -> list[StartContext]:
    return [c for c in _CONTEXTS.values() if role in c.roles]


def start_page_for(user: User, now: datetime | None = None) -> dict[str, Any]:
    """The template context of the user's start page: every registered context of their role, merged."""
    now = now or timezone.now()
    context: dict[str, Any] = {"role_label": user.get_role_display()}
    for registered in _contexts(user.role):
        built = registered.build(user, now)
        clash = context.keys() & built.keys()
        if clash:
            raise ValueError(f"start-page context {registered.name!r} repeats {sorted(clash)}")
        context.update(built)
    return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role in _REDIRECTS:
        return redirect(_REDIRECTS[user.role])
    context = start_page_for(user)
    for registered in _contexts(user.role):
        if registered.log_reads is not None:
            registered.log_reads(request, context)
    return render(
        request,
        "core/start_page.html",
        {**context, "start_title": _TITLES.get(user.role), "start_parts": start_parts(user.role)},
    )
