"""The start page is composed from what the apps register (core/start_page.py): every role has one, each
registered template exists, and two apps cannot silently overwrite each other's context."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.template.loader import get_template

from waakvlam.core import start_page
from waakvlam.core.models import Municipality, User
from waakvlam.core.roles import Role


def test_every_role_has_a_start_page_or_a_screen_to_go_to() -> None:
    for role in Role.values:
        parts = start_page.start_parts(role)
        if role in start_page._REDIRECTS:
            assert not any(parts.values()), role
            continue
        assert role in start_page._TITLES, role
        assert sum(len(area) for area in parts.values()) >= 1, role
        for area in parts.values():
            for part in area:
                get_template(part.template)
                assert not part.template.startswith("core/home/"), "each app's parts live in its own folder"


def test_the_steward_page_is_composed_in_the_pinned_order() -> None:
    parts = start_page.start_parts(Role.STEWARD)
    assert [p.template for p in parts["heading"]] == ["routing/start/steward_heading.html"]
    assert [p.template for p in parts["actions"]] == [
        "routing/start/steward_inbox_action.html",
        "contact/start/record_contact_action.html",
    ]
    assert [p.template for p in parts["main"]] == [
        "routing/start/steward_lead.html",
        "contact/_due_today.html",
        "handover/_start_handovers.html",
        "routing/start/inbox_counts.html",
        "cases/start/open_tasks.html",
        "routing/start/first_up.html",
        "routing/start/inbox_button.html",
    ]


@pytest.mark.django_db
def test_two_contexts_naming_one_key_fail_loudly(town: Municipality, monkeypatch: pytest.MonkeyPatch) -> None:
    def again(user: User, now: datetime) -> dict[str, Any]:
        return {"count_new": 0}

    monkeypatch.setitem(
        start_page._CONTEXTS,
        "test.again",
        start_page.StartContext(name="test.again", build=again, roles=frozenset({Role.STEWARD})),
    )
    with pytest.raises(ValueError, match="count_new"):
        start_page.start_page_for(User.objects.get(username="waakvlammer"))


def test_an_unknown_area_is_refused() -> None:
    with pytest.raises(ValueError):
        start_page.register_start_part("x.html", roles={Role.STEWARD}, order=1, area="footer")  # type: ignore[arg-type]
