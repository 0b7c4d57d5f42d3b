"""Social-map rows for tests, built directly (the map is reference data, not a use case)."""

from __future__ import annotations

import uuid
from datetime import time

from django.utils import timezone

from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.socialmap import models as m


def needs_taxonomy() -> m.Taxonomy:
    return m.Taxonomy.objects.get_or_create(name="Waakvlam behoeften", defaults={"description": "Behoeften"})[0]


def need(code: str, name: str) -> m.TaxonomyTerm:
    return m.TaxonomyTerm.objects.get_or_create(
        code=code, defaults={"name": name, "taxonomy_detail": needs_taxonomy(), "taxonomy_name": "Waakvlam behoeften"}
    )[0]


def service(
    municipality: Municipality,
    *,
    name: str = "Koffieochtend",
    neighbourhood: Neighbourhood | None = None,
    collective: bool = True,
    free: bool = True,
    access: str = m.Access.WALK_IN,
    byday: str = "TU",
    opens_at: time = time(10, 0),
    closes_at: time = time(12, 0),
    lat: float | None = 52.06,
    lon: float | None = 5.06,
    need_code: str = "ontmoeting",
    capacity: int | None = None,
    moderation: str = m.Moderation.PUBLISHED,
    **fields: object,
) -> m.Service:
    now = timezone.now()
    org = m.Organization.objects.create(
        municipality=municipality, name=f"Stichting {name}", description="Een stichting", last_modified=now
    )
    location = m.Location.objects.create(
        organization=org, name=f"Buurthuis {name}", latitude=lat, longitude=lon, neighbourhood=neighbourhood
    )
    m.PostalAddress.objects.create(location=location, address_1="Dorpsstraat 1", city="Demodorp", postal_code="9911AA")
    svc = m.Service.objects.create(
        municipality=municipality,
        organization=org,
        name=name,
        description=f"{name} voor iedereen",
        last_modified=now,
        collective=collective,
        free=free,
        access=access,
        capacity=capacity,
        moderation=moderation,
        **fields,
    )
    sal = m.ServiceAtLocation.objects.create(service=svc, location=location)
    m.Schedule.objects.create(
        service=svc, service_at_location=sal, freq="WEEKLY", byday=byday, opens_at=opens_at, closes_at=closes_at
    )
    m.ServiceAttribute.objects.create(service=svc, taxonomy_term=need(need_code, need_code.title()))
    m.CostOption.objects.create(service=svc, option="Iedereen", currency="EUR", amount=0 if free else 3)
    contact = m.Contact.objects.create(service=svc, name="Anja", title="Vrijwilliger", email="anja@example.org")
    m.Phone.objects.create(contact=contact, number="010-1234567")
    m.Language.objects.create(service=svc, name="Nederlands", code="nl")
    return svc


def new_id() -> uuid.UUID:
    return uuid.uuid4()
