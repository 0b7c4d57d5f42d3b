"""The set-based recompute on PostgreSQL gives exactly the items the Python path gives, from the same data:
the demo town (two years of generated signals, contact plans, handovers and a household for every rule),
with decided items, a new signal after a dismissal, and a moment later when windows have passed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import other_municipality, user
from waakvlam.attention.configuration import configuration_change
from waakvlam.attention.facts import HANDOVER_COLUMNS, PLAN_COLUMNS, SIGNAL_COLUMNS
from waakvlam.attention.models import AttentionItem, ItemStatus
from waakvlam.attention.recompute import attention_recompute
from waakvlam.attention.recompute_sql import PROJECTION_SQL, RULE_SQL
from waakvlam.attention.services import item_dismiss, item_take_up
from waakvlam.core.models import Municipality
from waakvlam.demo.services import demo_load
from waakvlam.intake.models import Signal

from .conftest import household_in, signal_at

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def snapshot() -> list[tuple[Any, ...]]:
    return sorted(
        AttentionItem.objects.values_list(
            "household_id", "status", "owner_team_id", "rule_names", "reasons", "seen_signal_id", "config_version"
        ),
        key=repr,
    )


def computed(*, sql: bool, now: datetime) -> list[tuple[Any, ...]]:
    try:
        with transaction.atomic():
            attention_recompute(now=now, sql=sql)
            raise _Rollback(snapshot())
    except _Rollback as result:
        return list(result.args[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's")
def test_sql_and_python_paths_compute_the_same_items() -> None:
    demo_load(households=600, signals=600, seed=11)
    now = timezone.now()
    open_items = list(AttentionItem.objects.filter(status=ItemStatus.OPEN).order_by("pk"))
    assert len(open_items) >= 5
    by, actor = user("coordinator"), actor_of("coordinator")
    item_dismiss(item=open_items[0], reason="Bekend.", by=by, actor=actor, now=now)
    item_dismiss(item=open_items[1], reason="Bekend.", by=by, actor=actor, now=now)
    item_take_up(item=open_items[2], how="outreach", note="", by=by, actor=actor, now=now)
    signal_at(open_items[1].household, at=now, org="politie")  # new after the dismissal: it comes back
    for moment in (now, now + timedelta(days=1), now + timedelta(days=40)):
        python, sql = computed(sql=False, now=moment), computed(sql=True, now=moment)
        assert sql == python
        assert any(row[1] == ItemStatus.OPEN for row in python)
    configuration_change(
        municipality_id=open_items[0].municipality_id,
        data={
            "multiple_sources": {"enabled": True, "params": {"min_sources": 3, "window_days": 60}},
            "repeated_police": {"enabled": False},
        },
        by=user("beheer"),
        note="",
        actor=actor_of("beheer"),
        now=now,
    )
    assert computed(sql=True, now=now) == computed(sql=False, now=now)


def test_every_rule_has_a_statement_and_reads_only_allowed_columns() -> None:
    from waakvlam.attention.definitions import RULES

    assert set(RULE_SQL) == {rule.name for rule in RULES}
    allowed = {
        "s": {c.split("__")[0] for c in SIGNAL_COLUMNS} | {"reporter_organisation_id", "municipality_id", "outcome"},
        "o": {"id", "kind"},
        "p": {"id", "status", "next_contact_due", "last_contact_on", "team_id", "resident_id", "municipality_id"},
        "r": {"id", "household_id"},
        "h": set(HANDOVER_COLUMNS) | {"municipality_id"},
    }
    assert {c.split("__")[0] for c in PLAN_COLUMNS} <= allowed["p"] | {"resident"}
    for statement in PROJECTION_SQL:
        for alias, column in re.findall(r"\b([sophr])\.([a-z_]+)", statement):
            assert column in allowed[alias], f"{alias}.{column}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's")
def test_a_signal_recorded_in_another_municipality_counts_under_the_households_own(
    demodorp: Municipality,
) -> None:
    # A signal reported through a neighbouring municipality's organisation and linked to a Demodorp household
    # carries the other municipality. The Python path counts it with the household (its configuration, its
    # item); the set-based path once counted it under the signal's municipality, and raised no item at all.
    other, _org, _team, _user = other_municipality()
    household = household_in(now=timezone.now())
    now = timezone.now()
    signal_at(household, at=now - timedelta(days=3), org="politie")
    foreign = signal_at(household, at=now - timedelta(days=1), org="woonstede")
    Signal.objects.filter(pk=foreign.pk).update(municipality_id=other.pk)
    python, sql = computed(sql=False, now=now), computed(sql=True, now=now)
    assert sql == python
    (row,) = [r for r in python if r[0] == household.pk]
    assert row[1] == ItemStatus.OPEN and row[3] == "multiple_sources"
    attention_recompute(now=now, sql=True)
    assert AttentionItem.objects.get(household=household).municipality_id == household.municipality_id
