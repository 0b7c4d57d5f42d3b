"""The coordinator's journey when a steward leaves: choose who leaves (nothing preselected), see per
resident what will change, confirm, see it done — and undo it within the window. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.contact.helpers import plan_for
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality

pytestmark = [pytest.mark.e2e]


def test_a_steward_leaves_with_preview_confirmation_and_undo(
    demo_town: Municipality, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    covered = plan_for("waakvlammer", backup="coordinator")
    orphan = plan_for("waakvlammer")
    page = log_in("coordinator")
    page.goto("/team/waakvlam/")
    leaving = page.get_by_label("Waakvlammer die vertrekt")
    assert leaving.input_value() == ""  # nothing preselected
    assert_accessible(page)

    # Without a choice nothing happens.
    page.get_by_role("button", name="Bekijk wat er verandert").click()
    expect(page.get_by_text("Kies de waakvlammer die vertrekt.")).to_be_visible()

    page.get_by_label("Waakvlammer die vertrekt").select_option(label="Wim Bakker")
    page.get_by_role("button", name="Bekijk wat er verandert").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("vertrekt: wat er verandert")
    expect(page.get_by_text("Er is nog niets veranderd")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("gaat naar")
    expect(table).to_contain_text("blijft staan: geen back-up")
    assert_accessible(page)
    assert ContactPlan.objects.get(pk=covered.pk).steward.username == "waakvlammer"

    page.get_by_role("button", name="Ja, zo overdragen").click()
    page.wait_for_url(re.compile(r"/team/waakvlam/$"))
    expect(page.get_by_text("1 waakvlamcontact overgedragen aan de back-up.")).to_be_visible()
    assert ContactPlan.objects.get(pk=covered.pk).steward.username == "coordinator"
    assert ContactPlan.objects.get(pk=orphan.pk).steward.username == "waakvlammer"
    assert_accessible(page)

    page.get_by_role("button", name="Overdracht ongedaan maken").click()
    expect(page.get_by_text("1 waakvlamcontact teruggezet.")).to_be_visible()
    assert ContactPlan.objects.get(pk=covered.pk).steward.username == "waakvlammer"
    expect(page.get_by_role("button", name="Overdracht ongedaan maken")).to_have_count(0)
