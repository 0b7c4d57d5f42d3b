"""In a browser, axe-checked: the signal page suggests collective offers before the close form; the
functional admin creates an organisation and an activity with its place and schedule; the coordinator
reads the collective/individual counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.contact.helpers import BINNENSTAD
from tests.factories import signal_for, team
from tests.socialmap import factories
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.socialmap import models as m

pytestmark = pytest.mark.e2e


def test_suggestions_admin_screens_and_counts(
    demo_town: Municipality,
    log_in: Callable[..., Any],
    assert_accessible: Callable[[Any], None],
) -> None:
    hood = Neighbourhood.objects.get(code=BINNENSTAD)
    factories.service(demo_town, name="Koffieochtend", neighbourhood=hood)
    signal = signal_for(team("Waakvlam Centrum-Oost"), neighbourhood=hood, category="isolation")

    steward = log_in("waakvlammer")
    steward.goto(f"/signalen/{signal.pk}/")
    box = steward.locator(".collective-first")
    assert "Eerst collectief: samen in Binnenstad" in box.inner_text() and "Koffieochtend" in box.inner_text()
    assert_accessible(steward)

    admin = log_in("beheer")
    admin.goto("/sociale-kaart/beheer/")
    admin.get_by_role("link", name="Nieuwe aanbieder").click()
    admin.get_by_label("Naam", exact=True).fill("Buurtkamer De Molen")
    assert_accessible(admin)
    admin.get_by_role("button", name="Opslaan").click()
    admin.get_by_role("link", name="Nieuw aanbod van deze aanbieder").click()
    admin.get_by_label("Naam", exact=True).fill("Samen eten")
    admin.get_by_label("woensdag").check()
    admin.locator('input[name="opens_at"]').fill("17:30")
    admin.locator('input[name="closes_at"]').fill("19:30")
    admin.locator('select[name="neighbourhood"]').select_option(label="Binnenstad")
    assert_accessible(admin)
    admin.get_by_role("button", name="Opslaan").click()
    assert "Aanbod opgeslagen." in admin.content()
    service = m.Service.objects.get(name="Samen eten")
    assert service.schedules.get().byday == "WE" and service.organization.name == "Buurtkamer De Molen"
    assert_accessible(admin)

    coordinator = log_in("coordinator")
    coordinator.goto("/verwijzingen/collectief-of-individueel/")
    assert coordinator.get_by_role("heading", name="Collectief of individueel").is_visible()
    assert_accessible(coordinator)
