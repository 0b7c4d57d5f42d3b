"""Role-aware navigation: each role sees the screens it may use, nothing more.

The menu names other apps' screens by URL name only, and a finer check than the role by dotted path (core
imports none of them); a screen whose app is not installed is left out rather than breaking every page. The views still check permissions themselves:
the menu only decides what is worth showing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from waakvlam.core.roles import Role

ALL_ROLES = frozenset(Role.values)
INBOX_ROLES = frozenset({Role.STEWARD, Role.COORDINATOR, Role.PARTNER})


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    roles: frozenset[str]
    also_current: frozenset[str] = frozenset()  # other screens that belong under this item
    # A finer check than the role, by dotted path (core imports no other app): the user -> bool.
    allowed: str = ""


NAV_ITEMS: list[NavItem] = [
    NavItem("core:home", _("Start"), ALL_ROLES),
    NavItem("routing:inbox", _("Inbox"), INBOX_ROLES, frozenset({"routing:team_inbox"})),
    NavItem(
        "intake:signal_list",
        _("Signalen"),
        INBOX_ROLES,
        frozenset({"intake:signal_detail", "routing:signal_claim", "routing:signal_transfer", "routing:signal_close"}),
    ),
    NavItem(
        "intake:signal_create",
        _("Signaal melden"),
        INBOX_ROLES | {Role.SIGNALLER},
        frozenset({"intake:signal_create_done"}),
    ),
    NavItem(
        "intake:import_upload",
        _("Importeren"),
        frozenset({Role.COORDINATOR, Role.ADMIN, Role.SIGNALLER, Role.PARTNER}),
        frozenset({"intake:import_detail"}),
        allowed="waakvlam.intake.import_jobs.may_import",
    ),
    NavItem(
        "contact:my_residents",
        _("Mijn bewoners"),
        INBOX_ROLES,
        frozenset(
            {
                "contact:plan_detail",
                "contact:plan_create",
                "contact:plan_edit",
                "contact:plan_close",
                "contact:early_warning_plan",
                "contact:early_warning_plan_edit",
                "contact:early_warning_plan_print",
                "contact:resident_consents",
            }
        ),
    ),
    NavItem("handover:list", _("Overdrachten"), INBOX_ROLES, frozenset({"handover:detail", "handover:create"})),
    NavItem("contact:consent_list", _("Toestemmingen"), INBOX_ROLES, frozenset({"contact:consent_revoke"})),
    NavItem(
        "socialmap:find",
        _("Sociale kaart"),
        INBOX_ROLES | {Role.ADMIN},
        frozenset({"socialmap:service", "socialmap:referral_create"}),
    ),
    NavItem(
        "socialmap:referral_list",
        _("Verwijzingen"),
        INBOX_ROLES,
        frozenset({"socialmap:referral_detail"}),
    ),
    NavItem(
        "socialmap:keeper_home",
        _("Mijn activiteiten"),
        frozenset({Role.ACTIVITY_KEEPER}),
        frozenset({"socialmap:keeper_edit", "socialmap:referral_detail"}),
    ),
    NavItem("socialmap:moderation", _("Moderatie sociale kaart"), frozenset({Role.ADMIN})),
    NavItem("contact:team", _("Team"), frozenset({Role.COORDINATOR})),
    NavItem("routing:stuck", _("Vastgelopen signalen"), frozenset({Role.MUNICIPALITY})),
    NavItem(
        "routing:rule_list",
        _("Routering"),
        frozenset({Role.COORDINATOR, Role.ADMIN}),
        frozenset({"routing:rule_create", "routing:rule_edit"}),
    ),
    NavItem("privacy:access_log", _("Toegangslog"), frozenset({Role.PRIVACY_OFFICER})),
    NavItem(
        "households:resident_search",
        _("Inzageverzoeken"),
        frozenset({Role.PRIVACY_OFFICER}),
        frozenset({"households:resident_export"}),
    ),
    NavItem("notify:list", _("Meldingen"), ALL_ROLES),
    NavItem("core:account", _("Mijn account"), ALL_ROLES, frozenset({"core:two_factor_setup"})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles or (item.allowed and not import_string(item.allowed)(user)):
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
            }
        )
    return {"nav_items": items}
