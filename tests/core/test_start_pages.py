"""What each start page shows, beyond its heading (see test_login for the headings)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.insight.rollups import rollups_update
from waakvlam.intake.models import Status

pytestmark = pytest.mark.django_db


def test_signaller_sees_only_the_three_tracking_steps(login: Callable[[str], Client]) -> None:
    reporter = user("signaleerder")
    new = signal_for(team("Waakvlam Centrum-Oost"), reporter_user=reporter)
    picked = signal_for(
        team("Waakvlam Centrum-Oost"),
        reporter_user=reporter,
        status=Status.ASSIGNED,
        owner_user=user("waakvlammer"),
        picked_up_at=timezone.now(),
    )
    page = login("signaleerder").get("/").content.decode()
    assert new.tracking_code in page and picked.tracking_code in page
    assert "Ontvangen" in page and "Opgepakt" in page
    # Never the internal status, the owner or what was seen.
    assert "Toegewezen" not in page
    assert "Bakker" not in page
    assert new.description not in page


def test_municipality_sees_counts_with_small_numbers_suppressed(login: Callable[[str], Client]) -> None:
    for _ in range(2):
        signal_for(team("Waakvlam Centrum-Oost"))
    rollups_update(timezone.now())  # the counts come from the insight rollups, as of the worker's last pass
    page = login("regie").get("/").content.decode()
    assert "&lt; 5" in page
    assert "Veel lawaai" not in page
