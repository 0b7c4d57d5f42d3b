"""The attention list in the demo town: one household for every rule, in Binnenstad (team Waakvlam
Centrum-Oost, so `waakvlammer` and `coordinator` see them), made through the real services with dates
counting back from today; then the whole list is computed, so the demo also shows what the two years of
generated signals and the handovers bring up by themselves."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from waakvlam.attention.recompute import attention_recompute
from waakvlam.contact.models import Basis
from waakvlam.contact.services import PlanInput, plan_create
from waakvlam.core.models import Address, Municipality, Neighbourhood, User
from waakvlam.households.models import Household, Resident
from waakvlam.intake.models import Category
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.privacy.services import Actor

HOOD = "01"  # the first neighbourhood of the first district: Binnenstad
TEAM = "Waakvlam Centrum-Oost"


def _free_addresses(municipality: Municipality, hood: Neighbourhood) -> list[Address]:
    """Addresses nobody has signalled about yet, in Binnenstad first, then in the rest of its team's area."""
    free = Address.objects.filter(municipality=municipality, household__isnull=True)
    found = list(free.filter(neighbourhood=hood).order_by("-pk")[:STORIES])
    if len(found) < STORIES:
        same_team = free.filter(neighbourhood__teams__name=TEAM).exclude(pk__in=[a.pk for a in found]).order_by("-pk")
        found += list(same_team.distinct()[: STORIES - len(found)])
    return found


Report = tuple[str, str, int, str]  # who, category, days ago, what was seen

SIGNAL_STORIES: list[list[Report]] = [
    # Signals from several sources: the caretaker and the neighbourhood police officer within weeks.
    [
        ("signaleerder", Category.NEGLECT, 40, "Stank in het trappenhuis, balkon vol vuilniszakken."),
        ("wijkagent", Category.WORRYING_BEHAVIOUR, 6, "Bewoner liep 's nachts verward over straat."),
    ],
    # Payment arrears and nuisance: the housing association reports both.
    [
        ("signaleerder", Category.PAYMENT_ARREARS, 25, "Huurachterstand van twee maanden."),
        ("signaleerder", Category.NUISANCE, 3, "Harde muziek 's nachts, buren slapen slecht."),
    ],
    # Repeated police signals.
    [
        ("wijkagent", Category.NUISANCE, 50, "Melding van geschreeuw, niemand deed open."),
        ("wijkagent", Category.NUISANCE, 9, "Opnieuw melding van geschreeuw in de woning."),
    ],
    # A discharge without a first contact: GGZ reported it eight days ago, nobody has been since.
    [("ggz", Category.DISCHARGE, 8, "Ontslagen uit de kliniek, woont weer thuis.")],
]
STORIES = len(SIGNAL_STORIES) + 1  # and one household with an overdue contact plan


def demo_attention(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(organisation__municipality=municipality)}
    needed = {"wijkagent", "signaleerder", "ggz", "waakvlammer"}
    hood = (
        Neighbourhood.objects.filter(municipality=municipality, district__code__endswith=HOOD).order_by("code").first()
    )
    if hood is None or not needed <= set(users):
        return {"items": 0}
    now = timezone.now()
    addresses = _free_addresses(municipality, hood)
    if len(addresses) < STORIES:
        return {"items": 0}

    def report(address: Address, story: Report) -> None:
        who, category, days_ago, text = story
        signal_create(
            data=SignalInput(
                category=category,
                description=text,
                address=AddressInput(address.postcode, address.house_number, address.house_letter),
            ),
            reporter=Reporter.for_user(users[who]),
            now=now - timedelta(days=days_ago, hours=rng.randint(0, 6)),
            context="demo:attention",
        )

    for address, reports in zip(addresses, SIGNAL_STORIES, strict=False):
        for story in reports:
            report(address, story)
    # A new signal while the pilot-light contact is overdue: the plan started 45 days ago, no contact since.
    _overdue_plan(addresses[-1], users["waakvlammer"], now)
    report(addresses[-1], ("signaleerder", Category.ISOLATION, 2, "Post stapelt zich op, gordijnen al dagen dicht."))
    counts = attention_recompute(now=now)
    return {"items": counts.get("raised", 0)}


def _overdue_plan(address: Address, steward: User, now: datetime) -> None:
    started = now - timedelta(days=45)
    household = Household.objects.get_or_create(
        address=address,
        defaults={
            "municipality_id": address.municipality_id,
            "neighbourhood_id": address.neighbourhood_id,
            "created_at": started,
        },
    )[0]
    resident = Resident.objects.create(
        municipality_id=address.municipality_id,
        household=household,
        description="oudere man, begane grond",
        created_at=started,
    )
    plan_create(
        resident=resident,
        data=PlanInput(steward=steward, rhythm_days=14, starts_on=timezone.localdate(started), basis=Basis.LEGAL_TASK),
        by=steward,
        actor=Actor.system("demo"),
        now=started,
        context="demo:attention",
    )
