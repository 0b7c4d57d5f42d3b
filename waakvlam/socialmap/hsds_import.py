"""Reading an HSDS 3.0 dataset into the social map: one service or organisation (JSON), a JSON list page,
or a tabular datapackage folder with its CSV files. Idempotent by HSDS id (a record with a known id
updates it). Each record is checked on its own: a refused record is reported with the reason, and records
that depend on it (a phone of a refused service) are refused with it; the good ones land. A file that
cannot be read as HSDS at all changes nothing. The whole import is one transaction."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from waakvlam.core.csvfiles import csv_writer
from waakvlam.socialmap.hsds import FEATURE_CODE_BY_ID
from waakvlam.socialmap.hsds_tables import BY_CSV, BY_ENTITY, TABLES, Table

MAX_FILE_BYTES = 200 * 1024 * 1024
# Waakvlam's own fields an import never overwrites: they are kept in Waakvlam, not in the dataset.
_KEPT = {"municipality_id", "keeper_id", "capacity", "places_taken", "moderation"}


class Unreadable(Exception):
    """The file is not an HSDS dataset we can read: nothing is changed."""


@dataclass
class Record:
    table: Table
    values: dict[str, Any]  # HSDS column -> raw value
    label: str
    features: set[str] = field(default_factory=set)  # Waakvlam kenmerken (services only)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------------------


def read_path(path: Path) -> list[Record]:
    if path.is_dir():
        return _read_folder(path)
    if not path.is_file():
        raise Unreadable(f"{path}: no such file or folder")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise Unreadable(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Unreadable(f"{path}: not UTF-8 JSON ({error})") from None
    return read_document(document)


def read_document(document: Any) -> list[Record]:
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = document["contents"]
    elif isinstance(document, dict):
        items = [document]
    else:
        raise Unreadable("expected an HSDS service or organisation, or a page with `contents`")
    records: list[Record] = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise Unreadable(f"item {position} is not an object")
        if _is_service(item):
            _flatten_service(item, records, {})
        else:
            _flatten_organization(item, records)
    return records


def _is_service(item: dict[str, Any]) -> bool:
    return any(k in item for k in ("status", "organization", "organization_id", "service_at_locations"))


def _read_folder(folder: Path) -> list[Record]:
    files = [folder / t.csv for t in TABLES if (folder / t.csv).is_file()]
    if not files:
        raise Unreadable(f"{folder}: no HSDS CSV files (organizations.csv, services.csv, …)")
    records: list[Record] = []
    for file in files:
        table = BY_CSV[file.name]
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                if not reader.fieldnames or "id" not in reader.fieldnames:
                    raise Unreadable(f"{file.name}: no header row with an `id` column")
                for line, row in enumerate(reader, start=2):
                    records.append(Record(table, dict(row), f"{file.name} line {line}"))
        except (UnicodeDecodeError, csv.Error) as error:
            raise Unreadable(f"{file.name}: not UTF-8 CSV ({error})") from None
    return records


def _add(records: list[Record], entity: str, obj: Any, links: dict[str, Any]) -> Record | None:
    if not isinstance(obj, dict):
        return None
    table = BY_ENTITY[entity]
    values = {c.name: obj[c.name] for c in table.columns if c.name in obj}
    values.update({k: v for k, v in links.items() if table.column(k)})
    record = Record(table, values, f"{entity} {obj.get('id', '(zonder id)')}")
    records.append(record)
    return record


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _flatten_contacts(obj: dict[str, Any], records: list[Record], links: dict[str, Any]) -> None:
    for contact in _list(obj, "contacts"):
        if _add(records, "contact", contact, links) and isinstance(contact, dict):
            for phone in _list(contact, "phones"):
                _add(records, "phone", phone, {"contact_id": contact.get("id")})


def _flatten_location(loc: dict[str, Any], records: list[Record], links: dict[str, Any]) -> None:
    _add(records, "location", loc, links)
    own = {"location_id": loc.get("id")}
    for key, entity in (("addresses", "address"), ("accessibility", "accessibility"), ("languages", "language")):
        for item in _list(loc, key):
            _add(records, entity, item, own)
    for item in _list(loc, "phones"):
        _add(records, "phone", item, own)
    for item in _list(loc, "schedules"):
        _add(records, "schedule", item, own)
    _flatten_contacts(loc, records, own)


def _flatten_organization(org: dict[str, Any], records: list[Record]) -> None:
    _add(records, "organization", org, {})
    own = {"organization_id": org.get("id")}
    _flatten_contacts(org, records, own)
    for phone in _list(org, "phones"):
        _add(records, "phone", phone, own)
    for loc in _list(org, "locations"):
        if isinstance(loc, dict):
            _flatten_location(loc, records, own)
    for service in _list(org, "services"):
        if isinstance(service, dict):
            _flatten_service(service, records, own)


def _flatten_service(service: dict[str, Any], records: list[Record], links: dict[str, Any]) -> None:
    org = service.get("organization")
    if isinstance(org, dict):
        _add(records, "organization", org, {})
        links = {"organization_id": org.get("id")}
    record = _add(records, "service", service, links)
    own = {"service_id": service.get("id")}
    for key, entity in (("phones", "phone"), ("schedules", "schedule"), ("languages", "language")):
        for item in _list(service, key):
            _add(records, entity, item, own)
    for item in _list(service, "cost_options"):
        _add(records, "cost_option", item, own)
    _flatten_contacts(service, records, own)
    for sal in _list(service, "service_at_locations"):
        if not isinstance(sal, dict):
            continue
        loc = sal.get("location")
        loc_id = sal.get("location_id")
        if isinstance(loc, dict):
            _flatten_location(loc, records, {"organization_id": links.get("organization_id")})
            loc_id = loc.get("id")
        _add(records, "service_at_location", sal, {**own, "location_id": loc_id})
        for schedule in _list(sal, "schedules"):
            _add(records, "schedule", schedule, {"service_at_location_id": sal.get("id")})
    for attribute in _list(service, "attributes"):
        if not isinstance(attribute, dict):
            continue
        term = attribute.get("taxonomy_term")
        term_id = str(attribute.get("taxonomy_term_id") or (term.get("id") if isinstance(term, dict) else ""))
        if term_id in FEATURE_CODE_BY_ID:
            if record:
                record.features.add(FEATURE_CODE_BY_ID[term_id])
            continue
        if isinstance(term, dict):
            detail = term.get("taxonomy_detail")
            if isinstance(detail, dict):
                _add(records, "taxonomy", detail, {})
            _add(
                records, "taxonomy_term", term, {"taxonomy_id": detail.get("id") if isinstance(detail, dict) else None}
            )
        _add(records, "attribute", attribute, {"link_id": service.get("id"), "taxonomy_term_id": term_id})


def report_write(path: Path, refused: Iterable[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(["record", "reason"])
        for label, reason in refused:
            writer.writerow([label, reason])
