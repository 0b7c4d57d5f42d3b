"""`waakvlam attention-register` is generated from the rules as configured: a change shows at once."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.attention.configuration import configuration_change
from waakvlam.attention.definitions import RULES
from waakvlam.core.models import Municipality


def register(*args: str) -> str:
    out = StringIO()
    call_command("attention-register", *args, stdout=out)
    return out.getvalue()


def test_the_register_names_every_rule_and_the_register_fields(demodorp: Municipality) -> None:
    entry = json.loads(register("--format", "json"))
    assert entry["organisation"] == "Demodorp (GM9999)"
    for key in ("name", "purpose", "rules", "data_used", "human_oversight", "responsible", "how_to_object"):
        assert entry[key], key
    assert [r["name"] for r in entry["rules"]] == [r.name for r in RULES]
    assert all(r["enabled"] and r["version"] == 1 for r in entry["rules"])
    text = register()
    assert "# Aandachtslijst Waakvlam" in text and "in de laatste 90 dagen" in text and "postcode" in text
    assert "Signals from several sources" in register("--language", "en")


def test_a_changed_rule_shows_in_the_register_at_once(demodorp: Municipality) -> None:
    before_md, before = register(), json.loads(register("--format", "json"))
    configuration_change(
        municipality_id=demodorp.pk,
        data={
            "repeated_police": {"enabled": True, "params": {"min_count": 4}},
            "arrears_and_nuisance": {"enabled": False},
        },
        by=user("beheer"),
        note="",
        actor=actor_of("beheer"),
        now=timezone.now(),
    )
    after_md, after = register(), json.loads(register("--format", "json"))
    assert after_md != before_md
    assert (before["configuration_version"], after["configuration_version"]) == (0, 1)
    rules = {r["name"]: r for r in after["rules"]}
    assert rules["repeated_police"]["parameters"]["min_count"] == 4
    assert "ten minste 4 keer" in rules["repeated_police"]["description"]
    assert rules["arrears_and_nuisance"]["enabled"] is False
    assert "(`arrears_and_nuisance`, versie 1; uit)" in after_md
