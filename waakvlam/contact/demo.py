"""The pilot light in the demo town: every steward keeps contact with 40-60 residents, some of them overdue
or unreachable, with months of contact history; several residents have an early-warning plan, and some gave
consent to share with GGZ Kompas or Woonstede. Deterministic for the random state passed in; dates count back
from today, so the demo always looks current. Bulk inserts: a few hundred rows a steward."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from waakvlam.contact.models import (
    Basis,
    CallMoment,
    Consent,
    ContactMoment,
    ContactPlan,
    ContactPlanEvent,
    DataKind,
    EarlyWarningContact,
    EarlyWarningPlan,
    PlanStatus,
    next_contact_due,
)
from waakvlam.core.models import Address, Municipality, Organisation, Team, User
from waakvlam.core.roles import Role
from waakvlam.households.models import Household, Resident

FIRST_NAMES = [
    "Jan",
    "Ans",
    "Henk",
    "Fatma",
    "Kees",
    "Mohamed",
    "Ria",
    "Dirk",
    "Samira",
    "Piet",
    "Joke",
    "Ahmet",
    "Gerda",
    "Bram",
    "Nadia",
    "Wim",
    "Truus",
    "Yusuf",
    "Marja",
    "Sjaak",
    "Lotte",
    "Hassan",
    "Ineke",
    "Ton",
    "Esra",
    "Rob",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Kaya",
    "Yilmaz",
    "El Idrissi",
]
DESCRIPTIONS = [
    "oudere man, 2e verdieping",
    "vrouw met rollator, hoekhuis",
    "jonge man met hond",
    "man, flat 3-hoog links",
]
NOTES_FINE = [
    "Koffie gedronken, gaat goed. Gaat weer naar de buurtkamer op dinsdag.",
    "Samen boodschappen gedaan. Vertelde over de kleinkinderen.",
    "Korte groet bij de voordeur, ziet er goed uit.",
    "Kwam op de koffieochtend, was vrolijk.",
    "Post samen doorgenomen, geen achterstanden meer.",
]
NOTES_WORRIED = [
    "Slaapt slecht, post stapelt zich op. Volgende week weer langs.",
    "Buurvrouw maakt zich zorgen over geluid 's nachts. Besproken; wil geen hulp.",
    "Minder opgeruimd dan vorige keer. Afgesproken samen naar de budgetcoach te gaan.",
    "Neemt telefoon vaak niet op; vandaag wel. Voelt zich eenzaam.",
]
NOTES_SERIOUS = [
    "Gordijnen dicht, wil niemand zien. Met coördinator besproken, morgen opnieuw.",
    "Dreigende afsluiting energie; met schuldhulp gebeld.",
]
RHYTHMS = [14, 14, 14, 21, 28, 42, 42]


@dataclass
class _History:
    moments: list[ContactMoment]
    last_success: date | None
    failures_after: int


def _history(plan: ContactPlan, today: date, rng: random.Random, *, fade: str, recorder_ids: list[int]) -> _History:
    """Contact moments from the start to today, about once per rhythm; `fade` decides how the story ends:
    "" keeps the flame lit, "overdue" stops contact some weeks ago, "unreachable" ends with failed attempts."""
    moments: list[ContactMoment] = []
    day = plan.starts_on + timedelta(days=rng.randint(1, max(1, plan.rhythm_days // 2)))
    stop = today
    if fade == "overdue":
        stop = today - timedelta(days=plan.rhythm_days + rng.randint(3, 30))
    last_success: date | None = None
    while day <= stop:
        made = rng.random() < 0.88
        roll = rng.random()
        wellbeing = "" if not made else "fine" if roll < 0.65 else "worried" if roll < 0.93 else "serious"
        notes = {"fine": NOTES_FINE, "worried": NOTES_WORRIED, "serious": NOTES_SERIOUS}.get(wellbeing, [""])
        moments.append(
            ContactMoment(
                municipality_id=plan.municipality_id,
                plan=plan,
                happened_on=day,
                channel=rng.choice(["visit", "visit", "phone", "street", "activity"]),
                made=made,
                wellbeing=wellbeing,
                note=rng.choice(notes)
                if made and rng.random() < 0.7
                else ("Niet thuis, briefje achtergelaten." if not made else ""),
                recorded_by_id=rng.choice(recorder_ids),
                recorded_at=_at(day),
            )
        )
        if made:
            last_success = day
        day += timedelta(days=max(1, plan.rhythm_days + rng.randint(-4, 3)))
    failures = 0
    if fade == "unreachable":
        for n in range(rng.randint(3, 4)):
            failed_on = today - timedelta(days=2 * (4 - n))
            if last_success and failed_on <= last_success:
                continue
            moments.append(
                ContactMoment(
                    municipality_id=plan.municipality_id,
                    plan=plan,
                    happened_on=failed_on,
                    channel="visit",
                    made=False,
                    note="Niet thuis, gordijnen dicht.",
                    recorded_by_id=plan.steward_id,
                    recorded_at=_at(failed_on),
                )
            )
    for m in moments:
        if not m.made and (last_success is None or m.happened_on > last_success):
            failures += 1
    return _History(moments, last_success, failures)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 11, 0))


def _addresses_for(team: Team, n: int, taken: set[int], rng: random.Random) -> list[Address]:
    candidates = list(
        Address.objects.filter(neighbourhood__in=team.neighbourhoods.all())
        .exclude(pk__in=taken)
        .order_by("pk")[: n * 4]
    )
    picked = rng.sample(candidates, min(n, len(candidates)))
    taken.update(a.pk for a in picked)
    return picked


def _households(addresses: list[Address], now: datetime) -> dict[int, Household]:
    existing = {h.address_id: h for h in Household.objects.filter(address__in=addresses)}
    new = [
        Household(municipality_id=a.municipality_id, address=a, neighbourhood_id=a.neighbourhood_id, created_at=now)
        for a in addresses
        if a.pk not in existing
    ]
    Household.objects.bulk_create(new)
    existing.update({h.address_id: h for h in Household.objects.filter(address__in=addresses)})
    return existing


def demo_contact(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    now = timezone.now()
    today = timezone.localdate(now)
    counts = {"contact_plans": 0, "contact_moments": 0, "early_warning_plans": 0, "consents": 0}
    coordinators = list(
        User.objects.filter(organisation__municipality=municipality, role=Role.COORDINATOR).order_by("pk")
    )
    stewards = list(User.objects.filter(organisation__municipality=municipality, role=Role.STEWARD).order_by("pk"))
    taken: set[int] = set(Household.objects.filter(municipality=municipality).values_list("address_id", flat=True))
    partners = {
        o.slug: o for o in Organisation.objects.filter(municipality=municipality, slug__in=["ggz-kompas", "woonstede"])
    }
    for steward in stewards:
        team = steward.teams.order_by("name").first()
        if team is None:
            continue
        addresses = _addresses_for(team, rng.randint(40, 60), taken, rng)
        if not addresses:
            continue
        households = _households(addresses, now)
        residents = [
            Resident(
                municipality=municipality,
                household=households[a.pk],
                name=None if rng.random() < 0.08 else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                description=rng.choice(DESCRIPTIONS) if rng.random() < 0.2 else "",
                created_at=now,
                created_by=steward,
            )
            for a in addresses
        ]
        for r in residents:
            if r.name is None and not r.description:
                r.description = rng.choice(DESCRIPTIONS)
        Resident.objects.bulk_create(residents)
        colleagues = [u for u in stewards if u.pk != steward.pk and u.organisation_id == steward.organisation_id]
        backups = [c for c in coordinators if c.organisation_id == steward.organisation_id] + colleagues
        plans, fades = [], []
        for resident in residents:
            starts_on = today - timedelta(days=rng.randint(20, 420))
            rhythm = rng.choice(RHYTHMS)
            roll = rng.random()
            backup = rng.choice(backups) if backups and roll < 0.8 else None
            plans.append(
                ContactPlan(
                    municipality=municipality,
                    resident=resident,
                    organisation_id=steward.organisation_id or 0,
                    team=team,
                    steward=steward,
                    backup=backup,
                    rhythm_days=rhythm,
                    starts_on=starts_on,
                    basis=Basis.CONSENT if rng.random() < 0.75 else Basis.LEGAL_TASK,
                    basis_note="Mondeling toestemming bij eerste huisbezoek" if rng.random() < 0.5 else "",
                    basis_recorded_by=steward,
                    basis_recorded_at=_at(starts_on),
                    next_contact_due=starts_on + timedelta(days=rhythm),
                    created_at=_at(starts_on),
                    updated_at=now,
                )
            )
            fade_roll = rng.random()
            fades.append("overdue" if fade_roll < 0.12 else "unreachable" if fade_roll < 0.17 else "")
        ContactPlan.objects.bulk_create(plans)
        moments: list[ContactMoment] = []
        for plan, fade in zip(plans, fades, strict=True):
            history = _history(
                plan, today, rng, fade=fade, recorder_ids=[steward.pk] + ([plan.backup_id] if plan.backup_id else [])
            )
            moments.extend(history.moments)
            plan.last_contact_on = history.last_success
            plan.failed_attempts = history.failures_after
            plan.next_contact_due = next_contact_due(
                starts_on=plan.starts_on, last_contact_on=history.last_success, rhythm_days=plan.rhythm_days
            )
            if rng.random() < 0.05:
                plan.status, plan.closed_at, plan.close_reason = (
                    PlanStatus.CLOSED,
                    now - timedelta(days=rng.randint(1, 30)),
                    "Verhuisd naar een andere gemeente",
                )
        ContactPlan.objects.bulk_update(
            plans, ["last_contact_on", "failed_attempts", "next_contact_due", "status", "closed_at", "close_reason"]
        )
        ContactMoment.objects.bulk_create(moments, batch_size=2000)
        ContactPlanEvent.objects.bulk_create(
            [
                ContactPlanEvent(
                    plan=p, at=p.created_at, kind="started", actor=steward, actor_label=steward.get_username()
                )
                for p in plans
            ]
        )
        counts["contact_plans"] += len(plans)
        counts["contact_moments"] += len(moments)
        ew, consents = _early_warning_and_consent(plans, steward, partners, rng, now)
        counts["early_warning_plans"] += ew
        counts["consents"] += consents
    return counts


def _early_warning_and_consent(
    plans: list[ContactPlan], steward: User, partners: dict[str, Organisation], rng: random.Random, now: datetime
) -> tuple[int, int]:
    chosen = [p for p in plans if rng.random() < 0.2]
    ew_plans = [
        EarlyWarningPlan(
            municipality_id=p.municipality_id,
            resident=p.resident,
            strengths="Houdt van wandelen en van de buurtkamer. Wil graag zelfstandig blijven wonen.",
            green_signs="Doet zelf boodschappen, groet de buren.",
            green_self="Elke dag een rondje met de hond.",
            green_network="Zus belt op zondag.",
            orange_signs=rng.choice(
                [
                    "Slaapt slecht, post blijft liggen.",
                    "Gordijnen overdag dicht, neemt telefoon niet op.",
                    "Gaat niet meer naar de buurtkamer.",
                ]
            ),
            orange_self="Zus bellen, naar de koffieochtend gaan.",
            orange_network="Buurvrouw belt aan als de post blijft liggen.",
            orange_professionals="Waakvlammer komt binnen een week langs.",
            red_signs="Komt de deur niet meer uit, eet niet.",
            red_self="De waakvlammer bellen.",
            red_network="Zus belt de waakvlammer.",
            red_professionals="Waakvlammer schakelt met toestemming de huisarts in.",
            agreed_on=p.starts_on + timedelta(days=14),
            created_at=now,
            created_by=steward,
            updated_at=now,
            updated_by=steward,
        )
        for p in chosen
    ]
    EarlyWarningPlan.objects.bulk_create(ew_plans)
    people = []
    for ew_plan in ew_plans:
        for i in range(rng.randint(1, 2)):
            people.append(
                EarlyWarningContact(
                    plan=ew_plan,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    relation=rng.choice(["zus", "broer", "buurvrouw", "vriend"]),
                    phone=f"06-{rng.randint(10000000, 99999999)}",
                    call_when=rng.choice(CallMoment.values),
                    consent_given=True,
                    position=i,
                )
            )
    EarlyWarningContact.objects.bulk_create(people)
    consents = []
    ggz, woonstede = partners.get("ggz-kompas"), partners.get("woonstede")
    today = timezone.localdate(now)
    for plan in chosen:
        if ggz is not None and rng.random() < 0.6:
            for kind in (DataKind.CONTACT_PLAN, DataKind.EARLY_WARNING_PLAN):
                revoked = rng.random() < 0.1
                consents.append(
                    Consent(
                        municipality_id=plan.municipality_id,
                        resident=plan.resident,
                        organisation=ggz,
                        data_kind=kind,
                        purpose="Afstemming nazorg met de FACT-behandelaar",
                        valid_from=plan.starts_on,
                        valid_until=today + timedelta(days=rng.randint(60, 365)),
                        recorded_by=steward,
                        recorded_by_label=steward.get_full_name() or steward.get_username(),
                        recorded_at=_at(plan.starts_on),
                        revoked_at=now - timedelta(days=3) if revoked else None,
                        revoked_by=steward if revoked else None,
                        revoke_reason="Bewoner wil dit niet meer" if revoked else "",
                    )
                )
        if woonstede is not None and rng.random() < 0.2:
            consents.append(
                Consent(
                    municipality_id=plan.municipality_id,
                    resident=plan.resident,
                    organisation=woonstede,
                    data_kind=DataKind.HANDOVER,
                    purpose="Afspraken over de huur bij verhuizing",
                    valid_from=plan.starts_on,
                    valid_until=max(plan.starts_on, today) + timedelta(days=rng.randint(60, 180)),
                    recorded_by=steward,
                    recorded_by_label=steward.get_full_name() or steward.get_username(),
                    recorded_at=_at(plan.starts_on),
                )
            )
    Consent.objects.bulk_create(consents)
    return len(ew_plans), len(consents)
