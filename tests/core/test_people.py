"""People are shown by name (or their role), never by username; one helper for it, used by every template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import user
from waakvlam.core.models import Municipality
from waakvlam.core.people import person_name

TEMPLATES = Path(__file__).resolve().parents[2] / "waakvlam"
# Where a username is the point: the login field, the user's own account page, the admin's user list.
USERNAME_ALLOWED = {"core/login.html", "core/account.html", "core/admin/user_list.html"}


@pytest.mark.django_db
def test_a_person_is_their_name_else_their_role(town: Municipality) -> None:
    steward = user("waakvlammer")
    assert person_name(steward) == steward.get_full_name() and steward.get_full_name()
    steward.first_name = steward.last_name = ""
    with translation.override("nl"):
        assert person_name(steward) == "Waakvlammer"
        shown = Template("{% load ui %}{{ who|persoon }}").render(Context({"who": steward}))
    assert shown == "Waakvlammer" and steward.username not in shown
    assert person_name(None) == "—"


def test_no_template_shows_a_username() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        name = path.as_posix().split("/templates/", 1)[1]
        if name in USERNAME_ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {m.group(0)}" for m in re.finditer(r"[\w.]*\.username\b", text)]
    assert not found, "show a person with |persoon (core/people.py), not the username:\n" + "\n".join(found)
