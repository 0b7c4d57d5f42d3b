"""Demodorp's social map: the needs, 23 organisations (resident initiatives among them) and offers in all
twelve neighbourhoods with schedules, capacities and coordinates; the keeper `buurtkamer`; and referrals
in every state, made through the services as the demo stewards and the keeper. Deterministic for a seed."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, User
from waakvlam.core.roles import Role
from waakvlam.demo import town
from waakvlam.privacy.services import Actor
from waakvlam.socialmap import models as m
from waakvlam.socialmap.demo_data import NEEDS, OFFERS, ORGANISATIONS, Offer
from waakvlam.socialmap.errors import Conflict
from waakvlam.socialmap.referral_models import ReferralStatus, Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send, referral_transition
from waakvlam.socialmap.search import neighbourhood_centre

NS = uuid.UUID("0c1e3d7a-5b1f-4f7e-9f64-2d3c4b5a6978")
KEEPER = "buurtkamer"
HOME = "BU99990200"  # Molenwijk: the buurtkamer's own neighbourhood
# Each story: the statuses a referral goes through after "sent", and how many days ago it was sent.
STORIES: list[tuple[tuple[str, ...], int]] = [
    ((), 1),
    ((), 8),  # past its answer date: the follow-up mechanism chases it
    (("accepted",), 3),
    (("declined",), 5),
    (("accepted", "connected"), 10),
    (("accepted", "connected"), 12),
    (("accepted", "no_show"), 9),
    (("accepted", "no_show", "connected"), 16),
    (("accepted", "connected", "ended"), 40),
    (("ended",), 6),
]


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NS, ":".join(str(p) for p in parts))


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.pk,
        username=user.username,
        role=user.role,
        organisation=user.organisation.slug if user.organisation else "",
    )


def _keeper(municipality: Municipality) -> User:
    keeper, _created = User.objects.get_or_create(
        username=KEEPER,
        defaults={
            "first_name": "Kees",
            "last_name": "Molenaar",
            "email": f"{KEEPER}@{KEEPER}.demodorp.example",
            "organisation": Organisation.objects.get(municipality=municipality, slug="buurtkamer"),
            "role": Role.ACTIVITY_KEEPER,
            "password": make_password(town.DEMO_PASSWORD),
            "two_factor_exempt": True,
        },
    )
    return keeper


def _needs() -> dict[str, m.TaxonomyTerm]:
    taxonomy, _c = m.Taxonomy.objects.get_or_create(
        pk=_id("taxonomy"),
        defaults={"name": "Waakvlam behoeften", "description": "Waarvoor iemand iets zoekt.", "version": "1"},
    )
    return {
        code: m.TaxonomyTerm.objects.get_or_create(
            pk=_id("need", code),
            defaults={
                "code": code,
                "name": name,
                "description": name,
                "taxonomy_detail": taxonomy,
                "taxonomy_name": taxonomy.name,
                "language": "nl",
            },
        )[0]
        for code, name in NEEDS
    }


def _offer_places(hoods: list[Neighbourhood], rng: random.Random) -> list[tuple[Offer, Neighbourhood]]:
    """Where each kind of offer is found: the buurtkamer's at home, the rest in two to three neighbourhoods,
    so every neighbourhood has something and the town has well over sixty offers."""
    places: list[tuple[Offer, Neighbourhood]] = []
    by_code = {h.code: h for h in hoods}
    for offer in OFFERS:
        if offer.organisation == "buurtkamer":
            places.append((offer, by_code[HOME]))
            continue
        for hood in rng.sample(hoods, rng.choice((2, 2, 3))):
            places.append((offer, hood))
    covered = {h.code for _o, h in places}
    for hood in hoods:
        if hood.code not in covered:
            places.append((rng.choice([o for o in OFFERS if o.collective and o.organisation != "buurtkamer"]), hood))
    return places


def _add(
    offer: Offer,
    hood: Neighbourhood,
    n: int,
    org: m.Organization,
    needs: dict[str, m.TaxonomyTerm],
    keeper: User | None,
    rng: random.Random,
    now: datetime,
) -> m.Service:
    centre = neighbourhood_centre(hood) or (52.06, 5.06)
    location = m.Location.objects.create(
        pk=_id("location", offer.name, hood.code),
        organization=org,
        name=f"{org.name}, {hood.name}",
        latitude=round(centre[0] + rng.uniform(-0.004, 0.004), 6),
        longitude=round(centre[1] + rng.uniform(-0.007, 0.007), 6),
        neighbourhood=hood,
    )
    digits = {f"BU9999{s}{i:02d}": pc for s, _n, hs in town.DISTRICTS for i, (_x, pc) in enumerate(hs)}[hood.code]
    m.PostalAddress.objects.create(
        pk=_id("address", offer.name, hood.code),
        location=location,
        address_1=f"{rng.choice(town.STREETS)} {rng.randint(1, 80)}",
        city=town.CITY,
        postal_code=f"{digits}AB",
        state_province="Demoland",
    )
    service = m.Service.objects.create(
        pk=_id("service", offer.name, hood.code),
        municipality=org.municipality,
        organization=org,
        name=offer.name if n == 0 else f"{offer.name} {hood.name}",
        description=offer.description or f"{offer.name} in {hood.name}.",
        last_modified=now,
        collective=offer.collective,
        access=offer.access,
        free=offer.free,
        fees_description="Gratis" if offer.free else "Kleine eigen bijdrage",
        application_process={"walk_in": "Binnenlopen", "sign_up": "Even aanmelden", "referral": "Via een verwijzing"}[
            offer.access
        ],
        capacity=offer.capacity,
        keeper=keeper,
    )
    sal = m.ServiceAtLocation.objects.create(pk=_id("sal", offer.name, hood.code), service=service, location=location)
    m.Schedule.objects.create(
        pk=_id("schedule", offer.name, hood.code),
        service=service,
        service_at_location=sal,
        freq="WEEKLY",
        interval=1,
        byday=offer.days,
        opens_at=time(offer.opens),
        closes_at=time(min(23, offer.opens + offer.hours)),
    )
    m.ServiceAttribute.objects.create(
        pk=_id("attribute", offer.name, hood.code), service=service, taxonomy_term=needs[offer.need]
    )
    m.CostOption.objects.create(
        pk=_id("cost", offer.name, hood.code),
        service=service,
        option="Iedereen",
        currency="EUR",
        amount=0 if offer.free else rng.choice((2, 3, 5)),
    )
    m.Language.objects.create(pk=_id("language", offer.name, hood.code), service=service, name="Nederlands", code="nl")
    contact = m.Contact.objects.create(
        pk=_id("contact", offer.name, hood.code),
        service=service,
        name=rng.choice(("Anja", "Mohamed", "Els", "Joop", "Samira", "Henk")),
        title="Contactpersoon",
    )
    m.Phone.objects.create(
        pk=_id("phone", offer.name, hood.code), contact=contact, number=f"0499-{rng.randint(100000, 999999)}"
    )
    return service


def _referrals(municipality: Municipality, keeper: User, rng: random.Random, now: datetime) -> int:
    plans = list(
        ContactPlan.objects.filter(
            municipality=municipality, status=PlanStatus.ACTIVE, steward__username__in=["waakvlammer", "waakvlammer2"]
        )
        .select_related("resident__household", "steward")
        .order_by("pk")[:40]
    )
    if not plans:
        return 0
    kept = list(m.Service.objects.filter(keeper=keeper).order_by("name"))
    others = list(
        m.Service.objects.filter(municipality=municipality, keeper__isnull=True, status="active").order_by("pk")
    )
    made = 0
    for index, (steps, days_ago) in enumerate(STORIES * 2):
        plan = plans[index % len(plans)]
        service = kept[index % len(kept)] if index % 2 == 0 else rng.choice(others)
        first = (plan.resident.name or "Bewoner").split()[0]
        shared = Shared.FIRST_NAME if service.collective else Shared.NAME_PHONE
        sent_at = now - timedelta(days=days_ago, hours=rng.randint(0, 5))
        referral = referral_send(
            sender=plan.steward,
            resident=plan.resident,
            service=service,
            contact_plan=plan,
            now=sent_at,
            actor=_actor(plan.steward),
            data=ReferralInput(
                shared=shared,
                shared_name=first if shared == Shared.FIRST_NAME else (plan.resident.name or first),
                shared_phone="06-12345678",
                consent_given=True,
                warm_introduction=index % 3 == 0,
            ),
        )
        answerer = (
            keeper
            if referral.owner_keeper_id
            else User.objects.filter(organisation_id=referral.owner_organisation_id or 0).order_by("pk").first()
        )
        at = sent_at
        for step in steps:
            at += timedelta(days=1, hours=rng.randint(0, 3))
            by = plan.steward if step == ReferralStatus.ENDED and not referral.owner_keeper_id else answerer
            try:
                referral = referral_transition(
                    referral=referral,
                    to=step,
                    by=by,
                    allowed=True,
                    now=at,
                    actor=_actor(by) if by else Actor.system("demo"),
                    reason="Helaas vol deze periode" if step == ReferralStatus.DECLINED else "",
                )
            except Conflict:  # a full activity in the demo simply keeps its earlier state
                break
        made += 1
    return made


def demo_socialmap(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    own = random.Random(rng.getrandbits(32))
    now = timezone.now()
    keeper = _keeper(municipality)
    needs = _needs()
    tenants = {o.slug: o for o in Organisation.objects.filter(municipality=municipality)}
    orgs = {
        key: m.Organization.objects.create(
            pk=_id("organization", key),
            municipality=municipality,
            name=name,
            description=f"{name}: actief in Demodorp.",
            tenant=tenants.get(tenant),
            resident_initiative=initiative,
            last_modified=now,
            email=f"info@{key}.demodorp.example",
        )
        for key, name, tenant, initiative in ORGANISATIONS
    }
    hoods = list(Neighbourhood.objects.filter(municipality=municipality).order_by("code"))
    seen: dict[str, int] = {}
    services = 0
    for offer, hood in _offer_places(hoods, own):
        if m.Service.objects.filter(pk=_id("service", offer.name, hood.code)).exists():
            continue
        n = seen.get(offer.name, 0)
        seen[offer.name] = n + 1
        _add(
            offer,
            hood,
            n,
            orgs[offer.organisation],
            needs,
            keeper if offer.organisation == "buurtkamer" else None,
            own,
            now,
        )
        services += 1
    referrals = _referrals(municipality, keeper, own, now)
    return {"organisations": len(orgs), "services": services, "referrals": referrals}
