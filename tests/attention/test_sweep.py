"""The worker's sweep: new signals by the watermark, the pilot light's state changes, and the daily
recheck; the full recompute gives the same list."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from tests.contact.helpers import plan_for
from waakvlam.attention.models import AttentionItem, ItemStatus, Watermark
from waakvlam.attention.recompute import attention_recompute
from waakvlam.attention.sweep import attention_sweep
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality
from waakvlam.core.worker import registered_sweeps

from .conftest import household_in, signal_at
from .helpers import TODAY, moment

NOW = moment(TODAY, 12)


def test_the_sweep_is_registered() -> None:
    assert "attention" in {s.name for s in registered_sweeps()}


def test_new_signals_are_picked_up_by_the_watermark_and_only_once(demodorp: Municipality) -> None:
    household = household_in(now=NOW)
    signal_at(household, at=NOW - timedelta(days=5), org="politie")
    assert attention_sweep(NOW)["raised"] == 0  # one source only
    mark = Watermark.objects.get(name="signals")
    second = signal_at(household, at=NOW, org="woonstede")
    counts = attention_sweep(NOW)
    assert counts["raised"] == 1 and counts["households"] == 1
    assert Watermark.objects.get(name="signals").last_signal_id == second.pk > mark.last_signal_id
    assert attention_sweep(NOW)["households"] == 0  # nothing new, nothing recomputed


def test_an_overdue_plan_and_a_new_signal_raise_an_item_owned_by_the_plans_team(demodorp: Municipality) -> None:
    start = NOW - timedelta(days=40)
    plan = plan_for("waakvlammer", starts_on=start.date(), now=start)  # due after 14 days: long overdue
    household = plan.resident.household
    attention_sweep(NOW - timedelta(days=1))
    signal_at(household, at=NOW, org=None, source_kind="resident")
    attention_sweep(NOW)
    item = AttentionItem.objects.get(household=household)
    assert item.rule_names == "signal_while_contact_overdue" and item.owner_team == plan.team
    assert item.reasons[0]["facts"] == [
        {"kind": "contact_plan", "id": plan.pk, "date": plan.next_contact_due.isoformat()}
    ]
    # a contact is made: the plan changes, the sweep notices, the item lapses
    ContactPlan.objects.filter(pk=plan.pk).update(next_contact_due=TODAY + timedelta(days=14), updated_at=NOW)
    attention_sweep(NOW + timedelta(minutes=1))
    assert AttentionItem.objects.get(household=household).status == ItemStatus.LAPSED


def test_the_daily_pass_lets_an_item_lapse_when_its_window_has_passed(demodorp: Municipality) -> None:
    household = household_in(now=NOW)
    signal_at(household, at=NOW - timedelta(days=80), org="politie")
    signal_at(household, at=NOW, org="woonstede")
    attention_sweep(NOW)
    assert AttentionItem.objects.get(household=household).status == ItemStatus.OPEN
    attention_sweep(NOW + timedelta(days=11))
    assert AttentionItem.objects.get(household=household).status == ItemStatus.LAPSED


def test_full_recompute_matches_the_sweep_and_moves_the_watermark(demodorp: Municipality) -> None:
    households = [household_in(now=NOW) for _ in range(4)]
    for i, household in enumerate(households):
        signal_at(household, at=NOW - timedelta(days=3 + i), org="politie")
        if i % 2 == 0:
            signal_at(household, at=NOW - timedelta(days=1), org="woonstede", category="payment_arrears")
    counts = attention_recompute(now=NOW)
    assert counts["raised"] == 2
    assert Watermark.objects.get(name="signals").last_signal_id == max(
        s.pk for h in households for s in h.signals.all()
    )
    assert attention_sweep(NOW)["households"] == 0
    call_command("attention-recompute", "--now", NOW.isoformat())
    assert AttentionItem.objects.filter(status=ItemStatus.OPEN).count() == 2
