"""Adding a kind is a declaration: a test-only kind on an existing model (signals picked up but not closed
within two weeks) gets batches, the ladder, notifications, history, the access log, the stuck page and
the invariant from the one mechanism, with no sweep code of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.db.models import Q
from django.test import Client

from tests.factories import signal_for, team, user
from tests.followup import helpers
from tests.followup.helpers import MONDAY, TICK, assert_invariant, heard
from waakvlam.core.models import Municipality
from waakvlam.followup.kinds import (
    COORDINATORS,
    MUNICIPALITY,
    OWNER,
    FollowUpKind,
    History,
    Ladder,
    Message,
    Owner,
    Step,
    StuckColumns,
    register_kind,
    unregister_kind,
)
from waakvlam.followup.sweep import followup_sweep
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

DAY = timedelta(hours=8)

SIGNAL_CLOSURE = FollowUpKind(
    name="signal_closure",
    label="opgepakte signalen",
    model=Signal,
    open=Q(status="assigned", picked_up_at__isnull=False),
    late=lambda now: Q(picked_up_at__lt=now - timedelta(days=14)),
    due="picked_up_at",
    owner=Owner(person="owner_user_id", team="owner_team_id"),
    ladder=Ladder(
        steps=(
            Step((OWNER,), "waakvlammer herinnerd", DAY),
            Step((COORDINATORS,), "coördinator ingeschakeld", DAY),
            Step((MUNICIPALITY,), "gemeente ingeschakeld", DAY),
        ),
        then=Step((COORDINATORS, MUNICIPALITY), "nog steeds open", DAY),
    ),
    message=lambda row, level, ctx: Message(f"Signaal {row['tracking_code']} nog niet afgerond", "Niveau {level}"),
    history=History(SignalEvent, "signal_id", kind="closure_late"),
    object_type="intake.signal",
    stuck=StuckColumns(ref="tracking_code", team="owner_team__name"),
    fields=("tracking_code",),
)


@pytest.fixture
def closure_kind() -> Iterator[FollowUpKind]:
    register_kind(SIGNAL_CLOSURE)
    helpers.FACTORIES["signal_closure"] = lambda rng, base: signal_for(team("Waakvlam Centrum-Oost"))
    yield SIGNAL_CLOSURE
    unregister_kind("signal_closure")
    helpers.FACTORIES.pop("signal_closure")


def test_a_declared_kind_runs_on_the_one_sweep(
    town: Municipality, closure_kind: FollowUpKind, login: Callable[[str], Client]
) -> None:
    picked = MONDAY - timedelta(days=20)
    signal = signal_for(
        team("Waakvlam Centrum-Oost"),
        status="assigned",
        owner_user=user("waakvlammer"),
        received_at=picked - timedelta(hours=2),
        picked_up_at=picked,
        due_at=picked,
    )
    fresh = signal_for(
        team("Waakvlam Centrum-Oost"), status="assigned", owner_user=user("waakvlammer"), picked_up_at=MONDAY
    )
    log_before = AccessLogEntry.objects.count()
    now = MONDAY
    for level, people in enumerate(({"waakvlammer"}, {"coordinator"}, {"regie"}), start=1):
        counts = followup_sweep(now)
        assert counts["signal_closure.escalated"] == 1
        assert counts["signal_pickup.escalated"] == 0  # picked-up signals are not the pickup kind's business
        assert heard(closure_kind, signal.pk, level) == people
        assert_invariant(now)
        signal.refresh_from_db()
        assert signal.next_step_at is not None
        now = signal.next_step_at + TICK
    assert list(SignalEvent.objects.filter(signal=signal, kind="closure_late").values_list("note", flat=True)) == [
        "Niveau 1: waakvlammer herinnerd.",
        "Niveau 2: coördinator ingeschakeld.",
        "Niveau 3: gemeente ingeschakeld.",
    ]
    assert not SignalEvent.objects.filter(signal=fresh, kind="closure_late").exists()
    entries = AccessLogEntry.objects.filter(seq__gt=log_before, context="sweep:signal_closure")
    assert entries.count() == 3 and entries.first().username == "system:signal_closure_sweep"  # type: ignore[union-attr]
    # The stuck page has a section for it, with the metadata the declaration names.
    html = login("regie").get("/regie/vastgelopen/").content.decode()
    assert "Opgepakte signalen" in html and signal.tracking_code in html
