"""Writing read HSDS records (hsds_import.py) into the social map, record by record, in one transaction."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from waakvlam.core.addresses import AddressError, normalise_postcode
from waakvlam.core.models import Municipality, PostcodeArea
from waakvlam.socialmap import models as m
from waakvlam.socialmap.hsds import FEATURE_CODE_BY_ID, FEATURE_TAXONOMY_ID
from waakvlam.socialmap.hsds_import import ImportResult, Record
from waakvlam.socialmap.hsds_tables import TABLES, BadValue, from_hsds, model_field

# Waakvlam's own fields, kept in Waakvlam and never overwritten by a dataset.
_ACCESS_BY_FEATURE = {"binnenlopen": m.Access.WALK_IN, "aanmelden": m.Access.SIGN_UP, "verwijzing": m.Access.REFERRAL}


class Refused(Exception):
    pass


def _merge(records: list[Record]) -> dict[str, list[Record]]:
    """One record per table and id: the same phone or schedule nested under a service, its location and its
    contact is one HSDS row linked to each of them, so the links are merged."""
    merged: dict[str, dict[str, Record]] = defaultdict(dict)
    loose: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        key = str(record.values.get("id") or "")
        if not key:
            loose[record.table.entity].append(record)
            continue
        seen = merged[record.table.entity].get(key)
        if seen is None:
            merged[record.table.entity][key] = Record(
                record.table, dict(record.values), record.label, set(record.features)
            )
            continue
        for name, value in record.values.items():
            if seen.values.get(name) in (None, "") and value not in (None, ""):
                seen.values[name] = value
        seen.features |= record.features
    return {t.entity: [*merged[t.entity].values(), *loose[t.entity]] for t in TABLES}


class _Writer:
    def __init__(self, municipality: Municipality, now: datetime, result: ImportResult) -> None:
        self.municipality, self.now, self.result = municipality, now, result
        self.accepted: dict[str, set[uuid.UUID]] = defaultdict(set)
        self.known: dict[str, set[uuid.UUID]] = defaultdict(set)
        self.feature_updates: dict[uuid.UUID, set[str]] = defaultdict(set)

    def exists(self, entity: str, pk: uuid.UUID) -> bool:
        if pk in self.accepted[entity] or pk in self.known[entity]:
            return True
        table = next(t for t in TABLES if t.entity == entity)
        if table.model._default_manager.filter(pk=pk).exists():
            self.known[entity].add(pk)
            return True
        return False

    def values(self, record: Record) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column in record.table.columns:
            if column.name not in record.values:
                continue
            try:
                value = from_hsds(record.values[column.name], column)
            except BadValue as error:
                raise Refused(str(error)) from None
            if column.kind == "fk" and value is not None and not self.exists(column.target, value):
                raise Refused(f"{column.name}: verwijst naar onbekende {column.target} {value}")
            out[model_field(column)] = value
        if not isinstance(out.get("id"), uuid.UUID):
            raise Refused("id: ontbreekt of is geen UUID")
        return out

    def write(self, record: Record) -> None:
        table = record.table
        if table.entity == "attribute" and str(record.values.get("taxonomy_term_id")) in FEATURE_CODE_BY_ID:
            service_id = from_hsds(record.values.get("link_id"), table.columns[1])
            if service_id is None or not self.exists("service", service_id):
                raise Refused("link_id: verwijst naar onbekende service")
            self.feature_updates[service_id].add(FEATURE_CODE_BY_ID[str(record.values["taxonomy_term_id"])])
            return
        if table.entity in {"taxonomy", "taxonomy_term"} and (
            str(record.values.get("id")) in FEATURE_CODE_BY_ID
            or str(record.values.get("id")) == str(FEATURE_TAXONOMY_ID)
        ):
            return  # Waakvlam's own feature taxonomy is built in, not stored
        values = self.values(record)
        pk = values.pop("id")
        instance = table.model._default_manager.filter(pk=pk).first()
        created = instance is None
        if instance is None:
            instance = table.model(pk=pk)
            if table.entity in {"organization", "service"}:
                instance.municipality = self.municipality  # type: ignore[attr-defined]
        for name, value in values.items():
            setattr(instance, name, value)
        if table.entity in {"organization", "service"} and not getattr(instance, "last_modified", None):
            instance.last_modified = self.now  # type: ignore[attr-defined]
        if table.entity == "service":
            _apply_features(instance, record.features)  # type: ignore[arg-type]
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise Refused(_messages(error)) from None
        with transaction.atomic():
            instance.save()
        self.accepted[table.entity].add(pk)
        if created:
            self.result.created += 1
        else:
            self.result.updated += 1

    def finish(self) -> None:
        for service_id, codes in self.feature_updates.items():
            service = m.Service.objects.get(pk=service_id)
            _apply_features(service, codes)
            service.save(update_fields=["collective", "free", "access"])
        for location in m.Location.objects.filter(pk__in=self.accepted["location"], neighbourhood__isnull=True):
            location.neighbourhood_id = _neighbourhood_of(location, self.municipality)
            if location.neighbourhood_id:
                location.save(update_fields=["neighbourhood"])


def _neighbourhood_of(location: m.Location, municipality: Municipality) -> int | None:
    """Where a Dutch postcode places the location; None for a foreign or unknown one."""
    for raw in location.addresses.values_list("postal_code", flat=True):
        try:
            postcode = normalise_postcode(raw)
        except AddressError:
            continue
        area = PostcodeArea.objects.filter(municipality=municipality, postcode=postcode).first()
        if area is not None:
            return area.neighbourhood_id
    return None


def _apply_features(service: m.Service, codes: set[str]) -> None:
    if not codes:
        return
    service.collective = "collectief" in codes
    service.free = "gratis" in codes
    service.access = next((a for code, a in _ACCESS_BY_FEATURE.items() if code in codes), service.access)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(str(x) for x in v)}" for k, v in error.message_dict.items())
    return " ".join(str(x) for x in error.messages)


def hsds_records_write(
    records: list[Record], *, municipality: Municipality, now: datetime, dry_run: bool = False
) -> ImportResult:
    """Write the records; refuse (and report) each that does not fit, and whatever depends on it."""
    result = ImportResult()
    by_entity = _merge(records)
    with transaction.atomic():
        writer = _Writer(municipality, now, result)
        for table in TABLES:
            for record in by_entity[table.entity]:
                try:
                    writer.write(record)
                except Refused as reason:
                    result.refused.append((record.label, str(reason)))
        writer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return result
