"""The pilot light's and the handover's screens in a real browser: every page passes axe (WCAG 2.x A/AA),
also with form errors shown. Uses the browser fixtures of tests/e2e (skipped without Chromium)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from waakvlam.contact.models import ContactPlan, EarlyWarningPlan
from waakvlam.handover.models import Handover

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def demo(transactional_db: None, live_server: Any) -> None:
    from waakvlam.demo.services import demo_load

    demo_load(households=800, signals=0, seed=3)


def test_steward_pages_are_accessible(
    demo: None, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    plan = ContactPlan.objects.filter(steward__username="waakvlammer", status="active").order_by("pk").first()
    ew = (
        EarlyWarningPlan.objects.filter(resident__contact_plans__steward__username="waakvlammer").order_by("pk").first()
    )
    handover = Handover.objects.filter(receiving_team__name="Waakvlam Centrum-Oost").order_by("pk").first()
    assert plan and ew and handover
    page = log_in("waakvlammer")
    page.set_default_timeout(30_000)  # a busy CI machine; axe on a long page takes a while
    for path in (
        "/bewoners/",
        f"/waakvlamcontact/{plan.public_id}/",
        f"/waakvlamcontact/{plan.public_id}/wijzigen/",
        "/bewoners/nieuw/",
        f"/bewoners/{ew.resident.public_id}/signaleringsplan/",
        f"/bewoners/{ew.resident.public_id}/signaleringsplan/wijzigen/",
        f"/bewoners/{ew.resident.public_id}/signaleringsplan/afdrukken/",
        f"/bewoners/{ew.resident.public_id}/toestemmingen/",
        "/toestemmingen/",
        "/overdrachten/",
        f"/overdrachten/{handover.public_id}/",
    ):
        assert page.goto(path).status == 200, path
        assert_accessible(page)
    # With errors: the quick contact form sent empty.
    page.goto(f"/waakvlamcontact/{plan.public_id}/")
    page.get_by_role("button", name="Contact vastleggen").click()
    assert page.get_by_role("alert").count() >= 1
    assert_accessible(page)


def test_coordinator_partner_and_privacy_pages_are_accessible(
    demo: None, log_in: Callable[..., Any], assert_accessible: Callable[[Any], None]
) -> None:
    page = log_in("coordinator")
    assert page.goto("/team/waakvlam/").status == 200
    assert_accessible(page)
    page = log_in("ggz")
    for path in ("/overdrachten/nieuw/", "/overdrachten/", "/bewoners/"):
        assert page.goto(path).status == 200, path
        assert_accessible(page)
    page.goto("/overdrachten/nieuw/")
    page.get_by_role("button", name="Aankondigen").click()
    assert page.get_by_role("alert").count() >= 1
    assert_accessible(page)
    resident, public_id = ContactPlan.objects.order_by("pk").values_list("resident_id", "resident__public_id").first()  # type: ignore[misc]
    page = log_in("privacy")
    for path in (
        f"/privacy/bewoners/?q={resident}",
        f"/privacy/bewoners/{public_id}/inzage/",
        f"/privacy/bewoners/{public_id}/wissen/",
    ):
        assert page.goto(path).status == 200, path
        assert_accessible(page)
