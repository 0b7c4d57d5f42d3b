"""Who may see which contact plans, contact moments, early-warning plans and consents; and the lists of
plans whose flame is going out. Every read goes through these querysets.

Need to know, in three layers:
- own organisation: a steward sees the plans they keep or back up and those of their teams; a coordinator
  sees every plan of their organisation. Only this layer may change a plan.
- consent: any other organisation sees a resident's plan only while an active consent covers that
  organisation and that kind of data (contact plan, early-warning plan, handover data). The consent table
  is read on every request, so a revoked consent answers 404 on the next one.
- warm handover: the sending clinic or shelter sees the contact plan during the overlap period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from waakvlam.contact.hooks import HOOKS, any_of
from waakvlam.contact.models import (
    Consent,
    ContactMoment,
    ContactPlan,
    DataKind,
    EarlyWarningPlan,
    PlanStatus,
    active_consents,
)
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import CARE_ROLES, Role
from waakvlam.households.models import Resident

NONE = Q(pk__in=[])


def today_of(now: datetime | None = None) -> date:
    """The local date (settings.TIME_ZONE) of a moment: deadlines count in days where the steward lives."""
    return timezone.localdate(now or timezone.now())


def org_of(user: User) -> int:
    """The user's organisation id; 0 (matches nothing) for a user without one."""
    return int(user.organisation_id or 0)


def _cares(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.role in CARE_ROLES)


def _team_ids(user: User) -> list[int]:
    return list(user.teams.values_list("pk", flat=True))


def _consented_residents(organisation_id: int, kind: str, today: date) -> QuerySet[Consent, Any]:
    return active_consents(today).filter(organisation_id=organisation_id, data_kind=kind).values("resident_id")


# --- contact plans ---------------------------------------------------------------------------------------------


def own_plan_q(user: User) -> Q:
    """Plans of the user's own organisation that their role lets them keep (and change)."""
    if not _cares(user):
        return NONE
    if user.role == Role.STEWARD:
        return Q(steward=user) | Q(backup=user) | Q(team_id__in=_team_ids(user))
    if user.role == Role.COORDINATOR:
        return Q(organisation_id=org_of(user))
    return NONE


def _shared_plan_q(organisation_id: int, today: date) -> Q:
    return Q(resident_id__in=_consented_residents(organisation_id, DataKind.CONTACT_PLAN, today)) | any_of(
        "pk", [shared(organisation_id, today) for shared in HOOKS.shared_plans]
    )


def plans_visible_to(user: User, now: datetime | None = None) -> QuerySet[ContactPlan]:
    if not _cares(user):
        return ContactPlan.objects.none()
    return ContactPlan.objects.filter(own_plan_q(user) | _shared_plan_q(org_of(user), today_of(now)))


def plans_writable_by(user: User) -> QuerySet[ContactPlan]:
    return ContactPlan.objects.filter(own_plan_q(user))


def plans_visible_to_api_key(api_key: ApiKey, now: datetime | None = None) -> QuerySet[ContactPlan]:
    """A partner system (scope contact:read) sees its own organisation's plans and what consent allows."""
    if scopes.CONTACT_READ not in api_key.scopes:
        return ContactPlan.objects.none()
    org = api_key.organisation_id
    return ContactPlan.objects.filter(Q(organisation_id=org) | _shared_plan_q(org, today_of(now)))


def plan_may_change(user: User, plan: ContactPlan) -> bool:
    return plans_writable_by(user).filter(pk=plan.pk).exists()


def moments_of_visible_plans(plans: QuerySet[ContactPlan]) -> QuerySet[ContactMoment]:
    return ContactMoment.objects.filter(plan__in=plans.values("pk"))


# --- residents, early-warning plans, consents ---------------------------------------------------------------


def resident_writable_q(user: User, now: datetime | None = None, *, field: str = "pk") -> Q:
    """Residents whose early-warning plan and consents the user may change: kept by their own organisation,
    or in a handover they take part in. `field` names the resident's id on the queried model."""
    if not _cares(user):
        return NONE
    own = plans_writable_by(user).values("resident_id")
    return Q(**{f"{field}__in": own}) | any_of(field, [party(user, now) for party in HOOKS.writable_residents])


