"""The top-of-ladder figures grouped in PostgreSQL equal what the row-by-row path counts (insight/top.py)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from waakvlam.insight.models import TopSpell, Unblock
from waakvlam.insight.top import _tally

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the grouped path is PostgreSQL's"),
]

START = datetime(2026, 3, 28, 22, 59, 59, 999_999, tzinfo=UTC)  # over a change to summer time in Amsterdam


def _spell(rng: random.Random, reached: datetime, length: timedelta | None) -> TopSpell:
    return TopSpell(
        signal_id=rng.randrange(1, 10**9),
        municipality_id=1,
        reached_at=reached,
        reached_on=reached.date(),
        ended_at=None if length is None else reached + length,
        ended_by=rng.choice(Unblock.values) if length is not None else Unblock.WAITING,
        regie_asked=rng.random() < 0.3,
        regie_meeting=rng.random() < 0.2,
    )


def _by_rows(spells: list[TopSpell]) -> tuple[Counter[str], int, Counter[int]]:
    """The row-by-row definition, on the rows as stored (microseconds and all)."""
    by: Counter[str] = Counter(s.ended_by for s in spells)
    acted = sum(1 for s in spells if s.regie_asked or s.regie_meeting)
    hours: Counter[int] = Counter(
        max(0, int((s.ended_at - s.reached_at).total_seconds()) // 360) for s in spells if s.ended_at is not None
    )
    return by, acted, hours


def test_grouped_in_the_database_equals_row_by_row() -> None:
    rng = random.Random(13)
    # Tenth-of-an-hour edges to the microsecond, a spell ending before it began, and random lengths.
    edges = [
        timedelta(seconds=360 * k + d, microseconds=m) for k in (0, 1, 7, 240) for d in (-1, 0) for m in (0, 999_999)
    ]
    lengths: list[timedelta | None] = [*edges, timedelta(seconds=-30), timedelta(0), None, None]
    lengths += [timedelta(microseconds=rng.randrange(0, 40 * 24 * 3600 * 10**6)) for _ in range(400)]
    spells = [_spell(rng, START + timedelta(microseconds=rng.randrange(0, 10**10)), n) for n in lengths]
    TopSpell.objects.bulk_create(spells)
    stored = list(TopSpell.objects.all())
    assert _tally(TopSpell.objects.all()) == _by_rows(stored)
    assert _tally(TopSpell.objects.filter(regie_asked=True)) == _by_rows([s for s in stored if s.regie_asked])
    assert _tally(TopSpell.objects.none()) == (Counter(), 0, Counter())
