"""Role-aware navigation: each role sees the screens it may use, nothing more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waakvlam.core.roles import Role

# (url name, label, roles that see it)
NAV_ITEMS: list[tuple[str, Any, frozenset[str]]] = [
    ("core:home", _("Start"), frozenset(Role.values)),
    ("intake:signal_list", _("Signalen"), frozenset({Role.STEWARD, Role.COORDINATOR, Role.PARTNER})),
    ("privacy:access_log", _("Toegangslog"), frozenset({Role.PRIVACY_OFFICER})),
    ("core:account", _("Mijn account"), frozenset(Role.values)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label, roles in NAV_ITEMS
        if user.role in roles
    ]
    return {"nav_items": items}
