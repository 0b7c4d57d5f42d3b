"""Who may see which referral, and how much of it.

- The sending side (the steward who sent it, their team; a coordinator: their organisation) sees it whole.
- The receiving side (the keeper who owns it; or, without a keeper, the owning organisation's users and
  its API keys with scope `referrals:read`) sees only what the resident agreed to share: the name as
  shared and, if agreed, a phone number and a short note. Never the address, never the resident record.
- Anyone else: 404. Every view, list or detail, UI or API, writes one access-log entry per referral,
  naming the resident.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, User
from waakvlam.core.roles import CARE_ROLES, Role
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record
from waakvlam.socialmap.referral_models import Referral, ReferralEvent, ReferralStatus

NONE = Q(pk__in=[])


def sender_q(user: User) -> Q:
    if not user.is_authenticated or not user.organisation_id:
        return NONE
    if user.role == Role.STEWARD:
        return Q(sender=user) | Q(sender_team__in=user.teams.values("pk"))
    if user.role == Role.COORDINATOR:
        return Q(sender_organisation_id=user.organisation_id)
    return NONE


def receiver_q(user: User) -> Q:
    if not user.is_authenticated:
        return NONE
    if user.role == Role.ACTIVITY_KEEPER:
        return Q(owner_keeper=user)
    if user.role in CARE_ROLES and user.organisation_id:
        return Q(owner_keeper__isnull=True, owner_organisation_id=user.organisation_id)
    return NONE


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(sender_q(user) | receiver_q(user))


def referrals_visible_to_api_key(api_key: ApiKey) -> QuerySet[Referral]:
    if scopes.REFERRALS_READ not in api_key.scopes:
        return Referral.objects.none()
    org = api_key.organisation_id
    return Referral.objects.filter(
        Q(sender_organisation_id=org) | Q(owner_keeper__isnull=True, owner_organisation_id=org)
    )


def sees_whole(referral: Referral, *, user: User | None = None, api_key: ApiKey | None = None) -> bool:
    """The sending side sees the whole referral; the receiving side only what consent allows."""
    if api_key is not None:
        return referral.sender_organisation_id == api_key.organisation_id
    return user is not None and Referral.objects.filter(sender_q(user), pk=referral.pk).exists()


def referrals_log_view(actor: Actor, referrals: list[Referral], context: str) -> None:
    """One access-log entry per referral shown, naming its resident."""
    with transaction.atomic(), access_log_deferred():
        for referral in referrals:
            access_log_record(
                actor=actor,
                action=AccessAction.VIEW,
                object_type="socialmap.referral",
                object_id=referral.pk,
                subject=resident_subject(referral.resident_id),
                context=context,
            )


def referrals_awaiting_answer(now: datetime | None = None) -> QuerySet[Referral]:
    """Referrals still waiting for the receiving side's answer (all, or those due by `now`), earliest
    due first: what the follow-up mechanism's "referral answer" kind chases."""
    qs = Referral.objects.filter(status=ReferralStatus.SENT)
    if now is not None:
        qs = qs.filter(answer_due_at__lte=now)
    return qs.order_by("answer_due_at", "pk")


def connection_counts(
    municipality_id: int,
    *,
    by: str,
    since: datetime | None = None,
    until: datetime | None = None,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    """Connections made (the resident came) to collective vs individual offers, per steward, team or
    neighbourhood: `[{"key": …, "label": …, "collective": n, "individual": n}]`; only those sent from
    one organisation when it is given (a coordinator's own). Counts only: for the team coordinator's
    page and the insight app."""
    fields = {
        "steward": ("sender_id", "sender__username"),
        "team": ("sender_team_id", "sender_team__name"),
        "neighbourhood": ("neighbourhood_id", "neighbourhood__code"),
    }
    if by not in fields:
        raise ValueError(f"by must be one of {', '.join(fields)}")
    events = ReferralEvent.objects.filter(to_status=ReferralStatus.CONNECTED, referral__municipality_id=municipality_id)
    if organisation_id is not None:
        events = events.filter(referral__sender_organisation_id=organisation_id)
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lt=until)
    key, label = fields[by]
    referral_ids = events.values("referral_id")
    rows = Referral.objects.filter(pk__in=referral_ids).values_list(key, label, "collective")
    counts: Counter[tuple[Any, Any, bool]] = Counter(rows)
    out: dict[Any, dict[str, Any]] = {}
    for (k, name, collective), n in counts.items():
        entry = out.setdefault(k, {"key": k, "label": name or "", "collective": 0, "individual": 0})
        entry["collective" if collective else "individual"] += n
    return sorted(out.values(), key=lambda e: str(e["label"]))
