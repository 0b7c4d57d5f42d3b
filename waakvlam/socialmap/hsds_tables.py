"""One table of how Waakvlam's social map maps onto HSDS 3.0: per HSDS table (the CSV file of the tabular
datapackage, and the entity of the JSON form) the model and, per HSDS column, the model field and its kind.
Export, import and the API all read it, so a field is added in one place."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from waakvlam.socialmap import models as m


@dataclass(frozen=True)
class Column:
    name: str  # the HSDS column
    field: str  # the model field (attname for foreign keys)
    kind: str = "str"  # str, int, num, date, time, datetime, uuid, fk
    target: str = ""  # for fk: the table it points to


@dataclass(frozen=True)
class Table:
    csv: str
    entity: str
    model: type[models.Model]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _c(*names: str, kind: str = "str") -> tuple[Column, ...]:
    return tuple(Column(n, n, kind) for n in names)


def _fk(name: str, target: str, field: str = "") -> Column:
    return Column(name, field or name, "fk", target)


TABLES: tuple[Table, ...] = (
    Table(
        "organizations.csv",
        "organization",
        m.Organization,
        (
            Column("id", "id", "uuid"),
            *_c("name", "alternate_name", "description", "email", "website", "tax_status"),
            Column("year_incorporated", "year_incorporated", "int"),
            *_c("legal_status", "logo", "uri"),
            Column("parent_organization_id", "parent_organization_id", "uuid"),
        ),
    ),
    Table(
        "locations.csv",
        "location",
        m.Location,
        (
            Column("id", "id", "uuid"),
            *_c("location_type", "url"),
            _fk("organization_id", "organization"),
            *_c("name", "alternate_name", "description", "transportation"),
            *_c("latitude", "longitude", kind="num"),
            *_c("external_identifier", "external_identifier_type"),
        ),
    ),
    Table(
        "addresses.csv",
        "address",
        m.PostalAddress,
        (
            Column("id", "id", "uuid"),
            _fk("location_id", "location"),
            *_c("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code"),
            *_c("country", "address_type"),
        ),
    ),
    Table(
        "accessibility.csv",
        "accessibility",
        m.Accessibility,
        (Column("id", "id", "uuid"), _fk("location_id", "location"), *_c("description", "details", "url")),
    ),
    Table(
        "taxonomies.csv",
        "taxonomy",
        m.Taxonomy,
        (Column("id", "id", "uuid"), *_c("name", "description", "uri", "version")),
    ),
    Table(
        "taxonomy_terms.csv",
        "taxonomy_term",
        m.TaxonomyTerm,
        (
            Column("id", "id", "uuid"),
            *_c("code", "name", "description"),
            Column("parent_id", "parent_id", "uuid"),
            Column("taxonomy", "taxonomy_name"),
            Column("language", "language"),
            _fk("taxonomy_id", "taxonomy", "taxonomy_detail_id"),
            Column("term_uri", "term_uri"),
        ),
    ),
    Table(
        "services.csv",
        "service",
        m.Service,
        (
            Column("id", "id", "uuid"),
            _fk("organization_id", "organization"),
            *_c("name", "alternate_name", "description", "url", "email", "status", "interpretation_services"),
            *_c("application_process", "fees_description", "wait_time", "accreditations", "eligibility_description"),
            *_c("minimum_age", "maximum_age", kind="int"),
            Column("alert", "alert"),
            Column("last_modified", "last_modified", "datetime"),
        ),
    ),
    Table(
        "service_at_location.csv",
        "service_at_location",
        m.ServiceAtLocation,
        (
            Column("id", "id", "uuid"),
            _fk("service_id", "service"),
            _fk("location_id", "location"),
            Column("description", "description"),
        ),
    ),
    Table(
        "schedules.csv",
        "schedule",
        m.Schedule,
        (
            Column("id", "id", "uuid"),
            _fk("service_id", "service"),
            _fk("location_id", "location"),
            _fk("service_at_location_id", "service_at_location"),
            *_c("valid_from", "valid_to", "dtstart", kind="date"),
            Column("timezone", "timezone", "int"),
            Column("until", "until", "date"),
            Column("count", "count", "int"),
            *_c("wkst", "freq"),
            Column("interval", "interval", "int"),
            *_c("byday", "byweekno", "bymonthday", "byyearday", "description"),
            *_c("opens_at", "closes_at", kind="time"),
            *_c("schedule_link", "attending_type", "notes"),
        ),
    ),
    Table(
        "attributes.csv",
        "attribute",
        m.ServiceAttribute,
        (
            Column("id", "id", "uuid"),
            _fk("link_id", "service", "service_id"),
            _fk("taxonomy_term_id", "taxonomy_term"),
            *_c("link_type", "value"),
        ),
    ),
    Table(
        "cost_options.csv",
        "cost_option",
        m.CostOption,
        (
            Column("id", "id", "uuid"),
            _fk("service_id", "service"),
            *_c("valid_from", "valid_to", kind="date"),
            *_c("option", "currency"),
            Column("amount", "amount", "num"),
            Column("amount_description", "amount_description"),
        ),
    ),
    Table(
        "languages.csv",
        "language",
        m.Language,
        (
            Column("id", "id", "uuid"),
            _fk("service_id", "service"),
            _fk("location_id", "location"),
            *_c("name", "code", "note"),
        ),
    ),
    Table(
        "contacts.csv",
        "contact",
        m.Contact,
        (
            Column("id", "id", "uuid"),
            _fk("organization_id", "organization"),
            _fk("service_id", "service"),
            _fk("location_id", "location"),
            *_c("name", "title", "department", "email"),
        ),
    ),
    Table(
        "phones.csv",
        "phone",
        m.Phone,
        (
            Column("id", "id", "uuid"),
            _fk("location_id", "location"),
            _fk("service_id", "service"),
            _fk("organization_id", "organization"),
            _fk("contact_id", "contact"),
            Column("number", "number"),
            Column("extension", "extension", "int"),
            *_c("type", "description"),
        ),
    ),
)
BY_ENTITY = {t.entity: t for t in TABLES}
# Columns the compiled schemas require: present even when empty (every other empty column is left out).
REQUIRED = {
    "organization": ("name", "description"),
    "taxonomy": ("name", "description"),
    "taxonomy_term": ("name", "description"),
    "phone": ("number",),
    "location": ("location_type",),
    "address": ("address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "service": ("name", "status"),
}
BY_CSV = {t.csv: t for t in TABLES}


class BadValue(ValueError):
    pass


def to_hsds(value: Any, kind: str) -> Any:
    """A model value as HSDS JSON wants it; None for nothing (the caller leaves the key out)."""
    if value is None or value == "":
        return None
    if kind in {"uuid", "fk"}:
        return str(value)
    if kind == "num":
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind == "datetime":
        return timezone.localtime(value).isoformat(timespec="milliseconds")
    if kind == "time":
        return value.strftime("%H:%M:%S")
    if kind == "date":
        return value.isoformat()
    return value


def from_hsds(raw: Any, column: Column) -> Any:
    """An HSDS value (JSON or a CSV cell) as the model field wants it; raises BadValue saying why."""
    if raw is None or raw == "":
        return "" if column.kind == "str" else None
    kind = column.kind
    try:
        if kind in {"uuid", "fk"}:
            return uuid.UUID(str(raw))
        if kind == "int":
            number = Decimal(str(raw))
            if number != number.to_integral_value() or number < 0:
                raise BadValue(f"{column.name}: not a whole number ≥ 0")
            return int(number)
        if kind == "num":
            return Decimal(str(raw))
        if kind == "date":
            return date.fromisoformat(str(raw)[:10])
        if kind == "time":
            return time.fromisoformat(str(raw))
        if kind == "datetime":
            parsed = parse_datetime(str(raw).replace("Z", "+00:00"))
            if parsed is None:
                raise BadValue(f"{column.name}: not a date and time")
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    except (ValueError, InvalidOperation, TypeError) as error:
        if isinstance(error, BadValue):
            raise
        raise BadValue(f"{column.name}: {raw!r} is not a valid {kind}") from None
    if not isinstance(raw, str | int | float):
        raise BadValue(f"{column.name}: expected text")
    return str(raw)


def row_out(obj: models.Model, table: Table, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The object's HSDS columns, leaving out empty ones (the schemas type them, null is not allowed)."""
    out: dict[str, Any] = {}
    for column in table.columns:
        if column.name in skip:
            continue
        value = to_hsds(getattr(obj, column.field if column.kind != "fk" else _attname(column)), column.kind)
        if value is not None:
            out[column.name] = value
    for name in REQUIRED.get(table.entity, ()):
        out.setdefault(name, "")
    return out


def _attname(column: Column) -> str:
    return column.field if column.field.endswith("_id") else f"{column.field}_id"


def model_field(column: Column) -> str:
    return _attname(column) if column.kind == "fk" else column.field


def now_iso(now: datetime) -> str:
    return timezone.localtime(now).isoformat(timespec="milliseconds")
