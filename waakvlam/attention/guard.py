"""Checking that a rule reads only what it declares, and only from facts.ALLOWED_FIELDS.

`fields_read` runs a rule on facts whose every object records the attributes read from it. The test suite
runs it for every rule on facts that exercise all of the rule's branches (tests/attention/
test_allowed_fields.py), so a rule that starts reading an undeclared or disallowed field fails the build.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from waakvlam.attention.definitions import RuleDef
from waakvlam.attention.facts import ALLOWED_FIELDS, HouseholdFacts


class _Recording:
    """Stands in for one fact and writes down every attribute a rule reads from it."""

    __slots__ = ("_fact", "_prefix", "_seen")

    def __init__(self, fact: object, prefix: str, seen: set[str]) -> None:
        object.__setattr__(self, "_fact", fact)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name: str) -> Any:
        self._seen.add(f"{self._prefix}.{name}")
        return getattr(self._fact, name)


class _RecordingHousehold(_Recording):
    """The household itself: its three lists are containers, anything else read from it is recorded."""

    def __getattr__(self, name: str) -> Any:
        fact: HouseholdFacts = self._fact
        if name in {"signals", "plans", "handovers"}:
            prefix = {"signals": "signal", "plans": "plan", "handovers": "handover"}[name]
            return tuple(_Recording(item, prefix, self._seen) for item in getattr(fact, name))
        return super().__getattr__(name)


def fields_read(rule: RuleDef, facts: HouseholdFacts, params: Mapping[str, int], today: date) -> set[str]:
    seen: set[str] = set()
    household: Any = _RecordingHousehold(facts, "household", seen)
    rule.evaluate(household, {**rule.defaults(), **params}, today)
    return seen


def reads_problems(rule: RuleDef, facts: HouseholdFacts, today: date) -> list[str]:
    """What is wrong with what `rule` reads: declared fields outside the allowed list, and fields read that
    it did not declare. Empty when all is well."""
    problems = [f"{rule.name} declares {f}, which is not allowed" for f in sorted(rule.reads - ALLOWED_FIELDS)]
    read = fields_read(rule, facts, {}, today)
    problems += [f"{rule.name} reads {f} without declaring it" for f in sorted(read - rule.reads)]
    return problems
