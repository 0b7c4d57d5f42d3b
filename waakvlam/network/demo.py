"""The informal network in the demo town: `buddy` (a buddy from Buurtwerk's buddy project) and `vrijwilliger`
(a volunteer of team Waakvlam Centrum-Oost), both with the demo password and two-factor switched off like the
other demo users, linked with consent to a few residents the steward keeps contact with, with some visits
reported. Made through the services; deterministic for the random state."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.core.models import Municipality, Organisation, Team, User
from waakvlam.core.roles import Role
from waakvlam.demo.town import DEMO_PASSWORD
from waakvlam.network.models import Outcome, SupporterKind
from waakvlam.network.services import LinkInput, supporter_link_create, visit_report
from waakvlam.privacy.services import Actor

SUPPORTERS = [
    ("buddy", "Bas", "Maatje", SupporterKind.BUDDY, 2),
    ("vrijwilliger", "Vera", "Vrijwilliger", SupporterKind.VOLUNTEER, 3),
]
TO_KNOW = [
    "Houdt van wandelen en koffie. Bel twee keer aan: hoort slecht.",
    "Heeft graag dat je eerst even belt.",
    "Vindt het fijn om samen boodschappen te doen op dinsdag.",
    "Praat graag over voetbal; vraag naar de kleinkinderen.",
]


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.pk,
        username=user.username,
        role=user.role,
        organisation=user.organisation.slug if user.organisation else "",
    )


def demo_network(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    steward = User.objects.filter(username="waakvlammer", organisation__municipality=municipality).first()
    buurtwerk = Organisation.objects.filter(municipality=municipality, slug="buurtwerk").first()
    if steward is None or buurtwerk is None:
        return {}
    team = Team.objects.filter(organisation=buurtwerk, name="Waakvlam Centrum-Oost").first()
    now = timezone.now().replace(second=0, microsecond=0)
    plans = list(ContactPlan.objects.filter(steward=steward, status=PlanStatus.ACTIVE).order_by("pk")[:30])
    residents = [p.resident for p in rng.sample(plans, k=min(5, len(plans)))]
    password = make_password(DEMO_PASSWORD)
    counts = {"supporters": 0, "links": 0, "reports": 0}
    for username, first, last, kind, n in SUPPORTERS:
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@buurtwerk.demodorp.example",
            organisation=buurtwerk,
            role=Role.INFORMAL_SUPPORTER,
            password=password,
            two_factor_exempt=True,
        )
        if team is not None:
            user.teams.set([team])
        counts["supporters"] += 1
        for resident in residents[:n]:
            link = supporter_link_create(
                resident=resident,
                data=LinkInput(
                    user, kind, "Mondeling bij huisbezoek, samen met de waakvlammer", rng.choice(TO_KNOW), team
                ),
                by=steward,
                actor=_actor(steward),
                now=now - timedelta(days=40),
            )
            counts["links"] += 1
            for weeks in (4, 2):
                visit_report(
                    link=link, outcome=Outcome.FINE, by=user, actor=_actor(user), now=now - timedelta(weeks=weeks)
                )
                counts["reports"] += 1
        residents = residents[n:]
    return counts
