"""The public HSDS 3.0 read API under /api/v1/hsds/ (Open Referral's openapi.json): no credentials, only
public information about organisations and their offer, never anything about residents or referrals."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from waakvlam.socialmap import hsds, selectors
from waakvlam.socialmap import models as m

router = Router(tags=["hsds"], auth=None)
MAX_PER_PAGE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE, description=f"Items per page, at most {MAX_PER_PAGE}.")
    search: str = Field("", max_length=200, description="Words in the name or description.")


class ServiceQuery(PageQuery):
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = Field(None, description="ISO 8601; only what changed on or after it.")


class TermQuery(PageQuery):
    taxonomy_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None


def hsds_page(qs: QuerySet[Any], query: PageQuery, render: Any) -> dict[str, Any]:
    """An HSDS page: total_items, total_pages, page_number, size, first_page, last_page, empty, contents."""
    total = qs.count()
    start = (query.page - 1) * query.per_page
    items = list(qs[start : start + query.per_page]) if start < total else []
    pages = math.ceil(total / query.per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(items),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": not items,
        "contents": [render(item) for item in items],
    }


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        raise Http404 from None


@router.get("/", summary="HSDS version and profile of this API")
def hsds_root(request: HttpRequest) -> dict[str, str]:
    return {"version": hsds.HSDS_VERSION, "profile": hsds.PROFILE_URL, "openapi_url": hsds.OPENAPI_URL}


@router.get("/services", summary="Services (HSDS page)")
def services(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    qs = selectors.services_filtered(
        selectors.public_services().select_related("organization"),
        search=query.search,
        taxonomy_term_id=query.taxonomy_term_id,
        taxonomy_id=query.taxonomy_id,
        organization_id=query.organization_id,
        modified_after=query.modified_after,
    ).order_by("name", "id")
    return hsds_page(qs, query, hsds.service_list_out)


@router.get("/services/{id}", summary="One service, fully nested")
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    found = hsds.services_for_output(selectors.public_services()).filter(pk=_uuid(id)).first()
    if found is None:
        raise Http404
    return hsds.service_out(found)


@router.get("/organizations", summary="Organisations (HSDS page)")
def organizations(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    qs = selectors.public_organizations()
    if query.search:
        qs = qs.filter(name__icontains=query.search)
    return hsds_page(qs.order_by("name", "id"), query, hsds.organization_brief)


@router.get("/organizations/{id}", summary="One organisation with its services")
def organization(request: HttpRequest, id: str) -> dict[str, Any]:
    org = (
        selectors.public_organizations()
        .prefetch_related("contacts__phones", "phones", "locations__addresses", "locations__accessibility")
        .filter(pk=_uuid(id))
        .first()
    )
    if org is None:
        raise Http404
    services = list(hsds.services_for_output(selectors.public_services().filter(organization=org)).order_by("name"))
    return hsds.organization_out(org, services)


@router.get("/service_at_locations", summary="Services at locations (HSDS page)")
def service_at_locations(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    qs = selectors.services_filtered(
        selectors.public_service_at_locations().select_related("location", "service"),
        search=query.search,
        taxonomy_term_id=query.taxonomy_term_id,
        taxonomy_id=query.taxonomy_id,
        organization_id=query.organization_id,
        modified_after=query.modified_after,
        prefix="service__",
    ).order_by("service__name", "id")
    return hsds_page(qs, query, hsds.service_at_location_list_out)


@router.get("/service_at_locations/{id}", summary="One service at a location, fully nested")
def service_at_location(request: HttpRequest, id: str) -> dict[str, Any]:
    sal = (
        selectors.public_service_at_locations()
        .select_related("service__organization", "location")
        .prefetch_related(
            "schedules",
            "location__addresses",
            "location__accessibility",
            "location__languages",
            "location__phones",
            "location__schedules",
            "location__contacts__phones",
        )
        .filter(pk=_uuid(id))
        .first()
    )
    if sal is None:
        raise Http404
    return hsds.service_at_location_out(sal)


@router.get("/taxonomies", summary="Taxonomies (HSDS page)")
def taxonomies(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    qs = m.Taxonomy.objects.order_by("name", "id")
    if query.search:
        qs = qs.filter(name__icontains=query.search)
    return hsds_page(qs, query, hsds.taxonomy_out)


@router.get("/taxonomy_terms", summary="Taxonomy terms (HSDS page)")
def taxonomy_terms(request: HttpRequest, query: Query[TermQuery]) -> dict[str, Any]:
    qs = m.TaxonomyTerm.objects.select_related("taxonomy_detail").order_by("name", "id")
    if query.search:
        qs = qs.filter(name__icontains=query.search)
    if query.taxonomy_id:
        qs = qs.filter(taxonomy_detail_id=query.taxonomy_id)
    if query.parent_id:
        qs = qs.filter(parent_id=query.parent_id)
    return hsds_page(qs, query, hsds.term_out)
