"""Reading the access log: only the privacy officer, only their own municipality's entries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import Role
from waakvlam.privacy.models import AccessLogEntry


def access_log_visible_to(user: User) -> QuerySet[AccessLogEntry]:
    if not user.is_authenticated or user.role != Role.PRIVACY_OFFICER or not user.organisation_id:
        return AccessLogEntry.objects.none()
    municipality = user.organisation.municipality  # type: ignore[union-attr]
    slugs = Organisation.objects.filter(municipality=municipality).values_list("slug", flat=True)
    # Entries of the municipality's organisations, plus public and system entries about its data.
    return AccessLogEntry.objects.filter(organisation__in=list(slugs)) | AccessLogEntry.objects.filter(
        municipality_code=municipality.code
    )


def access_log_search(
    user: User,
    *,
    username: str = "",
    organisation: str = "",
    subject: str = "",
    subjects: list[str] | None = None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessLogEntry]:
    entries = access_log_visible_to(user)
    if username:
        entries = entries.filter(username__iexact=username)
    if organisation:
        entries = entries.filter(organisation=organisation)
    if subject:
        entries = entries.filter(subject=subject)
    if subjects is not None:
        # A person found by name: everything logged about them or their address (may be nothing).
        entries = entries.filter(subject__in=subjects)
    if action:
        entries = entries.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=datetime.combine(date_from, time.min, tz))
    if date_to:
        entries = entries.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tz))
    return entries.order_by("-seq")


def access_log_summary(user: User) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=7)
    recent = access_log_visible_to(user).filter(at__gte=since)
    by_action = dict(recent.values_list("action").annotate(n=Count("seq")).values_list("action", "n"))
    return {"total_week": sum(by_action.values()), "by_action": by_action}
