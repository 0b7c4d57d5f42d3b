"""Who may see which signals. Every read of signals goes through these querysets."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.intake.models import Signal


def signal_visibility(user: User) -> Q:
    """Need to know: the owning team's members, the owner, and coordinators of the owning organisation."""
    if not user.is_authenticated or not user.organisation_id:
        return Q(pk__in=[])
    if user.role in {Role.STEWARD, Role.PARTNER}:
        return Q(owner_team__members=user) | Q(owner_user=user)
    if user.role == Role.COORDINATOR:
        return Q(owner_team__organisation_id=user.organisation_id)
    return Q(pk__in=[])


def signals_visible_to(user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(signal_visibility(user)).distinct()


def signals_reported_by(user: User) -> QuerySet[Signal]:
    """A signaller's own reports; the page shows status only, never owner, text or outcome (the tracking rule)."""
    return Signal.objects.filter(reporter_user=user).only(
        "tracking_code", "category", "status", "received_at", "updated_at"
    )


def signal_subject(signal: Signal) -> str:
    """What the access log records as "about whom": the address, until households exist as their own record."""
    return f"address:{signal.address_id}" if signal.address_id else f"signal:{signal.pk}"


def signals_visible_to_caller(request: HttpRequest) -> QuerySet[Signal]:
    """For the API: a partner key sees the signals its own organisation owns; a session user as in the UI."""
    api_key = getattr(request, "api_key", None)
    if api_key is not None:
        if "signals:read" not in api_key.scopes:
            return Signal.objects.none()
        return Signal.objects.filter(owner_team__organisation_id=api_key.organisation_id)
    return signals_visible_to(request.user)  # type: ignore[arg-type]
