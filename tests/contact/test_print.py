"""The early-warning plan prints on one A4 page, also when every box is filled (Chromium's print to PDF)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from waakvlam.contact.models import EarlyWarningPlan
from waakvlam.contact.plan_services import PersonInput, early_warning_plan_save
from waakvlam.core.models import User
from waakvlam.privacy.services import Actor

pytestmark = [pytest.mark.e2e]
FULL = (
    "Slaapt slecht en trekt overdag de gordijnen dicht; de post blijft liggen en de telefoon gaat niet op. "
    "Wandelen met de hond helpt, net als de koffieochtend op dinsdag en een belletje van zus Els. "
)


@pytest.fixture
def full_plan(transactional_db: None, live_server: Any) -> EarlyWarningPlan:
    from waakvlam.demo.services import demo_load

    demo_load(households=800, signals=0, seed=3)
    plan = (
        EarlyWarningPlan.objects.filter(resident__contact_plans__steward__username="waakvlammer").order_by("pk").first()
    )
    assert plan is not None
    texts = {
        f"{phase}_{part}": FULL
        for phase in ("green", "orange", "red")
        for part in ("signs", "self", "network", "professionals")
    }
    texts["strengths"] = FULL * 2
    people = [
        PersonInput("Els Jansen", "06-12345678", "zus", "orange", True),
        PersonInput("Kees Bos", "06-22223333", "buurman", "red", True),
        PersonInput("Huisartsenpraktijk De Linde", "010-1234567", "huisarts", "always", True),
    ]
    return early_warning_plan_save(
        resident=plan.resident,
        texts=texts,
        people=people,
        agreed_on=None,
        by=User.objects.get(username="waakvlammer"),
        actor=Actor.system("test"),
        now=timezone.now(),
    )


def test_a_full_plan_prints_on_one_page(full_plan: EarlyWarningPlan, log_in: Callable[..., Any]) -> None:
    page = log_in("waakvlammer")
    assert page.goto(f"/bewoners/{full_plan.resident.public_id}/signaleringsplan/afdrukken/").status == 200
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, pages
