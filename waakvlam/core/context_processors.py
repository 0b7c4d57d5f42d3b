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

from waakvlam.core.roles import CARE_ROLES, Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    roles: frozenset[str]
    also_current: frozenset[str] = frozenset()  # other screens that belong under this item
    # A finer check than the role, by dotted path (core imports no other app): the user -> bool.
    allowed: str = ""


NAV_ITEMS: list[NavItem] = [
    # The informal supporter's start is their one screen, "Mijn mensen" (PRODUCT.md: a light role).
    NavItem("core:home", _("Start"), ALL_ROLES - {Role.INFORMAL_SUPPORTER}),
    NavItem("routing:inbox", _("Inbox"), CARE_ROLES, frozenset({"routing:team_inbox"})),
    NavItem(
        "intake:signal_list",
        _("Signalen"),
        CARE_ROLES,
        frozenset({"intake:signal_detail", "routing:signal_claim", "routing:signal_transfer", "routing:signal_close"}),
    ),
    NavItem(
        "intake:signal_create",
        _("Signaal melden"),
        CARE_ROLES | {Role.SIGNALLER},
        frozenset({"intake:signal_create_done"}),
    ),
    NavItem(
        "intake:import_upload",
        _("Importeren"),
        frozenset({Role.COORDINATOR, Role.ADMIN, Role.SIGNALLER, Role.PARTNER}),
        frozenset({"intake:import_detail"}),
        allowed="waakvlam.intake.rules.may_import",
    ),
    NavItem(
        "contact:my_residents",
        _("Mijn bewoners"),
        CARE_ROLES,
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
    NavItem("handover:list", _("Overdrachten"), CARE_ROLES, frozenset({"handover:detail", "handover:create"})),
    NavItem(
        "attention:list",
        _("Aandacht"),
        frozenset({Role.STEWARD, Role.COORDINATOR}),
        frozenset({"attention:detail", "attention:take_up", "attention:dismiss", "attention:register"}),
    ),
    NavItem("attention:configuration", _("Aandachtsregels"), frozenset({Role.ADMIN})),
    NavItem("contact:consent_list", _("Toestemmingen"), CARE_ROLES, frozenset({"contact:consent_revoke"})),
    NavItem(
        "cases:conference_list",
        _("Casusoverleg"),
        CARE_ROLES | {Role.SIGNALLER, Role.MUNICIPALITY},
        frozenset(
            {
                "cases:conference_detail",
                "cases:conference_create",
                "cases:conference_scope",
                "cases:figures",
                "cases:area_list",
                "cases:area_detail",
                "cases:area_create",
                "cases:spike_detail",
            }
        ),
    ),
    NavItem("cases:task_list", _("Taken"), CARE_ROLES | {Role.SIGNALLER}, frozenset({"cases:task_detail"})),
    NavItem("network:my_people", _("Mijn mensen"), frozenset({Role.INFORMAL_SUPPORTER})),
    NavItem(
        "socialmap:find",
        _("Sociale kaart"),
        CARE_ROLES | {Role.ADMIN},
        frozenset({"socialmap:service", "socialmap:referral_create"}),
    ),
    NavItem(
        "socialmap:referral_list",
        _("Verwijzingen"),
        CARE_ROLES,
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
        "insight:dashboard",
        _("Wijkinzicht"),
        frozenset({Role.MUNICIPALITY, Role.COORDINATOR, Role.PARTNER}),
        allowed="waakvlam.insight.selectors.may_see_insight",
    ),
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
    NavItem(
        "core:admin_users",
        _("Gebruikers"),
        frozenset({Role.ADMIN}),
        frozenset({"core:admin_user_invite", "core:admin_user_edit", "core:admin_user_two_factor"}),
    ),
    NavItem(
        "core:admin_teams",
        _("Teams"),
        frozenset({Role.ADMIN}),
        frozenset({"core:admin_team_create", "core:admin_team_edit"}),
    ),
    NavItem(
        "core:admin_organisations",
        _("Organisaties"),
        frozenset({Role.ADMIN}),
        frozenset({"core:admin_organisation_create", "core:admin_organisation_edit"}),
    ),
    NavItem("notify:list", _("Berichten"), ALL_ROLES),
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
