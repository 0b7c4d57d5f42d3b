"""What the attention rules may read, and nothing else: a narrow projection of signals and of the pilot
light's own state (contact plans, warm handovers), built from an explicit list of allowed columns.

Nothing about the person reaches a rule: no name, description, address or postcode, no urgency or free
text, nothing about nationality, ethnicity, religion, health or income (SECURITY.md, Explainability). A
rule declares which of ALLOWED_FIELDS it reads; tests/attention/test_allowed_fields.py fails the build when
a rule reads anything else, or when this projection grows a field that is not on the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.core.roles import OrganisationKind
from waakvlam.handover.models import Handover, HandoverStatus
from waakvlam.households.models import Household
from waakvlam.intake.models import Outcome, Signal, SourceKind

# Every field a rule may read, as "<fact>.<field>". Adding one is a decision for the algorithm register.
ALLOWED_FIELDS = frozenset(
    {
        "signal.id",
        "signal.tracking_code",
        "signal.category",
        "signal.source",
        "signal.received_on",
        "plan.id",
        "plan.active",
        "plan.next_contact_due",
        "plan.last_contact_on",
        "handover.id",
        "handover.open",
        "handover.discharge_on",
        "handover.first_contact_due",
        "handover.first_contact_on",
    }
)

# Columns read from the database for the projection; reviewed together with ALLOWED_FIELDS. The owning
# team is not a rule input: it only decides whose list an item lands on (`routing_only`).
SIGNAL_COLUMNS = (
    "id",
    "tracking_code",
    "household_id",
    "category",
    "source_kind",
    "reporter_organisation__kind",
    "received_at",
    "owner_team_id",
)
PLAN_COLUMNS = ("id", "resident__household_id", "status", "next_contact_due", "last_contact_on", "team_id")
HANDOVER_COLUMNS = (
    "id",
    "household_id",
    "status",
    "discharge_on",
    "first_contact_due",
    "first_contact_on",
    "receiving_team_id",
)

# Source kinds that only say *how* a signal came in; for those the reporting organisation's kind is the source.
CHANNEL_KINDS = frozenset({SourceKind.PROFESSIONAL, SourceKind.PARTNER_SYSTEM})
POLICE = OrganisationKind.POLICE.value


def signal_source(source_kind: str, organisation_kind: str | None) -> str:
    """Who a signal comes from, as the rules count sources: the kind of organisation that reported it
    (police, housing association, …), or the signal's own source kind (a resident, an energy company's
    arrears feed, an informal supporter) when it says more or when no organisation reported it."""
    if organisation_kind and source_kind in CHANNEL_KINDS:
        return organisation_kind
    return source_kind


def source_label(source: str) -> str:
    for choices in (OrganisationKind, SourceKind):
        if source in choices.values:
            return str(choices(source).label)
    return source


@dataclass(frozen=True, slots=True)
class SignalFact:
    id: int
    tracking_code: str
    category: str
    source: str
    received_on: date
    owner_team_id: int  # routing only: never read by a rule


@dataclass(frozen=True, slots=True)
class PlanFact:
    id: int
    active: bool
    next_contact_due: date
    last_contact_on: date | None
    team_id: int | None  # routing only


@dataclass(frozen=True, slots=True)
class HandoverFact:
    id: int
    open: bool
    discharge_on: date
    first_contact_due: date
    first_contact_on: date | None
    receiving_team_id: int  # routing only


ROUTING_ONLY = frozenset({"signal.owner_team_id", "plan.team_id", "handover.receiving_team_id"})
PROJECTION_FIELDS = frozenset(
    {f"signal.{f.name}" for f in fields(SignalFact)}
    | {f"plan.{f.name}" for f in fields(PlanFact)}
    | {f"handover.{f.name}" for f in fields(HandoverFact)}
)


@dataclass(frozen=True)
class HouseholdFacts:
    household_id: int
    municipality_id: int
    signals: tuple[SignalFact, ...]  # oldest first
    plans: tuple[PlanFact, ...]
    handovers: tuple[HandoverFact, ...]
    # The household's newest counted signal of any date: a decided item returns only after a newer one.
    newest_signal_id: int = 0


def start_of_day(day: date) -> datetime:
    """The first moment of a local day (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def counted_signals() -> Q:
    """Signals that count: linked to a household and not closed as a duplicate of another one."""
    return Q(household__isnull=False) & ~Q(outcome=Outcome.DUPLICATE)


def signal_fact(row: dict[str, Any]) -> SignalFact:
    return SignalFact(
        id=row["id"],
        tracking_code=row["tracking_code"],
        category=row["category"],
        source=signal_source(row["source_kind"], row["reporter_organisation__kind"]),
        received_on=timezone.localdate(row["received_at"]),
        owner_team_id=row["owner_team_id"],
    )


def household_facts(household_ids: Iterable[int], *, since: date) -> dict[int, HouseholdFacts]:
    """The facts of these households: signals received on or after `since` (the widest window of any rule),
    contact plans of their residents and their warm handovers. Households without any fact are left out."""

    ids = sorted(set(household_ids))
    signals: dict[int, list[SignalFact]] = defaultdict(list)
    plans: dict[int, list[PlanFact]] = defaultdict(list)
    handovers: dict[int, list[HandoverFact]] = defaultdict(list)
    municipality: dict[int, int] = {}
    newest: dict[int, int] = {}
    since_moment = start_of_day(since)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        municipality.update(Household.objects.filter(pk__in=chunk).values_list("pk", "municipality_id"))
        rows = (
            Signal.objects.filter(counted_signals(), household_id__in=chunk, received_at__gte=since_moment)
            .order_by("received_at", "id")
            .values(*SIGNAL_COLUMNS)
        )
        for row in rows:
            signals[row["household_id"]].append(signal_fact(row))
        newest.update(
            Signal.objects.filter(counted_signals(), household_id__in=chunk)
            .order_by()
            .values("household_id")
            .annotate(newest=Max("id"))
            .values_list("household_id", "newest")
        )
        for row in ContactPlan.objects.filter(resident__household_id__in=chunk).order_by("id").values(*PLAN_COLUMNS):
            plans[row["resident__household_id"]].append(
                PlanFact(
                    id=row["id"],
                    active=row["status"] == PlanStatus.ACTIVE,
                    next_contact_due=row["next_contact_due"],
                    last_contact_on=row["last_contact_on"],
                    team_id=row["team_id"],
                )
            )
        for row in Handover.objects.filter(household_id__in=chunk).order_by("id").values(*HANDOVER_COLUMNS):
            handovers[row["household_id"]].append(
                HandoverFact(
                    id=row["id"],
                    open=row["status"] != HandoverStatus.CLOSED,
                    discharge_on=row["discharge_on"],
                    first_contact_due=row["first_contact_due"],
                    first_contact_on=row["first_contact_on"],
                    receiving_team_id=row["receiving_team_id"],
                )
            )
    return {
        hid: HouseholdFacts(
            household_id=hid,
            municipality_id=municipality[hid],
            signals=tuple(signals.get(hid, ())),
            plans=tuple(plans.get(hid, ())),
            handovers=tuple(handovers.get(hid, ())),
            newest_signal_id=newest.get(hid, 0),
        )
        for hid in ids
        if hid in municipality
    }
