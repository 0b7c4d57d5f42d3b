"""Who sees which link of the informal network. A supporter sees only their own active links (a revoked or
expired consent disappears at once); a steward or coordinator sees the links of the residents whose plan
their organisation keeps. Nobody in this role sees signals, households or case content: those apps' own
selectors answer nothing for it (core.roles: the role is outside every care role)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.network.models import SupporterLink


def active_links(today: date) -> QuerySet[SupporterLink]:
    return SupporterLink.objects.filter(revoked_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def links_of_supporter(user: User, now: datetime | None = None) -> QuerySet[SupporterLink]:
    if not user.is_authenticated or user.role != Role.INFORMAL_SUPPORTER or not user.is_active:
        return SupporterLink.objects.none()
    return active_links(timezone.localdate(now or timezone.now())).filter(supporter=user)


def links_managed_by(user: User, now: datetime | None = None) -> QuerySet[SupporterLink]:
    """Links the steward or coordinator may see and record or revoke: residents they keep contact with."""
    if not user.is_authenticated or user.role not in {Role.STEWARD, Role.COORDINATOR}:
        return SupporterLink.objects.none()
    return SupporterLink.objects.filter(resident__in=residents_writable_by(user, now).values("pk"))


def supporters_for(municipality_id: int) -> QuerySet[User]:
    """Informal supporters one may link: of an organisation in this municipality, or of none (family)."""
    return User.objects.filter(role=Role.INFORMAL_SUPPORTER, is_active=True).filter(
        Q(organisation__municipality_id=municipality_id) | Q(organisation__isnull=True)
    )


def first_name(link: SupporterLink) -> str:
    """What a supporter sees of a resident: the first name, or the description for someone without one."""
    resident = link.resident
    return (resident.name or "").split(" ")[0] or resident.description
