"""Who may see which handovers. Every read of handovers goes through these querysets.

- the sending organisation (clinic, shelter): while the handover is open, and during the overlap period;
- the receiving side: members of the receiving team, the assigned steward, coordinators of its organisation;
- any other organisation only while an active consent for "handover data" covers it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from waakvlam.contact.models import DataKind, active_consents
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, Organisation, User
from waakvlam.core.roles import PERSONAL_DATA_ROLES, OrganisationKind, Role
from waakvlam.handover.models import OPEN_STATUSES, Handover, HandoverStatus, ItemState

NONE = Q(pk__in=[])
SENDING_KINDS = frozenset({OrganisationKind.MENTAL_HEALTH_CARE, OrganisationKind.SHELTER})


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


def _team_ids(user: User) -> list[int]:
    return list(user.teams.values_list("pk", flat=True))


def _sender_q(organisation_id: int, today: date) -> Q:
    return Q(from_organisation_id=organisation_id) & (Q(status__in=OPEN_STATUSES) | Q(overlap_until__gte=today))


def _consent_q(organisation_id: int, today: date) -> Q:
    consented = active_consents(today).filter(organisation_id=organisation_id, data_kind=DataKind.HANDOVER)
    return Q(resident_id__in=consented.values("resident_id"))


def _receiver_q(user: User) -> Q:
    if user.role == Role.STEWARD:
        return Q(receiving_team_id__in=_team_ids(user)) | Q(steward=user)
    if user.role == Role.COORDINATOR:
        return Q(receiving_team__organisation_id=user.organisation_id)
    return NONE


def _party_q(user: User, today: date) -> Q:
    """The two sides of the handover: they may also change it."""
    if not user.is_authenticated or not user.organisation_id or user.role not in PERSONAL_DATA_ROLES:
        return NONE
    if user.role == Role.PRIVACY_OFFICER:
        return NONE
    return _sender_q(user.organisation_id, today) | _receiver_q(user)


def handover_visibility(user: User, now: datetime | None = None) -> Q:
    if not user.is_authenticated or not user.organisation_id or user.role not in PERSONAL_DATA_ROLES:
        return NONE
    if user.role == Role.PRIVACY_OFFICER:
        return NONE
    today = _today(now)
    return _party_q(user, today) | _consent_q(user.organisation_id, today)


def handovers_visible_to(user: User, now: datetime | None = None) -> QuerySet[Handover]:
    return Handover.objects.filter(handover_visibility(user, now))


def handovers_changeable_by(user: User, now: datetime | None = None) -> QuerySet[Handover]:
    return Handover.objects.filter(_party_q(user, _today(now)))


def handovers_visible_to_api_key(api_key: ApiKey, now: datetime | None = None) -> QuerySet[Handover]:
    """A partner system sees what its organisation sends, receives, or has consent for."""
    if scopes.HANDOVERS_READ not in api_key.scopes:
        return Handover.objects.none()
    today = _today(now)
    org = api_key.organisation_id
    return Handover.objects.filter(
        _sender_q(org, today) | Q(receiving_team__organisation_id=org) | _consent_q(org, today)
    )


def handover_party_resident_ids(user: User, now: datetime | None = None) -> QuerySet[Handover, Any]:
    """Residents of handovers the user takes part in (a values queryset for use in a subquery)."""
    return Handover.objects.filter(_party_q(user, _today(now))).values("resident_id")


def handover_receiver_resident_ids(user: User, now: datetime | None = None) -> QuerySet[Handover, Any]:
    """Residents of open handovers the user receives: until the contact plan is theirs, the receiving side is
    the resident's responsible steward side (registered in contact.consent_rules from apps.py)."""
    return Handover.objects.filter(_receiver_q(user), status__in=OPEN_STATUSES).values("resident_id")


def handover_overlap_plan_ids(organisation_id: int, today: date) -> QuerySet[Handover, Any]:
    """Contact plans the sending organisation still sees: until the overlap period ends, open or not."""
    return Handover.objects.filter(
        from_organisation_id=organisation_id, contact_plan__isnull=False, overlap_until__gte=today
    ).values("contact_plan_id")


def may_announce(user: User) -> bool:
    """A clinic or shelter professional (role partner in a mental-health-care or shelter organisation)."""
    organisation: Organisation | None = getattr(user, "organisation", None)
    return bool(
        user.is_authenticated
        and user.role == Role.PARTNER
        and organisation is not None
        and organisation.kind in SENDING_KINDS
    )


def handovers_open_count(qs: QuerySet[Handover]) -> int:
    return qs.exclude(status=HandoverStatus.CLOSED).count()


def handovers_in_hand(user: User, now: datetime | None = None) -> QuerySet[Handover]:
    """A party's handovers for its start page: open ones, and closed ones while the overlap lasts; what waits
    on someone first (acceptance, then first contact by its due day), each with its open checklist items."""
    today = _today(now)
    return (
        Handover.objects.filter(_party_q(user, today))
        .filter(Q(status__in=OPEN_STATUSES) | Q(overlap_until__gte=today))
        .annotate(
            open_items=Count("items", filter=Q(items__state=ItemState.OPEN)),
            waiting=Case(
                When(status=HandoverStatus.ANNOUNCED, then=Value(0)),
                When(status=HandoverStatus.ACCEPTED, then=Value(1)),
                When(status=HandoverStatus.FIRST_CONTACT, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .order_by("waiting", "first_contact_due", "pk")
    )
