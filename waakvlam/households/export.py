"""Residents' rights: everything Waakvlam holds about one resident, as one readable document.

Resident, household, contact plans with their contact log, early-warning plan, consents, handovers,
signals at the household's address, and the access-log entries about them (who saw what, when). The
plans, consents and handovers are the parts their apps register (rights.py). Only the
privacy officer of the resident's municipality may export; every export is itself logged ("export").
Reporters of signals are third parties: their identity and contact details are left out, and the
description is the masked one.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.households.models import Resident
from waakvlam.households.rights import export_iso, export_row, resident_parts
from waakvlam.households.services import resident_subject
from waakvlam.intake.models import Signal
from waakvlam.privacy.models import AccessAction, AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_record

MAX_LOG_ENTRIES = 5000


def residents_exportable_by(user: User) -> QuerySet[Resident]:
    if not user.is_authenticated or user.role != Role.PRIVACY_OFFICER or not user.organisation_id:
        return Resident.objects.none()
    return Resident.objects.filter(municipality_id=user.municipality_id)


def _subjects(resident: Resident) -> list[str]:
    subjects = [resident_subject(resident.pk)]
    if resident.household_id and resident.household is not None:
        subjects.append(f"address:{resident.household.address_id}")
    return subjects


def _signals(resident: Resident) -> list[dict[str, Any]]:
    if not resident.household_id or resident.household is None:
        return []
    return [
        {
            **export_row(s, ["tracking_code", "category", "urgency", "status", "outcome", "received_at", "closed_at"]),
            "description": s.description_masked or "",
            "history": [export_row(e, ["at", "kind", "note"]) for e in s.events.all()],
        }
        for s in Signal.objects.filter(address_id=resident.household.address_id).order_by("received_at")
    ]


def access_log_about(resident: Resident) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(subject__in=_subjects(resident)).order_by("seq")


def resident_export(*, resident: Resident, actor: Actor, context: str) -> dict[str, Any]:
    """The whole document; writes the "export" entry first, so the document lists its own export too."""
    access_log_record(
        actor=actor,
        action=AccessAction.EXPORT,
        object_type="households.resident",
        object_id=resident.pk,
        subject=resident_subject(resident.pk),
        municipality_code=resident.municipality.code,
        context=context,
        reason="inzageverzoek (AVG art. 15)",
    )
    household = resident.household
    entries = access_log_about(resident)
    return {
        "resident": {
            **export_row(resident, ["id", "name", "description", "created_at"]),
            "municipality": resident.municipality.name,
        },
        "household": None
        if household is None
        else {
            "address": str(household.address),
            "neighbourhood": household.neighbourhood.name if household.neighbourhood else "",
            "since": export_iso(household.created_at),
        },
        # Contact plans, the early-warning plan, consents and handovers: the parts other apps register.
        **{key: value for part in resident_parts() for key, value in part.export(resident).items()},
        "signals_at_household": _signals(resident),
        "access_log": [
            {
                **export_row(
                    e,
                    [
                        "seq",
                        "at",
                        "username",
                        "role",
                        "organisation",
                        "action",
                        "object_type",
                        "object_id",
                        "context",
                        "reason",
                    ],
                ),
            }
            for e in entries[:MAX_LOG_ENTRIES]
        ],
        "access_log_total": entries.count(),
    }


_POSTCODE = re.compile(r"(\d{4})\s?([A-Za-z]{2})(?:\s*(\d{1,5}))?")
MAX_FOUND = 100


def residents_search(user: User, query: str) -> list[Resident]:
    """For the privacy officer: a resident by number, by postcode (and house number), or by name.

    Names are encrypted at rest, so the database cannot compare them: the municipality's residents are
    decrypted and matched here, as contact.selectors.residents_named does for a steward's caseload. The
    caller logs every resident shown."""
    residents = residents_exportable_by(user).select_related("household__address").order_by("pk")
    query = " ".join(query.split())
    if len(query) < 2 and not query.isdigit():
        return []
    if query.isdigit() and len(query) < 18:
        return list(residents.filter(pk=int(query)))
    postcode = _POSTCODE.fullmatch(query)
    if postcode:
        found = residents.filter(household__address__postcode=f"{postcode[1]}{postcode[2].upper()}")
        if postcode[3]:
            found = found.filter(household__address__house_number=int(postcode[3]))
        return list(found[:MAX_FOUND])
    needle = query.casefold()
    matched = [
        r
        for r in residents.iterator(chunk_size=500)
        if needle in " ".join((r.name or r.description).split()).casefold()
    ]
    return sorted(matched, key=lambda r: (str(r).casefold(), r.pk))[:MAX_FOUND]
