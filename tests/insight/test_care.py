"""Contact plans, contact moments and warm handovers in the rollups: made vs attempted, running plans,
flames going out, and first contact within the agreed days; the care provider sees its own handovers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of, plan_for, postcode_areas
from tests.factories import user
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.handover.models import Handover
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.services import AddressInput
from waakvlam.insight.rollups import rollups_rebuild, rollups_update
from waakvlam.insight.selectors import Scope, raw_figures


def _binnenstad(town: Municipality, start: date, end: date, organisation: int = 0) -> dict[str, int]:
    hood = Neighbourhood.objects.get(code="BU99990100")
    return dict(raw_figures(Scope(town.pk, organisation), start, end, timezone.now()).counts[hood.pk])


def test_contacts_plans_and_handovers_are_counted(town: Municipality, client: Client) -> None:
    postcode_areas()
    today = timezone.localdate()
    start = today - timedelta(days=30)
    plans = [plan_for(starts_on=start) for _ in range(3)]
    for plan in plans:
        contact_record(
            plan=plan,
            data=MomentInput(start + timedelta(days=2), "visit", True, "fine"),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    contact_record(
        plan=plans[0],
        data=MomentInput(start + timedelta(days=3), "phone", False),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    handover = handover_announce(
        data=HandoverInput(
            discharge_on=today - timedelta(days=10),
            address=AddressInput("9901AB", 12),
            resident_name="Piet Bos",
            items={},
        ),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=timezone.now() - timedelta(days=12),
    )
    Handover.objects.filter(pk=handover.pk).update(
        first_contact_on=handover.first_contact_due - timedelta(days=1), updated_at=timezone.now()
    )
    rollups_update(timezone.now())
    figures = _binnenstad(town, start, today)
    assert figures["contacts_made"] == 3
    assert figures["contacts_attempted"] == 1
    assert figures["plans_started"] == 3
    assert figures["plans_running"] == 3
    assert figures["plans_overdue"] == 3  # 14-day rhythm, last contact 28 days ago
    assert figures["handovers"] == 1
    assert figures["handovers_first_contact_in_time"] == 1
    ggz = user("ggz").organisation_id
    own = _binnenstad(town, start, today, organisation=ggz or 0)
    assert own.get("handovers") == 1 and not own.get("contacts_made")


def test_a_care_provider_reads_its_handovers_in_the_api(town: Municipality, login: Callable[[str], Client]) -> None:
    postcode_areas()
    today = timezone.localdate()
    handover_announce(
        data=HandoverInput(discharge_on=today, address=AddressInput("9901AB", 14), resident_name="Ria", items={}),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=timezone.now(),
    )
    rollups_update(timezone.now())
    answer = login("ggz").get(f"/api/v1/insight/neighbourhoods?from={today}&to={today}").json()
    # One handover: a count of 1 is never shown, not even to the provider itself.
    assert answer["municipality"]["counts"]["handovers"] is None


def _care_cells() -> Counter[tuple[object, ...]]:
    from waakvlam.insight.models import CareCell

    return Counter(CareCell.objects.values_list(*(f.name for f in CareCell._meta.fields if f.name != "id")))


def test_the_pass_keeps_care_months_and_years_by_difference_equal_to_a_rebuild(town: Municipality) -> None:
    """New moments on old days, a plan closed, a handover moved to another month and year: the day cells the
    pass counts again, and the month and year cells it adds their differences to, are exactly what a rebuild
    counts from the raw rows (a month that loses its last handover loses its cell)."""
    from waakvlam.contact.models import ContactPlan
    from waakvlam.insight.models import CareCell, Grain

    postcode_areas()
    now = timezone.now()
    today = timezone.localdate()
    early = today - timedelta(days=70)
    plans = [plan_for(starts_on=early + timedelta(days=i * 20)) for i in range(3)]
    for i, plan in enumerate(plans):
        contact_record(
            plan=plan,
            data=MomentInput(plan.starts_on + timedelta(days=1), "visit", i % 2 == 0, "fine" if i % 2 == 0 else ""),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )
    handover = handover_announce(
        data=HandoverInput(
            discharge_on=today - timedelta(days=5), address=AddressInput("9901AB", 12), resident_name="Piet", items={}
        ),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=now - timedelta(days=6),
    )
    rollups_update(now)
    before = _care_cells()
    assert any(cell[3] == Grain.YEAR for cell in before)

    later = now + timedelta(minutes=1)
    contact_record(
        plan=plans[0],
        data=MomentInput(early + timedelta(days=2), "phone", False),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=later,
    )
    ContactPlan.objects.filter(pk=plans[1].pk).update(status="closed", closed_at=later, updated_at=later)
    moved_to = date(today.year - 1, 12, 30)
    Handover.objects.filter(pk=handover.pk).update(
        discharge_on=moved_to, first_contact_on=moved_to + timedelta(days=1), updated_at=later
    )
    # The pass counts the handover's new day; its old day is counted again by the rebuild only, as the
    # pass knows a handover's current day alone. Name the old one too, as an edit of the date would.
    rollups_update(later + timedelta(minutes=5))
    from waakvlam.insight.rollups import rollups_recompute_days

    rollups_recompute_days(care_days={"handovers": {(town.pk, today - timedelta(days=5))}})
    kept = _care_cells()
    assert kept != before
    assert CareCell.objects.filter(dim="handovers", grain=Grain.YEAR, period_start=date(today.year - 1, 1, 1)).exists()
    rollups_rebuild(now=later + timedelta(minutes=5))
    assert _care_cells() == kept
    # Counted once, counting the same days again changes nothing.
    rollups_recompute_days(care_days={"contacts": {(town.pk, early + timedelta(days=2))}})
    assert _care_cells() == kept


def test_flames_going_out_are_the_last_pass_state_and_the_plan_organisations_own(town: Municipality) -> None:
    """A plan past its next contact counts from the worker's next pass on (like the stuck signals), for
    everyone and for the plan's own organisation only."""
    postcode_areas()
    today = timezone.localdate()
    plan = plan_for(starts_on=today - timedelta(days=20))  # 14-day rhythm, no contact yet: overdue
    rollups_update(timezone.now())
    late = plan_for(starts_on=today - timedelta(days=30))
    assert _binnenstad(town, today, today)["plans_overdue"] == 1  # the second one from the next pass on
    rollups_update(timezone.now())
    assert _binnenstad(town, today, today)["plans_overdue"] == 2
    assert _binnenstad(town, today, today, organisation=plan.organisation_id)["plans_overdue"] == 2
    other = Neighbourhood.objects.get(code="BU99990100").municipality.organisations.exclude(pk=plan.organisation_id)
    assert not _binnenstad(town, today, today, organisation=other.first().pk).get("plans_overdue")
    assert late.organisation_id == plan.organisation_id
