"""The main menu's items, registered by the apps whose screens they are (from their AppConfig.ready()).

Core names none of the other apps' screens: each app registers its own items (label, URL name, the roles
that see them, a place in the menu), as it registers its sweeps and page parts. An app above another may
also put its own screens under the lower app's item (`register_nav_sub_screens`), so a signal's claim
page (routing) marks "Signalen" (intake) as the current section without intake naming routing. The views
check permissions themselves: the menu only decides what is worth showing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

__all__ = ["NavItem", "nav_items", "register_nav_item", "register_nav_sub_screens"]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise  # gettext_lazy: the label is translated per request
    roles: frozenset[str]
    order: int  # lower first
    also_current: frozenset[str] = frozenset()  # the item's own sub-screens (aria-current="true")
    # A finer check than the role (the user -> bool), e.g. "this organisation delivers files".
    allowed: Callable[[Any], bool] | None = None
    # A count shown beside the label (the user -> int), e.g. unread notifications; 0 shows nothing.
    badge: Callable[[Any], int] | None = None


_ITEMS: dict[str, NavItem] = {}
_SUB_SCREENS: dict[str, frozenset[str]] = {}


def register_nav_item(
    url_name: str,
    label: Promise,
    *,
    roles: Iterable[str],
    order: int,
    also_current: Iterable[str] = (),
    allowed: Callable[[Any], bool] | None = None,
    badge: Callable[[Any], int] | None = None,
) -> None:
    """Add a screen to the menu; registering the same URL name again replaces it (ready() may run twice)."""
    _ITEMS[url_name] = NavItem(
        url_name=url_name,
        label=label,
        roles=frozenset(roles),
        order=order,
        also_current=frozenset(also_current),
        allowed=allowed,
        badge=badge,
    )


def register_nav_sub_screens(url_name: str, sub_screens: Iterable[str]) -> None:
    """Mark a higher app's screens as belonging under a lower app's menu item."""
    _SUB_SCREENS[url_name] = _SUB_SCREENS.get(url_name, frozenset()) | frozenset(sub_screens)


def nav_items() -> list[NavItem]:
    """Every registered item in menu order, each with the sub-screens other apps put under it."""
    items = sorted(_ITEMS.values(), key=lambda item: (item.order, item.url_name))
    return [
        NavItem(
            url_name=item.url_name,
            label=item.label,
            roles=item.roles,
            order=item.order,
            also_current=item.also_current | _SUB_SCREENS.get(item.url_name, frozenset()),
            allowed=item.allowed,
            badge=item.badge,
        )
        for item in items
    ]
