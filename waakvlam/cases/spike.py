"""The spike detector: several signals of one category in one neighbourhood within a short window, against
that neighbourhood's usual level for the category. Deterministic for `now`; no personal data in or out.

The rule, in plain words (also what the alert says): in the WINDOW before `now`, a neighbourhood received at
least MIN_COUNT signals of one category, and at least FACTOR times as many as usual — where "usual" is the
average number per window of the same length over the BASELINE before it. A spike found once is not found
again while its window overlaps the last one's (so a lasting spike alerts once, a new wave again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from waakvlam.cases.models import Spike
from waakvlam.core.i18n import dutch_path
from waakvlam.core.models import Neighbourhood, User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Category, Signal
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue

WINDOW = timedelta(days=3)
BASELINE = timedelta(days=56)
MIN_COUNT = 5
FACTOR = 3.0

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
SPIKE_SUBJECT, SPIKE_BODY = register_kind(
    "area_spike",
    gettext_noop("Piek in signalen in %(hood)s"),
    gettext_noop(
        "In %(hood)s kwamen in de %(days)s dagen tot %(until)s %(count)s signalen '%(category)s' binnen. "
        "Gewoonlijk zijn dat er ongeveer %(usual)s in %(days)s dagen (gemiddelde over de %(baseline)s dagen "
        "daarvoor). Een piek telt vanaf %(min)s signalen én %(factor)s keer het gewone aantal."
    ),
)


@dataclass(frozen=True)
class SpikeFinding:
    neighbourhood_id: int
    category: str
    count: int
    usual: float  # per window


def threshold(usual: float) -> int:
    return max(MIN_COUNT, math.ceil(FACTOR * usual))


def spikes_find(now: datetime) -> list[SpikeFinding]:
    """Every (neighbourhood, category) whose last WINDOW holds a spike, in a fixed order."""
    start = now - WINDOW
    recent = (
        Signal.objects.filter(received_at__gte=start, received_at__lt=now, neighbourhood__isnull=False)
        .values("neighbourhood_id", "category")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_COUNT)
    )
    findings = []
    for row in recent:
        before = Signal.objects.filter(
            neighbourhood_id=row["neighbourhood_id"],
            category=row["category"],
            received_at__gte=start - BASELINE,
            received_at__lt=start,
        ).count()
        usual = before * (WINDOW / BASELINE)
        if row["n"] >= threshold(usual):
            findings.append(SpikeFinding(row["neighbourhood_id"], row["category"], row["n"], round(usual, 2)))
    return sorted(findings, key=lambda f: (f.neighbourhood_id, f.category))


def spike_explanation(spike: Spike, hood_name: str) -> str:
    """The spike in plain Dutch: which category, how many against usual, which window. Counts only."""
    category = str(Category(spike.category).label) if spike.category in Category.values else spike.category
    days = round((spike.window_end - spike.window_start) / timedelta(days=1))
    usual = f"{spike.usual:.1f}".replace(".", ",")  # a Dutch decimal comma
    return SPIKE_BODY % {
        "hood": hood_name,
        "days": days,
        "until": f"{timezone.localtime(spike.window_end):%d-%m-%Y %H:%M}",
        "count": spike.count,
        "category": category,
        "usual": usual,
        "baseline": BASELINE.days,
        "min": MIN_COUNT,
        "factor": f"{FACTOR:g}",
    }


def _recipients(hood: Neighbourhood) -> list[User]:
    """The coordinators of the organisations whose teams cover the neighbourhood, and the municipality."""
    org_ids = hood.teams.values("organisation_id")
    return list(
        User.objects.filter(is_active=True, organisation__municipality_id=hood.municipality_id).filter(
            role=Role.MUNICIPALITY
        )
    ) + list(User.objects.filter(is_active=True, role=Role.COORDINATOR, organisation_id__in=org_ids))


def spike_sweep(now: datetime) -> dict[str, int]:
    """Record each new spike and alert through the outbox (dedupe key per spike, no personal data)."""
    found = 0
    for finding in spikes_find(now):
        with transaction.atomic():
            recent = Spike.objects.filter(
                neighbourhood_id=finding.neighbourhood_id,
                category=finding.category,
                window_end__gt=now - WINDOW,
            )
            if recent.exists():
                continue
            hood = Neighbourhood.objects.get(pk=finding.neighbourhood_id)
            spike = Spike.objects.create(
                municipality_id=hood.municipality_id,
                neighbourhood=hood,
                category=finding.category,
                window_start=now - WINDOW,
                window_end=now,
                count=finding.count,
                usual=finding.usual,
                detected_at=now,
            )
            link = dutch_path("cases:spike_detail", pk=spike.pk)
            notification_enqueue(
                municipality_id=hood.municipality_id,
                kind="area_spike",
                subject=SPIKE_SUBJECT % {"hood": hood.name},
                body=spike_explanation(spike, hood.name),
                dedupe_key=f"cases.spike:{spike.pk}",
                recipients=_recipients(hood),
                link=link,
                now=now,
            )
            found += 1
    return {"spikes": found}
