"""The functional admin keeps the social map: creates and edits organisations and services with their
place and schedule. The same moderation mechanism as a keeper's change: every save is a ServiceChange
that the admin, being the moderator, decides at once (approved, by them), so each entry's history of
changes is in one place; a keeper's change still waiting is left for the moderation screen."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.socialmap import models as m
from waakvlam.socialmap.errors import NotAllowed

ORGANIZATION_FIELDS = ("name", "alternate_name", "description", "email", "website", "resident_initiative", "tenant")
SERVICE_FIELDS = (
    "name",
    "description",
    "status",
    "collective",
    "access",
    "free",
    "fees_description",
    "application_process",
    "eligibility_description",
    "capacity",
    "keeper",
    "alert",
    "moderation",
)
LOCATION_FIELDS = ("location_name", "latitude", "longitude", "neighbourhood")
ADDRESS_FIELDS = ("address_1", "postal_code", "city")
SCHEDULE_FIELDS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to")


def _admin_of(by: User, municipality_id: int) -> None:
    if by.role != Role.ADMIN or by.municipality_id != municipality_id:
        raise NotAllowed()


def _plain(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def organization_save(
    *, by: User, data: dict[str, Any], now: datetime, organization: m.Organization | None = None
) -> m.Organization:
    _admin_of(by, organization.municipality_id if organization else by.municipality_id)
    with transaction.atomic():
        org = organization or m.Organization(municipality_id=by.municipality_id)
        for name in ORGANIZATION_FIELDS:
            if name in data:
                setattr(org, name, data[name])
        org.last_modified = now
        org.save()
    return org


def service_save(
    *, by: User, organization: m.Organization, data: dict[str, Any], now: datetime, service: m.Service | None = None
) -> m.Service:
    """Create or change a service with its needs, its (first) place and its (first) schedule."""
    _admin_of(by, organization.municipality_id)
    if service is not None and service.organization_id != organization.pk:
        raise NotAllowed()
    with transaction.atomic():
        svc = service or m.Service(municipality_id=organization.municipality_id, organization=organization)
        for name in SERVICE_FIELDS:
            if name in data:
                setattr(svc, name, data[name])
        svc.last_modified = now
        svc.save()
        if "needs" in data:
            wanted = {t.pk for t in data["needs"]}
            svc.attributes.exclude(taxonomy_term_id__in=wanted).delete()
            have = set(svc.attributes.values_list("taxonomy_term_id", flat=True))
            for term in wanted - have:
                m.ServiceAttribute.objects.create(service=svc, taxonomy_term_id=term)
        _save_place(svc, data)
        _save_schedule(svc, data)
        m.ServiceChange.objects.create(
            service=svc,
            proposed={k: _plain(v) for k, v in data.items() if k != "needs"}
            | {"needs": ", ".join(t.name for t in data.get("needs", []))},
            proposed_by=by,
            proposed_at=now,
            state=m.ServiceChange.State.APPROVED,
            decided_by=by,
            decided_at=now,
            reason="functioneel beheer",
        )
    return svc


def _save_place(svc: m.Service, data: dict[str, Any]) -> None:
    if not any(data.get(k) not in (None, "") for k in (*LOCATION_FIELDS, *ADDRESS_FIELDS)):
        return
    sal = svc.service_at_locations.select_related("location").order_by("pk").first()
    location = sal.location if sal else m.Location(organization=svc.organization)
    location.name = data.get("location_name") or ""
    location.latitude, location.longitude = data.get("latitude"), data.get("longitude")
    location.neighbourhood = data.get("neighbourhood")
    location.save()
    if sal is None:
        m.ServiceAtLocation.objects.create(service=svc, location=location)
    if data.get("address_1"):
        address = location.addresses.order_by("pk").first() or m.PostalAddress(location=location)
        address.address_1, address.postal_code, address.city = data["address_1"], data["postal_code"], data["city"]
        address.save()


def _save_schedule(svc: m.Service, data: dict[str, Any]) -> None:
    schedule = svc.schedules.order_by("pk").first()
    if not data.get("freq"):
        if schedule is not None and "freq" in data:
            schedule.delete()
        return
    schedule = schedule or m.Schedule(service=svc)
    schedule.freq, schedule.byday = data["freq"], ",".join(data.get("byday") or [])
    schedule.interval = 1
    schedule.opens_at, schedule.closes_at = data.get("opens_at"), data.get("closes_at")
    schedule.valid_from, schedule.valid_to = data.get("valid_from"), data.get("valid_to")
    schedule.save()


def service_initial(service: m.Service) -> dict[str, Any]:
    """The form's starting values for an existing service: its needs, first place and first schedule."""
    initial: dict[str, Any] = {"needs": list(service.needs.all()), "moderation": service.moderation}
    sal = service.service_at_locations.select_related("location").order_by("pk").first()
    if sal is not None:
        loc = sal.location
        initial |= {
            "location_name": loc.name,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "neighbourhood": loc.neighbourhood_id,
        }
        address = loc.addresses.order_by("pk").first()
        if address is not None:
            initial |= {"address_1": address.address_1, "postal_code": address.postal_code, "city": address.city}
    schedule = service.schedules.order_by("pk").first()
    if schedule is not None:
        initial |= {
            "freq": schedule.freq,
            "byday": [d for d in schedule.byday.split(",") if d],
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "valid_from": schedule.valid_from,
            "valid_to": schedule.valid_to,
        }
    return initial
