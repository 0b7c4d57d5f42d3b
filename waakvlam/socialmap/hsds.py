"""The social map as HSDS 3.0 JSON: full services, organisations and services at locations, their list
forms, taxonomies and terms. Waakvlam's own flags (collective, how to get in, free) travel as attributes
in the "Waakvlam kenmerken" taxonomy, so another HSDS reader sees them and an import reads them back."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

from waakvlam.socialmap import models as m
from waakvlam.socialmap.hsds_tables import BY_ENTITY, row_out

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"

# Fixed ids, so every export names Waakvlam's feature terms the same way.
_NS = uuid.UUID("6f1d2c1e-8f5b-4b8e-9a59-7e3c2b1d0a51")
FEATURE_TAXONOMY_ID = uuid.uuid5(_NS, "taxonomy:kenmerken")
FEATURES = {
    "collectief": ("Collectief aanbod", "collective"),
    "gratis": ("Gratis", "free"),
    "binnenlopen": ("Binnenlopen", "walk_in"),
    "aanmelden": ("Aanmelden", "sign_up"),
    "verwijzing": ("Via verwijzing", "referral"),
}


def feature_term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(_NS, f"term:{code}")


FEATURE_CODE_BY_ID = {str(feature_term_id(code)): code for code in FEATURES}


def feature_taxonomy() -> dict[str, Any]:
    return {
        "id": str(FEATURE_TAXONOMY_ID),
        "name": "Waakvlam kenmerken",
        "description": "Hoe het aanbod werkt: collectief of individueel, toegang, kosten.",
        "version": "1",
    }


def feature_term(code: str) -> dict[str, Any]:
    name = FEATURES[code][0]
    return {
        "id": str(feature_term_id(code)),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": "Waakvlam kenmerken",
        "taxonomy_id": str(FEATURE_TAXONOMY_ID),
        "language": "nl",
    }


def feature_codes(service: m.Service) -> list[str]:
    codes = ["collectief"] if service.collective else []
    if service.free:
        codes.append("gratis")
    by_access: dict[str, str] = {m.Access.WALK_IN: "binnenlopen", m.Access.SIGN_UP: "aanmelden"}
    codes.append(by_access.get(service.access, "verwijzing"))
    return codes


def services_for_output(qs: QuerySet[m.Service]) -> QuerySet[m.Service]:
    """Everything a full service answer nests, fetched in a fixed number of queries."""
    return qs.select_related("organization").prefetch_related(
        "phones",
        "contacts__phones",
        "schedules",
        "languages",
        "cost_options",
        Prefetch("attributes", queryset=m.ServiceAttribute.objects.select_related("taxonomy_term__taxonomy_detail")),
        Prefetch(
            "service_at_locations",
            queryset=m.ServiceAtLocation.objects.select_related("location").prefetch_related(
                "schedules",
                "location__addresses",
                "location__accessibility",
                "location__languages",
                "location__phones",
                "location__schedules",
                "location__contacts__phones",
            ),
        ),
    )


def _rows(objs: Any, entity: str, **kw: Any) -> list[dict[str, Any]]:
    return [row_out(o, BY_ENTITY[entity], **kw) for o in objs]


def contact_out(contact: m.Contact) -> dict[str, Any]:
    return {**row_out(contact, BY_ENTITY["contact"]), "phones": _rows(contact.phones.all(), "phone")}


def location_out(location: m.Location) -> dict[str, Any]:
    out = row_out(location, BY_ENTITY["location"])
    out.setdefault("location_type", "physical")
    out["languages"] = _rows(location.languages.all(), "language")
    out["addresses"] = _rows(location.addresses.all(), "address")
    out["contacts"] = [contact_out(c) for c in location.contacts.all()]
    out["accessibility"] = _rows(location.accessibility.all(), "accessibility")
    out["phones"] = _rows(location.phones.all(), "phone")
    out["schedules"] = _rows(location.schedules.all(), "schedule")
    return out


def term_out(term: m.TaxonomyTerm) -> dict[str, Any]:
    out = row_out(term, BY_ENTITY["taxonomy_term"])
    out.setdefault("description", "")
    if term.taxonomy_detail is not None:
        out["taxonomy_detail"] = taxonomy_out(term.taxonomy_detail)
    return out


def taxonomy_out(taxonomy: m.Taxonomy) -> dict[str, Any]:
    out = row_out(taxonomy, BY_ENTITY["taxonomy"])
    out.setdefault("description", "")
    return out


def organization_brief(org: m.Organization) -> dict[str, Any]:
    out = row_out(org, BY_ENTITY["organization"])
    out.setdefault("description", "")
    return out


def _attributes(service: m.Service) -> list[dict[str, Any]]:
    out = []
    for attribute in service.attributes.all():
        row = row_out(attribute, BY_ENTITY["attribute"])
        row["link_entity"] = "service"
        row["taxonomy_term"] = term_out(attribute.taxonomy_term)
        out.append(row)
    for code in feature_codes(service):
        term = feature_term(code)
        out.append(
            {
                "id": str(uuid.uuid5(_NS, f"attribute:{service.pk}:{code}")),
                "link_id": str(service.pk),
                "link_type": "feature",
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": {**term, "taxonomy_detail": feature_taxonomy()},
            }
        )
    return out


def service_list_out(service: m.Service) -> dict[str, Any]:
    out = row_out(service, BY_ENTITY["service"])
    out["organization"] = organization_brief(service.organization)
    return out


def service_at_location_brief(sal: m.ServiceAtLocation) -> dict[str, Any]:
    out = row_out(sal, BY_ENTITY["service_at_location"])
    out["schedules"] = _rows(sal.schedules.all(), "schedule")
    out["location"] = location_out(sal.location)
    return out


def service_out(service: m.Service) -> dict[str, Any]:
    """A fully nested service, as `GET /services/{id}` answers (compiled service.json)."""
    out = service_list_out(service)
    out["phones"] = _rows(service.phones.all(), "phone")
    out["schedules"] = _rows(service.schedules.all(), "schedule")
    out["service_at_locations"] = [service_at_location_brief(s) for s in service.service_at_locations.all()]
    out["languages"] = _rows(service.languages.all(), "language")
    out["cost_options"] = _rows(service.cost_options.all(), "cost_option")
    out["contacts"] = [contact_out(c) for c in service.contacts.all()]
    out["attributes"] = _attributes(service)
    return out


def organization_out(org: m.Organization, services: list[m.Service]) -> dict[str, Any]:
    """A fully nested organisation with its (public) services, as `GET /organizations/{id}` answers."""
    out = organization_brief(org)
    out["contacts"] = [contact_out(c) for c in org.contacts.all()]
    out["phones"] = _rows(org.phones.all(), "phone")
    out["locations"] = [location_out(loc) for loc in org.locations.all()]
    out["services"] = [service_out(s) for s in services]
    return out


def service_at_location_out(sal: m.ServiceAtLocation) -> dict[str, Any]:
    """A fully nested service at a location (compiled service_at_location.json)."""
    out = service_at_location_brief(sal)
    out["service"] = service_list_out(sal.service)
    return out


def service_at_location_list_out(sal: m.ServiceAtLocation) -> dict[str, Any]:
    out = row_out(sal, BY_ENTITY["service_at_location"])
    out["location"] = row_out(sal.location, BY_ENTITY["location"])
    out["location"].setdefault("location_type", "physical")
    return out
