"""One stuck page for every kind: what reached the municipality, metadata only, and the stuck figure."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import postcode_areas
from tests.followup.helpers import TICK, late_handover, late_plan
from waakvlam.core.models import Municipality
from waakvlam.followup.kinds import get_kind
from waakvlam.followup.sweep import sweep_kind

pytestmark = pytest.mark.django_db


def _counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'stat-card__number">(\d+)<', html)]


def test_plans_and_handovers_at_the_municipality_show_without_personal_data(
    login: Callable[[str], Client], town: Municipality
) -> None:
    postcode_areas()
    rng = random.Random(5)
    start = timezone.now()  # the page counts at the real time, so the items are late now
    plan = late_plan(rng, start - timedelta(days=30))
    handover = late_handover(rng, start - timedelta(days=30))
    page = login("regie").get("/regie/vastgelopen/").content.decode()
    assert _counts(page) == [0, 2]  # both late, neither escalated yet: the figure that must be 0 after a sweep
    for name, item in (("contact_overdue", plan), ("handover_first_contact", handover)):
        kind = get_kind(name)
        now = start
        for _ in range(2):  # coordinator, then the municipality
            sweep_kind(kind, now)
            item.refresh_from_db()
            now = getattr(item, kind.next_step) + TICK
    html = login("regie").get("/regie/vastgelopen/").content.decode()
    assert _counts(html) == [2, 0]
    assert "Waakvlamcontacten" in html and "Warme overdrachten" in html
    assert "Waakvlam Centrum-Oost" in html
    for secret in ("Jan Jansen", "Piet Bos", "Teststraat"):
        assert secret not in html
    # The reference is the public id: a counter would tell how many plans and handovers there are (ADR 0009).
    for item in (plan, handover):
        assert f"<code>{item.public_id}</code>" in html
        assert f"<code>{item.pk}</code>" not in html
    assert login("coordinator").get("/regie/vastgelopen/").status_code == 404
    assert login("regie").get("/en/regie/vastgelopen/").status_code == 200
