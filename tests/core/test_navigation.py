"""The main menu, pinned per role: which screens, in which order, with which label, and which sub-screens
mark an item as the current section.

Written against the hand-kept list in core before the menu was composed from the apps' registrations
(issue 13), so the move could not change what anyone sees.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation

from waakvlam.core.context_processors import navigation
from waakvlam.core.models import Municipality, Organisation, User
from waakvlam.core.roles import Role

# Each item's Dutch label and the sub-screens under it (aria-current="true" there).
ITEMS: dict[str, tuple[str, list[str]]] = {
    "core:home": ("Start", []),
    "routing:inbox": ("Inbox", ["routing:team_inbox"]),
    "intake:signal_list": (
        "Signalen",
        ["intake:signal_detail", "routing:signal_claim", "routing:signal_close", "routing:signal_transfer"],
    ),
    "intake:signal_create": ("Signaal melden", ["intake:signal_create_done"]),
    "intake:import_upload": ("Importeren", ["intake:import_detail"]),
    "contact:my_residents": (
        "Mijn bewoners",
        [
            "contact:early_warning_plan",
            "contact:early_warning_plan_edit",
            "contact:early_warning_plan_print",
            "contact:plan_close",
            "contact:plan_create",
            "contact:plan_detail",
            "contact:plan_edit",
            "contact:resident_consents",
        ],
    ),
    "handover:list": ("Overdrachten", ["handover:create", "handover:detail"]),
    "attention:list": (
        "Aandacht",
        ["attention:detail", "attention:dismiss", "attention:register", "attention:take_up"],
    ),
    "attention:configuration": ("Aandachtsregels", []),
    "contact:consent_list": ("Toestemmingen", ["contact:consent_revoke"]),
    "cases:conference_list": (
        "Casusoverleg",
        [
            "cases:area_create",
            "cases:area_detail",
            "cases:area_list",
            "cases:conference_create",
            "cases:conference_detail",
            "cases:conference_scope",
            "cases:figures",
            "cases:spike_detail",
        ],
    ),
    "cases:task_list": ("Taken", ["cases:task_detail"]),
    "network:my_people": ("Mijn mensen", []),
    "socialmap:find": ("Sociale kaart", ["socialmap:referral_create", "socialmap:service"]),
    "socialmap:referral_list": ("Verwijzingen", ["socialmap:referral_detail"]),
    "socialmap:keeper_home": ("Mijn activiteiten", ["socialmap:keeper_edit", "socialmap:referral_detail"]),
    "socialmap:moderation": ("Moderatie sociale kaart", []),
    "contact:team": ("Team", []),
    "routing:stuck": ("Vastgelopen signalen", []),
    "insight:dashboard": ("Wijkinzicht", []),
    "routing:rule_list": ("Routering", ["routing:rule_create", "routing:rule_edit"]),
    "privacy:access_log": ("Toegangslog", []),
    "households:resident_search": ("Inzageverzoeken", ["households:resident_export"]),
    "core:admin_users": (
        "Gebruikers",
        ["core:admin_user_edit", "core:admin_user_invite", "core:admin_user_two_factor"],
    ),
    "core:admin_teams": ("Teams", ["core:admin_team_create", "core:admin_team_edit"]),
    "core:admin_organisations": ("Organisaties", ["core:admin_organisation_create", "core:admin_organisation_edit"]),
    "notify:list": ("Berichten", []),
    "core:account": ("Mijn account", ["core:two_factor_setup"]),
}

CARE = [
    "core:home",
    "routing:inbox",
    "intake:signal_list",
    "intake:signal_create",
    "contact:my_residents",
    "handover:list",
    "attention:list",
    "contact:consent_list",
    "cases:conference_list",
    "cases:task_list",
    "socialmap:find",
    "socialmap:referral_list",
    "notify:list",
    "core:account",
]
END = ["notify:list", "core:account"]

# Every demo user (one or more per role) plus the two light roles, each menu in order.
MENUS: dict[str, list[str]] = {
    "beheer": [
        "core:home",
        "intake:import_upload",
        "attention:configuration",
        "socialmap:find",
        "socialmap:moderation",
        "routing:rule_list",
        "core:admin_users",
        "core:admin_teams",
        "core:admin_organisations",
        *END,
    ],
    "budgetcoach": CARE,
    "waakvlammer": CARE,
    "waakvlammer2": CARE,
    "wijkteamer": CARE,
    "coordinator": [
        *CARE[:4],
        "intake:import_upload",
        *CARE[4:12],
        "contact:team",
        "insight:dashboard",
        "routing:rule_list",
        *END,
    ],
    # The partner sees no attention items; its organisation's own figures, yes.
    "ggz": [*(n for n in CARE[:12] if n != "attention:list"), "insight:dashboard", *END],
    "privacy": ["core:home", "privacy:access_log", "households:resident_search", *END],
    "regie": ["core:home", "cases:conference_list", "routing:stuck", "insight:dashboard", *END],
    # The housing association delivers arrears files and may import; the police officer may not.
    "signaleerder": [
        "core:home",
        "intake:signal_create",
        "intake:import_upload",
        "cases:conference_list",
        "cases:task_list",
        *END,
    ],
    "wijkagent": ["core:home", "intake:signal_create", "cases:conference_list", "cases:task_list", *END],
    "keeper": ["core:home", "socialmap:keeper_home", *END],
    "buddy": ["network:my_people", *END],
}


@pytest.fixture
def people(town: Municipality) -> dict[str, User]:
    for username, role in (("keeper", Role.ACTIVITY_KEEPER), ("buddy", Role.INFORMAL_SUPPORTER)):
        User.objects.create(
            username=username,
            role=role,
            organisation=Organisation.objects.get(slug="buurtkamer"),
            password=make_password("x"),
        )
    return {user.username: user for user in User.objects.all()}


def _dutch_labels(items: list[dict[str, object]]) -> list[str]:
    # The labels are lazy: read them in Dutch, whatever language an earlier test left active.
    with translation.override("nl"):
        return [str(item["label"]) for item in items]


def _menu(user: User, current: str = "") -> list[dict[str, object]]:
    request = RequestFactory().get("/")
    request.user = user
    request.resolver_match = SimpleNamespace(view_name=current) if current else None  # type: ignore[assignment]
    return list(navigation(request)["nav_items"])


@pytest.mark.django_db
def test_every_role_sees_the_pinned_menu_in_order(people: dict[str, User]) -> None:
    assert set(people) == set(MENUS), "a demo user without a pinned menu"
    assert {user.role for user in people.values()} == set(Role.values)
    for username, expected in MENUS.items():
        items = _menu(people[username])
        labels = _dutch_labels(items)
        assert [item["name"] for item in items] == expected, username
        assert labels == [ITEMS[name][0] for name in expected], username
        assert [item["url"] for item in items] == [reverse(name) for name in expected], username
        assert all(item["current"] == "" for item in items)


@pytest.mark.django_db
def test_a_screen_and_its_sub_screens_mark_their_item(people: dict[str, User]) -> None:
    assert set(ITEMS) == {name for menu in MENUS.values() for name in menu}
    for name, (_label, sub_screens) in ITEMS.items():
        username = next(u for u, menu in MENUS.items() if name in menu)
        for current, mark in [(name, "page"), *((sub, "true") for sub in sub_screens)]:
            marks = {item["name"]: item["current"] for item in _menu(people[username], current)}
            assert marks[name] == mark, (name, current)
            assert [n for n, m in marks.items() if m and n != name] == [] or current == "socialmap:referral_detail"


def test_anonymous_visitors_get_no_menu() -> None:
    request = RequestFactory().get("/")
    request.user = SimpleNamespace(is_authenticated=False)  # type: ignore[assignment]
    assert navigation(request) == {"nav_items": []}


def _other_apps_url_names() -> set[str]:
    resolver = get_resolver()
    return {
        f"{namespace}:{name}"
        for namespace, (_prefix, sub) in resolver.namespace_dict.items()
        if namespace != "core"
        for name in sub.reverse_dict
        if isinstance(name, str)
    }


def test_core_names_no_other_apps_url() -> None:
    """core composes the menu from what the apps register: its code and its page frame (base.html and the
    other templates core renders, the start page's frame too: core/start_page.py composes it from the parts the
    apps register) name none of their screens, not even as a string."""
    core = Path(__file__).resolve().parents[2] / "waakvlam" / "core"
    names = _other_apps_url_names()
    assert {"routing:inbox", "notify:list", "intake:import_upload"} <= names
    found = []
    for path in sorted(core.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(core)}: {node.value}")
    for path in sorted(core.rglob("*.html")):
        quoted = re.findall(r"""["']([a-z_]+:[a-z_]+)["']""", path.read_text())
        found += [f"{path.relative_to(core)}: {name}" for name in quoted if name in names]
    assert found == []
