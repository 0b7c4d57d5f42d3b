"""Test data for contact plans, early-warning plans, consents and handovers, made through the services so
every test also exercises the real write path (and its access-log entries)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.factories import address_in, user
from waakvlam.contact.models import Basis, Consent, ContactPlan, DataKind, EarlyWarningPlan
from waakvlam.contact.plan_services import ConsentInput, PersonInput, consent_create, early_warning_plan_save
from waakvlam.contact.services import PlanInput, plan_create
from waakvlam.core.models import Neighbourhood, Organisation, PostcodeArea
from waakvlam.households.models import Household, Resident
from waakvlam.privacy.services import Actor

AMS = ZoneInfo("Europe/Amsterdam")
BINNENSTAD = "BU99990100"  # Centrum: team Waakvlam Centrum-Oost (waakvlammer)
ZONNEHOEK = "BU99990300"  # West: team Waakvlam West (waakvlammer2)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def actor_of(username: str) -> Actor:
    u = user(username)
    return Actor(
        user_id=u.pk, username=u.username, role=u.role, organisation=u.organisation.slug if u.organisation else ""
    )


def resident_in(code: str = BINNENSTAD, *, name: str = "Jan Jansen", now: datetime | None = None) -> Resident:
    hood = Neighbourhood.objects.get(code=code)
    address = address_in(hood)
    household = Household.objects.create(
        municipality=hood.municipality, address=address, neighbourhood=hood, created_at=now or timezone.now()
    )
    return Resident.objects.create(
        municipality=hood.municipality, household=household, name=name, created_at=now or timezone.now()
    )


def plan_for(
    steward: str = "waakvlammer",
    *,
    resident: Resident | None = None,
    backup: str | None = None,
    starts_on: date | None = None,
    rhythm_days: int = 14,
    now: datetime | None = None,
    by: str | None = None,
) -> ContactPlan:
    now = now or timezone.now()
    keeper = user(steward)
    code = BINNENSTAD if steward != "waakvlammer2" else ZONNEHOEK
    return plan_create(
        resident=resident or resident_in(code, now=now),
        data=PlanInput(
            steward=keeper,
            backup=user(backup) if backup else None,
            rhythm_days=rhythm_days,
            starts_on=starts_on or timezone.localdate(now),
            basis=Basis.CONSENT,
        ),
        by=user(by or steward),
        actor=actor_of(by or steward),
        now=now,
    )


def early_warning_for(resident: Resident, *, by: str = "waakvlammer") -> EarlyWarningPlan:
    return early_warning_plan_save(
        resident=resident,
        texts={
            "orange_signs": "Slaapt slecht, trekt de gordijnen dicht, neemt de telefoon niet op.",
            "orange_self": "Wandelen met de hond, zus bellen.",
            "red_signs": "Komt de deur niet meer uit.",
        },
        people=[PersonInput(name="Els Jansen", phone="06-12345678", relation="zus", consent_given=True)],
        agreed_on=None,
        by=user(by),
        actor=actor_of(by),
        now=timezone.now(),
    )


def consent_for(
    resident: Resident,
    org: str,
    kind: str = DataKind.CONTACT_PLAN,
    *,
    by: str = "waakvlammer",
    until: date | None = None,
) -> Consent:
    return consent_create(
        resident=resident,
        data=ConsentInput(
            organisation=Organisation.objects.get(slug=org),
            data_kind=kind,
            purpose="Nazorg na opname",
            valid_from=timezone.localdate(),
            valid_until=until or timezone.localdate() + timedelta(days=180),
        ),
        by=user(by),
        actor=actor_of(by),
        now=timezone.now(),
    )


def postcode_areas() -> None:
    """9901AB → Binnenstad (team Centrum-Oost); 9921CD → Zonnehoek (team West)."""
    for postcode, code, street in (("9901AB", BINNENSTAD, "Dorpsstraat"), ("9921CD", ZONNEHOEK, "Tulpstraat")):
        hood = Neighbourhood.objects.get(code=code)
        PostcodeArea.objects.create(
            municipality=hood.municipality, neighbourhood=hood, postcode=postcode, street=street, city="Demodorp"
        )


def days(n: int) -> timedelta:
    return timedelta(days=n)
