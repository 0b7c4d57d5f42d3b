"""Role-aware navigation: each role sees the screens it may use, nothing more.

The items come from the apps' own registrations (core/nav.py); this only composes what is registered for
the user's role. A registered screen whose URL is not routed (its urls left out) is left out rather than
breaking every page. The views still check permissions themselves: the menu only decides what is worth
showing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from waakvlam.core.nav import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for item in nav_items():
        if user.role not in item.roles or (item.allowed is not None and not item.allowed(user)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "name": item.url_name,
                "url": url,
                "label": item.label,
                # aria-current: "page" on the screen itself, "true" on the section a sub-screen belongs to.
                "current": "page" if current == item.url_name else "true" if current in item.also_current else "",
                "badge": item.badge(user) if item.badge is not None else 0,
            }
        )
    return {"nav_items": items}
