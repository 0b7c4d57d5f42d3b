"""ONE invariant over every registered kind: after a sweep nothing is past due without an escalation at the
right level, a second sweep at the same moment changes nothing, and nothing open is without an owner."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.followup.helpers import FACTORIES, MONDAY, assert_invariant, escalations, levels
from waakvlam.core.models import Municipality
from waakvlam.followup.kinds import registered_kinds
from waakvlam.followup.sweep import followup_sweep, pending_items
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_every_registered_kind_has_a_factory_here() -> None:
    """Adding a kind means adding its factory to tests/followup/helpers.py, so the invariant covers it."""
    assert {kind.name for kind in registered_kinds()} <= set(FACTORIES)
    assert {"signal_pickup", "contact_overdue", "handover_first_contact", "case_task", "attention_decision"} <= {
        k.name for k in registered_kinds()
    }


@pytest.mark.parametrize("seed", range(4))
def test_after_any_sweep_nothing_is_late_without_its_escalation(town: Municipality, seed: int) -> None:
    from tests.contact.helpers import postcode_areas

    postcode_areas()
    rng = random.Random(seed)
    base = MONDAY + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 24 * 60))
    kinds = registered_kinds()
    for kind in kinds:
        for _ in range(rng.randint(3, 8)):
            FACTORIES[kind.name](rng, base)
    now = base
    for _ in range(rng.randint(2, 4)):
        pending = {kind.name: set(pending_items(kind, now).values_list("pk", flat=True)) for kind in kinds}
        before = {kind.name: levels(kind) for kind in kinds}
        counts = followup_sweep(now)
        for kind in kinds:
            assert counts[f"{kind.name}.escalated"] == len(pending[kind.name])
            assert f"{kind.name}.unnotified" not in counts  # the fallback always finds someone
            for pk, level in levels(kind).items():
                assert level == before[kind.name][pk] + (1 if pk in pending[kind.name] else 0)
        assert_invariant(now)
        # Idempotent: the same moment again changes nothing.
        notifications = Notification.objects.count()
        steps = {kind.name: {pk: escalations(kind, pk) for pk in levels(kind)} for kind in kinds}
        assert all(n == 0 for name, n in followup_sweep(now).items() if name.endswith(".escalated"))
        assert Notification.objects.count() == notifications
        assert steps == {kind.name: {pk: escalations(kind, pk) for pk in levels(kind)} for kind in kinds}
        now += timedelta(hours=rng.choice([1, 5, 26, 80]))
