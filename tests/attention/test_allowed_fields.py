"""The build fails when an attention rule reads a field outside the allowed list (SECURITY.md, Explainability).

Three layers: every rule's declared fields are on the list; running every rule on facts that take each of
its branches reads nothing it did not declare; and the projection the rules get holds exactly the allowed
fields (plus the routing-only owner team, which no rule may read), built from columns that say nothing
about the person.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from waakvlam.attention.definitions import RULES, RuleDef
from waakvlam.attention.facts import (
    ALLOWED_FIELDS,
    HANDOVER_COLUMNS,
    PLAN_COLUMNS,
    PROJECTION_FIELDS,
    ROUTING_ONLY,
    SIGNAL_COLUMNS,
    HouseholdFacts,
)
from waakvlam.attention.guard import fields_read, reads_problems

from .helpers import TODAY, facts, handover, plan, sig

# Words that may not appear in any column or field the rules are fed (a column's name split on "_" and ".").
FORBIDDEN = frozenset(
    {
        "name",
        "description",
        "postcode",
        "address",
        "house",
        "birth",
        "nationality",
        "ethnicity",
        "religion",
        "diagnosis",
        "income",
        "amount",
        "months",
        "debtor",
        "phone",
        "email",
        "urgency",
        "neighbourhood",
        "text",
        "note",
    }
)


def rich_facts() -> list[HouseholdFacts]:
    """Households that between them take every branch of every rule."""
    return [
        facts(
            sig(1, source="police", category="nuisance"),
            sig(3, source="police", category="payment_arrears"),
            sig(8, source="resident", category="discharge"),
            sig(20, source="energy", category="eviction_risk"),
            plans=(plan(due_days_ago=10, last_contact_days_ago=30), plan(due_days_ago=5, active=False)),
            handovers=(handover(due_days_ago=2), handover(due_days_ago=9, first_contact_days_ago=1)),
        ),
        facts(sig(8, source="resident", category="discharge"), plans=(plan(due_days_ago=30),)),
        facts(),
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_reads_only_declared_and_allowed_fields(rule: RuleDef) -> None:
    for household in rich_facts():
        assert reads_problems(rule, household, TODAY) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_uses_what_it_declares(rule: RuleDef) -> None:
    """A declaration that claims more than the rule reads would make the register say too much."""
    read: set[str] = set()
    for household in rich_facts():
        read |= fields_read(rule, household, {}, TODAY)
    assert read == rule.reads


def test_the_projection_holds_exactly_the_allowed_fields_and_the_routing_only_team() -> None:
    assert PROJECTION_FIELDS - ROUTING_ONLY == ALLOWED_FIELDS
    assert not any(rule.reads & ROUTING_ONLY for rule in RULES)


def test_nothing_about_the_person_is_read_from_the_database() -> None:
    for column in (*SIGNAL_COLUMNS, *PLAN_COLUMNS, *HANDOVER_COLUMNS, *ALLOWED_FIELDS):
        words = set(re.split(r"[._]+", column))
        assert not words & FORBIDDEN, column


def test_a_rule_reading_an_undeclared_field_is_caught() -> None:
    """The check itself works: a rule that peeks at the owning team, or at a field that is not projected."""

    def peeks_at_team(household, params, today):  # type: ignore[no-untyped-def]
        return tuple(s for s in household.signals if s.owner_team_id == 1), ()

    bad = replace(RULES[0], name="bad", evaluate=peeks_at_team)
    problems = reads_problems(bad, rich_facts()[0], TODAY)
    assert "bad reads signal.owner_team_id without declaring it" in problems

    def peeks_at_urgency(household, params, today):  # type: ignore[no-untyped-def]
        return tuple(s for s in household.signals if s.urgency == "high"), ()

    worse = replace(RULES[0], name="worse", evaluate=peeks_at_urgency)
    with pytest.raises(AttributeError):
        reads_problems(worse, rich_facts()[0], TODAY)

    declared_too_much = replace(RULES[0], name="greedy", reads=RULES[0].reads | {"signal.postcode"})
    assert "greedy declares signal.postcode, which is not allowed" in reads_problems(declared_too_much, facts(), TODAY)
