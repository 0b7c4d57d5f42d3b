"""Warm handovers in the demo town, in every state: announced, accepted, first contact done, closed and
escalated (first contact too late). Made through the services as GGZ Kompas's professional ("ggz") and the
receiving stewards, so the histories, contact plans and notifications are the real ones."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from waakvlam.contact.demo import FIRST_NAMES, LAST_NAMES
from waakvlam.contact.models import DataKind
from waakvlam.contact.plan_services import ConsentInput, consent_create
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Address, Municipality, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.followup.sweep import sweep_kind
from waakvlam.handover.models import ChecklistTopic, Handover, ItemState
from waakvlam.handover.services import (
    HandoverInput,
    ItemInput,
    handover_accept,
    handover_announce,
    handover_close,
    handover_item_set,
    receiving_team_for,
)
from waakvlam.households.models import Household
from waakvlam.households.services import AddressInput
from waakvlam.privacy.services import Actor


@dataclass(frozen=True)
class _Story:
    discharge_in: int  # days from today (negative: in the past)
    accept: bool = False
    first_contact_after: int | None = None  # days after discharge
    close: bool = False
    escalate_first: bool = False  # the sweep runs before the (late) first contact
    housing_consent: bool = False


STORIES = [
    _Story(escalate_first=True, discharge_in=-12, accept=True, first_contact_after=9),
    _Story(discharge_in=9),
    _Story(discharge_in=3),
    _Story(discharge_in=-8),  # never accepted: escalates
    _Story(discharge_in=4, accept=True, housing_consent=True),
    _Story(discharge_in=-7, accept=True),  # accepted, no first contact: escalates
    _Story(discharge_in=-10, accept=True, first_contact_after=2),
    _Story(discharge_in=-3, accept=True, first_contact_after=1, housing_consent=True),
    _Story(discharge_in=-25, accept=True, first_contact_after=3, close=True),
    _Story(discharge_in=-20, accept=True, first_contact_after=4, close=True, housing_consent=True),
]

DEMO_SENDER_PHONE = "030 700 12 34"  # fictional: the FACT team's desk in the demo town

NOTES = [
    "Wil graag een vaste contactpersoon in de wijk. Houdt van tuinieren.",
    "Heeft een hond; zoekt dagbesteding in de buurt.",
    "Zus woont in de buurt en is betrokken.",
    "",
]


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        role=user.role,
        organisation=user.organisation.slug if user.organisation else "",
    )


def demo_handovers(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    sender = User.objects.filter(organisation__municipality=municipality, username="ggz").first()
    if sender is None:
        sender = User.objects.filter(
            organisation__municipality=municipality, role=Role.PARTNER, organisation__kind="mental_health_care"
        ).first()
    if sender is None:
        return {"handovers": 0}
    woonstede = (
        Organisation.objects.filter(municipality=municipality, kind="housing_association").order_by("pk").first()
    )
    taken = set(Household.objects.filter(municipality=municipality).values_list("address_id", flat=True))
    candidates = list(
        Address.objects.filter(municipality=municipality, neighbourhood__isnull=False)
        .exclude(pk__in=taken)
        .order_by("pk")[:400]
    )
    rng.shuffle(candidates)
    now = timezone.now()
    today = timezone.localdate(now)
    made = 0
    for story in STORIES:
        address = next((a for a in candidates if receiving_team_for(a) is not None), None)
        if address is None:
            break
        candidates.remove(address)
        team = receiving_team_for(address)
        assert team is not None
        steward = team.members.filter(role=Role.STEWARD, is_active=True).order_by("pk").first()
        assert steward is not None
        discharge = today + timedelta(days=story.discharge_in)
        items = {
            ChecklistTopic.HOUSING: ItemInput(ItemState.DONE, "Sleutel op de dag van uitstroom bij Woonstede."),
            ChecklistTopic.INCOME: ItemInput(
                ItemState.DONE if rng.random() < 0.5 else ItemState.OPEN, "Budgetcoach aangevraagd."
            ),
            ChecklistTopic.GP: ItemInput(ItemState.OPEN),
            ChecklistTopic.EARLY_WARNING_PLAN: ItemInput(ItemState.DONE, "Opgesteld in de kliniek; meegegeven."),
        }
        handover = handover_announce(
            data=HandoverInput(
                discharge_on=discharge,
                address=AddressInput(
                    address.postcode, address.house_number, address.house_letter, address.house_number_addition
                ),
                resident_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                note=rng.choice(NOTES),
                items={str(k): v for k, v in items.items()},
                sender_phone=DEMO_SENDER_PHONE,
            ),
            by=sender,
            actor=_actor(sender),
            now=now,
            context="demo:handover",
        )
        if story.housing_consent and woonstede is not None:
            # The receiving steward records what the resident agreed to, never the sending clinic.
            consent_create(
                resident=handover.resident,
                data=ConsentInput(
                    woonstede,
                    DataKind.HANDOVER,
                    "Sleuteloverdracht en huurafspraken",
                    today,
                    max(today, discharge) + timedelta(days=90),
                ),
                by=steward,
                actor=_actor(steward),
                now=now,
                context="demo:handover",
            )
        if story.accept:
            handover = handover_accept(
                handover=handover, steward=steward, by=steward, actor=_actor(steward), now=now, context="demo:handover"
            )
        if story.escalate_first:
            sweep_kind("handover_first_contact", now)
        if story.first_contact_after is not None and handover.contact_plan is not None:
            day = min(today, discharge + timedelta(days=story.first_contact_after))
            contact_record(
                plan=handover.contact_plan,
                data=MomentInput(day, "visit", True, "fine", "Eerste kennismaking in de nieuwe woning."),
                by=steward,
                actor=_actor(steward),
                now=now,
                context="demo:handover",
            )
        if story.close:
            for topic in ChecklistTopic.values:
                state = ItemState.DONE if topic != ChecklistTopic.DAYTIME else ItemState.SKIPPED
                handover_item_set(
                    handover=handover,
                    topic=topic,
                    item=ItemInput(
                        state,
                        "Geregeld." if state == ItemState.DONE else "",
                        "Werkt drie dagen per week; geen dagbesteding nodig." if state == ItemState.SKIPPED else "",
                    ),
                    by=steward,
                    actor=_actor(steward),
                    now=now,
                    context="demo:handover",
                )
            handover_close(
                handover=Handover.objects.get(pk=handover.pk),
                by=steward,
                actor=_actor(steward),
                now=now,
                context="demo:handover",
            )
        made += 1
    counts = sweep_kind("handover_first_contact", now)
    return {
        "handovers": made,
        "handovers_escalated": Handover.objects.filter(municipality=municipality, escalated_at__isnull=False).count()
        or counts["escalated"],
    }
