"""Writing the social map of a municipality as an HSDS 3.0 dataset: a tabular datapackage (one CSV per
HSDS table and `datapackage.json`) and the same data as JSON (`services.json`, `organizations.json`,
HSDS pages of fully nested objects). Only what is published; nothing about residents or referrals."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet

from waakvlam.core.models import Municipality
from waakvlam.socialmap import hsds, selectors
from waakvlam.socialmap import models as m
from waakvlam.socialmap.hsds_tables import BY_ENTITY, TABLES, Table, row_out

_TYPES = {"int": "integer", "num": "number", "date": "date", "time": "time", "datetime": "datetime"}


def _querysets(municipality: Municipality) -> dict[str, QuerySet[Any]]:
    services = selectors.public_services(municipality.pk)
    service_ids = services.values("pk")
    sals = m.ServiceAtLocation.objects.filter(service__in=service_ids)
    orgs = m.Organization.objects.filter(pk__in=services.values("organization_id"))
    locations = m.Location.objects.filter(Q(organization__in=orgs.values("pk")) | Q(pk__in=sals.values("location_id")))
    loc_ids = locations.values("pk")
    contacts = m.Contact.objects.filter(
        Q(service__in=service_ids) | Q(organization__in=orgs.values("pk")) | Q(location__in=loc_ids)
    )
    return {
        "organization": orgs,
        "location": locations,
        "address": m.PostalAddress.objects.filter(location__in=loc_ids),
        "accessibility": m.Accessibility.objects.filter(location__in=loc_ids),
        "taxonomy": m.Taxonomy.objects.all(),
        "taxonomy_term": m.TaxonomyTerm.objects.all(),
        "service": services,
        "service_at_location": sals,
        "schedule": m.Schedule.objects.filter(
            Q(service__in=service_ids) | Q(service_at_location__in=sals.values("pk")) | Q(location__in=loc_ids)
        ),
        "attribute": m.ServiceAttribute.objects.filter(service__in=service_ids),
        "cost_option": m.CostOption.objects.filter(service__in=service_ids),
        "language": m.Language.objects.filter(Q(service__in=service_ids) | Q(location__in=loc_ids)),
        "contact": contacts,
        "phone": m.Phone.objects.filter(
            Q(service__in=service_ids)
            | Q(organization__in=orgs.values("pk"))
            | Q(location__in=loc_ids)
            | Q(contact__in=contacts.values("pk"))
        ),
    }


def _feature_rows(services: QuerySet[m.Service]) -> dict[str, list[dict[str, Any]]]:
    """Waakvlam's kenmerken as HSDS rows: the taxonomy, its terms, and an attribute per service."""
    terms = [hsds.feature_term(code) for code in hsds.FEATURES]
    attributes = []
    for service in services:
        for code in hsds.feature_codes(service):
            attributes.append(
                {
                    "id": str(uuid.uuid5(hsds._NS, f"attribute:{service.pk}:{code}")),
                    "link_id": str(service.pk),
                    "taxonomy_term_id": str(hsds.feature_term_id(code)),
                    "link_type": "feature",
                    "link_entity": "service",
                }
            )
    return {"taxonomy": [hsds.feature_taxonomy()], "taxonomy_term": terms, "attribute": attributes}


def _header(table: Table) -> list[str]:
    names = [c.name for c in table.columns]
    return [*names, "link_entity"] if table.entity == "attribute" else names


def hsds_export(municipality: Municipality, folder: Path) -> dict[str, int]:
    """Write the dataset into `folder` (created if needed); returns rows per CSV file."""
    folder.mkdir(parents=True, exist_ok=True)
    querysets = _querysets(municipality)
    extra = _feature_rows(querysets["service"])
    counts: dict[str, int] = {}
    resources = []
    for table in TABLES:
        header = _header(table)
        with (folder / table.csv).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            n = 0
            for obj in querysets[table.entity].order_by("pk").iterator():
                row = row_out(obj, table)
                if table.entity == "attribute":
                    row["link_entity"] = "service"
                writer.writerow(row)
                n += 1
            for row in extra.get(table.entity, []):
                writer.writerow(row)
                n += 1
        counts[table.csv] = n
        resources.append(
            {
                "name": table.csv.removesuffix(".csv"),
                "path": table.csv,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "type": _TYPES.get(BY_ENTITY[table.entity].column(name).kind, "string")}  # type: ignore[union-attr]
                        if BY_ENTITY[table.entity].column(name)
                        else {"name": name, "type": "string"}
                        for name in header
                    ],
                    "primaryKey": "id",
                },
            }
        )
    package = {
        "name": "sociale-kaart-" + municipality.code.lower(),
        "title": f"Sociale kaart {municipality.name}",
        "profile": "tabular-data-package",
        "hsds_version": hsds.HSDS_VERSION,
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    services = [hsds.service_out(s) for s in hsds.services_for_output(querysets["service"]).order_by("name", "pk")]
    _write_page(folder / "services.json", services)
    orgs = [hsds.organization_brief(o) for o in querysets["organization"].order_by("name", "pk")]
    _write_page(folder / "organizations.json", orgs)
    return counts


def _write_page(path: Path, contents: list[dict[str, Any]]) -> None:
    page = {
        "total_items": len(contents),
        "total_pages": 1 if contents else 0,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
    path.write_text(json.dumps(page, indent=1, ensure_ascii=False), encoding="utf-8")