def residents_writable_by(user: User, now: datetime | None = None) -> QuerySet[Resident]:
    return Resident.objects.filter(resident_writable_q(user, now))


def residents_visible_to(user: User, now: datetime | None = None) -> QuerySet[Resident]:
    if not _cares(user):
        return Resident.objects.none()
    today = today_of(now)
    any_consent = active_consents(today).filter(organisation_id=org_of(user)).values("resident_id")
    return Resident.objects.filter(
        resident_writable_q(user, now)
        | Q(pk__in=plans_visible_to(user, now).values("resident_id"))
        | any_of("pk", [visible(user, now) for visible in HOOKS.visible_residents])
        | Q(pk__in=any_consent)
    )


def active_plans_at_household(user: User, household_id: int | None, now: datetime | None = None) -> list[ContactPlan]:
    """The pilot light already burning at an address, as far as the user may see it."""
    if not household_id:
        return []
    return list(
        plans_visible_to(user, now)
        .filter(status=PlanStatus.ACTIVE, resident__household_id=household_id)
        .select_related("resident", "steward", "team")
        .order_by("pk")
    )


def residents_named(user: User, text: str, now: datetime | None = None, *, limit: int = 50) -> list[Resident]:
    """Residents the user may see whose name (or "recognisable by" description) contains `text`.

    Names are encrypted at rest, so the database cannot compare them: the visible set — a steward's or an
    organisation's own caseload — is decrypted and matched here. The caller logs every resident shown."""
    needle = " ".join(text.split()).casefold()
    if len(needle) < 2:
        return []
    rows = residents_visible_to(user, now).select_related("household__address").order_by("pk")
    found = [
        r for r in rows.iterator(chunk_size=500) if needle in " ".join((r.name or r.description).split()).casefold()
    ]
    return sorted(found, key=lambda r: (str(r).casefold(), r.pk))[:limit]


def early_warning_plans_visible_to(user: User, now: datetime | None = None) -> QuerySet[EarlyWarningPlan]:
    if not _cares(user):
        return EarlyWarningPlan.objects.none()
    consented = _consented_residents(org_of(user), DataKind.EARLY_WARNING_PLAN, today_of(now))
    return EarlyWarningPlan.objects.filter(
        resident_writable_q(user, now, field="resident_id") | Q(resident_id__in=consented)
    )


def early_warning_plans_writable_by(user: User, now: datetime | None = None) -> QuerySet[EarlyWarningPlan]:
    return EarlyWarningPlan.objects.filter(resident_writable_q(user, now, field="resident_id"))


def early_warning_plans_visible_to_api_key(api_key: ApiKey, now: datetime | None = None) -> QuerySet[EarlyWarningPlan]:
    if scopes.CONTACT_READ not in api_key.scopes:
        return EarlyWarningPlan.objects.none()
    org = api_key.organisation_id
    own = ContactPlan.objects.filter(organisation_id=org).values("resident_id")
    consented = _consented_residents(org, DataKind.EARLY_WARNING_PLAN, today_of(now))
    return EarlyWarningPlan.objects.filter(Q(resident_id__in=own) | Q(resident_id__in=consented))


def consents_visible_to(user: User, now: datetime | None = None) -> QuerySet[Consent]:
    """The registry for residents the user keeps contact with; and, to another organisation, the active
    consents given to it (a revoked or expired one disappears from its view at once)."""
    if not _cares(user):
        return Consent.objects.none()
    given_to_us = active_consents(today_of(now)).filter(organisation_id=org_of(user)).values("pk")
    return Consent.objects.filter(resident_writable_q(user, now, field="resident_id") | Q(pk__in=given_to_us))


def consents_writable_by(user: User, now: datetime | None = None) -> QuerySet[Consent]:
    return Consent.objects.filter(resident_writable_q(user, now, field="resident_id"))


