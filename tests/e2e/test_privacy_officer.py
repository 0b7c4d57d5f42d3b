"""The privacy officer's journey for a data-subject request: find who looked at a person by that person's
name in the access log, open the readable document for the resident (local times, plain words), and have
the technical version at hand as an attachment. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.contact.helpers import plan_for
from waakvlam.core.models import Municipality
from waakvlam.privacy.models import AccessLogEntry

pytestmark = [pytest.mark.e2e]


def test_privacy_officer_finds_accesses_by_name_and_hands_a_readable_export(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    plan = plan_for("waakvlammer")
    resident = plan.resident
    steward = log_in("waakvlammer")
    steward.goto(f"/waakvlamcontact/{plan.public_id}/")
    expect(steward.get_by_role("heading", level=1)).to_be_visible()

    page = log_in("privacy")
    page.goto("/privacy/toegangslog/")
    page.get_by_label("Over wie").fill(str(resident.name).split()[-1].lower())
    page.get_by_role("button", name="Zoeken").click()
    match = page.get_by_role("link", name=re.compile(rf"bewoner {resident.pk},"))
    expect(match).to_be_visible()
    table = page.get_by_role("table")
    # Who looked, by name and role, in plain words — not a username and a route name alone.
    expect(table).to_contain_text("Wim Bakker (Waakvlammer)")
    expect(table).to_contain_text("op een scherm van Waakvlam")
    assert_accessible(page)
    # Searching by a name is itself in the log, under the resident found.
    assert AccessLogEntry.objects.filter(
        username="privacy", context="ui:access_log_search", subject=f"resident:{resident.pk}"
    ).exists()

    match.click()
    page.wait_for_url(re.compile(rf"/privacy/bewoners/{resident.public_id}/inzage/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(resident.name))
    who_saw = page.get_by_role("table").last
    expect(who_saw).to_contain_text("Wim Bakker (Waakvlammer)")
    text = page.content()
    assert "+00:00" not in text and "ui:plan_detail" not in text, "local times and plain words only"
    expect(page.get_by_role("link", name=re.compile("Technische versie"))).to_have_attribute(
        "href", f"/privacy/bewoners/{resident.public_id}/inzage.json"
    )
    assert_accessible(page)
    assert AccessLogEntry.objects.filter(
        username="privacy", action="export", subject=f"resident:{resident.pk}"
    ).exists()
