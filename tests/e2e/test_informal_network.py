"""The informal supporter's phone-first screen in a browser: only their linked resident, one tap to report,
accessible on a small screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from waakvlam.core.models import Municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linked(demo_town: Municipality) -> None:
    from django.contrib.auth.hashers import make_password

    from tests.contact.helpers import actor_of, plan_for, resident_in
    from tests.factories import user
    from waakvlam.core.models import Organisation, User
    from waakvlam.core.roles import Role
    from waakvlam.network.services import LinkInput, supporter_link_create

    plan = plan_for("waakvlammer", resident=resident_in(name="Jan Jansen"))
    buddy = User.objects.create(
        username="buddy",
        password=make_password("demo-waakvlam"),
        role=Role.INFORMAL_SUPPORTER,
        organisation=Organisation.objects.get(slug="buurtwerk"),
        two_factor_exempt=True,
    )
    supporter_link_create(
        resident=plan.resident,
        data=LinkInput(buddy, "buddy", "Mondeling", "Bel twee keer aan."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )


def test_a_buddy_reports_a_visit_in_one_tap(
    log_in: Callable[..., Any], linked: None, assert_accessible: Callable[[Any], None]
) -> None:
    page = log_in("buddy", viewport={"width": 390, "height": 844}, is_mobile=True)
    assert page.url.endswith("/mijn-mensen/")
    assert page.get_by_role("heading", name="Jan").is_visible()
    assert page.get_by_text("Jansen").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Bezocht, alles goed").click()
    assert page.get_by_text("Dank je, je bezoek is vastgelegd.").is_visible()
    assert_accessible(page)
