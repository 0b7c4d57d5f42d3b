from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from waakvlam.core.models import Municipality, Neighbourhood, Organisation
from waakvlam.intake.models import Signal
from waakvlam.routing.services import routing_rules_seed_demo

AMS = ZoneInfo("Europe/Amsterdam")
# A Monday morning in the working week, far from holidays and clock changes.
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=AMS)


@pytest.fixture
def seeded(town: Municipality) -> Municipality:
    """Demodorp with its default routing rules (demo_load_town does not run the demo extensions)."""
    routing_rules_seed_demo(town, now=MONDAY)
    return town


def new_signal(
    municipality: Municipality,
    *,
    category: str = "nuisance",
    urgency: str = "normal",
    hood: str | None = "Binnenstad",
    reporter_org: str | None = None,
) -> Signal:
    """An unsaved signal as intake would hand it to routing."""
    return Signal(
        municipality=municipality,
        category=category,
        urgency=urgency,
        neighbourhood=Neighbourhood.objects.get(name=hood) if hood else None,
        reporter_organisation=Organisation.objects.get(slug=reporter_org) if reporter_org else None,
        source_kind="professional",
        received_at=MONDAY,
        updated_at=MONDAY,
    )
