"""Reads of the social map. The map itself is public information (organisations and their offer);
what is public is what the functional admin let through (`moderation = published`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from waakvlam.socialmap import models as m


def public_services(municipality_id: int | None = None) -> QuerySet[m.Service]:
    qs = m.Service.objects.filter(moderation=m.Moderation.PUBLISHED)
    return qs.filter(municipality_id=municipality_id) if municipality_id else qs


def public_organizations() -> QuerySet[m.Organization]:
    return m.Organization.objects.filter(services__moderation=m.Moderation.PUBLISHED).distinct()


def public_service_at_locations() -> QuerySet[m.ServiceAtLocation]:
    return m.ServiceAtLocation.objects.filter(service__moderation=m.Moderation.PUBLISHED)


R = TypeVar("R", bound=Model)


def services_filtered(
    qs: QuerySet[R, Any],
    *,
    search: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    prefix: str = "",
) -> QuerySet[R, Any]:
    """HSDS's list filters, on services or (with prefix "service__") on what points to a service."""
    if search:
        qs = qs.filter(
            Q(**{f"{prefix}name__icontains": search})
            | Q(**{f"{prefix}description__icontains": search})
            | Q(**{f"{prefix}organization__name__icontains": search})
        )
    if taxonomy_term_id:
        qs = qs.filter(**{f"{prefix}attributes__taxonomy_term_id": taxonomy_term_id})
    if taxonomy_id:
        qs = qs.filter(**{f"{prefix}attributes__taxonomy_term__taxonomy_detail_id": taxonomy_id})
    if organization_id:
        qs = qs.filter(**{f"{prefix}organization_id": organization_id})
    if modified_after:
        qs = qs.filter(**{f"{prefix}last_modified__gte": modified_after})
    return qs.distinct() if (taxonomy_term_id or taxonomy_id) else qs