def consents_visible_to_api_key(api_key: ApiKey, now: datetime | None = None) -> QuerySet[Consent]:
    if scopes.CONTACT_READ not in api_key.scopes:
        return Consent.objects.none()
    org = api_key.organisation_id
    own = ContactPlan.objects.filter(organisation_id=org).values("resident_id")
    given = active_consents(today_of(now)).filter(organisation_id=org).values("pk")
    return Consent.objects.filter(Q(resident_id__in=own) | Q(pk__in=given))


def early_warning_signs_for_household(user: User, household_id: int) -> list[EarlyWarningPlan]:
    """The early-warning plans the user may see of residents living in this household, for showing the signs
    next to a signal about it. Pure read: the caller logs the view (see contact.templatetags)."""
    if not household_id:
        return []
    return list(
        early_warning_plans_visible_to(user)
        .filter(resident__household_id=household_id)
        .select_related("resident")
        .order_by("pk")
    )


def early_warning_signs_for_address(user: User, address_id: int | None) -> list[EarlyWarningPlan]:
    """The same for a signal, which knows its address rather than its household."""
    if not address_id:
        return []
    return list(
        early_warning_plans_visible_to(user)
        .filter(resident__household__address_id=address_id)
        .select_related("resident")
        .order_by("pk")
    )


# --- the flame going out ---------------------------------------------------------------------------------------


def active_plans() -> QuerySet[ContactPlan]:
    return ContactPlan.objects.filter(status=PlanStatus.ACTIVE)


def plans_due_for_steward(user: User, now: datetime, *, within_days: int = 0) -> QuerySet[ContactPlan]:
    """The steward's own active plans due today (or within `within_days`) or overdue, earliest first."""
    until = today_of(now) + timedelta(days=within_days)
    return (
        active_plans()
        .filter(Q(steward=user) | Q(backup=user), next_contact_due__lte=until)
        .order_by("next_contact_due", "pk")
    )


def plans_due_for_team(team_id: int, now: datetime, *, within_days: int = 0) -> QuerySet[ContactPlan]:
    until = today_of(now) + timedelta(days=within_days)
    return active_plans().filter(team_id=team_id, next_contact_due__lte=until).order_by("next_contact_due", "pk")


def plans_overdue_for_organisation(organisation_id: int, now: datetime) -> QuerySet[ContactPlan]:
    return active_plans().filter(organisation_id=organisation_id, next_contact_due__lt=today_of(now))


def my_plans(user: User, now: datetime | None = None) -> QuerySet[ContactPlan]:
    """The "my residents" page, due and overdue first: the plans a steward or coordinator keeps or backs up;
    for a partner professional, the active plans consent or a handover lets them see."""
    if user.role == Role.PARTNER:
        mine = plans_visible_to(user, now).filter(status=PlanStatus.ACTIVE)
    else:
        mine = active_plans().filter(Q(steward=user) | Q(backup=user))
    return mine.order_by("next_contact_due", "pk")


@dataclass
class DueSummary:
    """What the steward's start page shows about their residents."""

    today: date
    overdue: int = 0
    due_today: int = 0
    due_this_week: int = 0
    active: int = 0
    rows: list[ContactPlan] = field(default_factory=list)


def contact_plans_due_for(user: User, now: datetime, *, limit: int = 8) -> DueSummary:
    """For the start page: counts of the user's plans overdue / due today / due within 7 days, and the first
    `limit` of them, in two queries."""
    today = today_of(now)
    summary = DueSummary(today=today)
    if not _cares(user):
        return summary
    mine = active_plans().filter(Q(steward=user) | Q(backup=user))
    for due in mine.values_list("next_contact_due", flat=True):
        summary.active += 1
        if due < today:
            summary.overdue += 1
        elif due == today:
            summary.due_today += 1
        elif due <= today + timedelta(days=7):
            summary.due_this_week += 1
    if summary.overdue or summary.due_today or summary.due_this_week:
        summary.rows = list(
            mine.filter(next_contact_due__lte=today + timedelta(days=7))
            .select_related("resident", "resident__household__address")
            .order_by("next_contact_due", "pk")[:limit]
        )
    return summary
