"""Residents' rights: everything Waakvlam holds about one resident, as one readable document.

Resident, household, contact plans with their contact log, early-warning plan, consents, handovers,
signals at the household's address, and the access-log entries about them (who saw what, when). Only the
privacy officer of the resident's municipality may export; every export is itself logged ("export").
Reporters of signals are third parties: their identity and contact details are left out, and the
description is the masked one.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from waakvlam.core.models import User
from waakvlam.core.roles import Role
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction, AccessLogEntry
from waakvlam.privacy.services import Actor, access_log_record

MAX_LOG_ENTRIES = 5000


def residents_exportable_by(user: User) -> QuerySet[Resident]:
    if not user.is_authenticated or user.role != Role.PRIVACY_OFFICER or not user.organisation_id:
        return Resident.objects.none()
    return Resident.objects.filter(municipality_id=user.municipality_id)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        out[name] = _iso(getattr(obj, name))
        display = getattr(obj, f"get_{name}_display", None)
        if callable(display):
            # The code for machines, the label (Dutch) for people reading the document.
            out[f"{name}_label"] = str(display())
    return out


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _subjects(resident: Resident) -> list[str]:
    subjects = [resident_subject(resident.pk)]
    if resident.household_id and resident.household is not None:
        subjects.append(f"address:{resident.household.address_id}")
    return subjects


def _plans(resident: Resident) -> list[dict[str, Any]]:
    from waakvlam.contact.models import ContactPlan

    plans = []
    for plan in (
        ContactPlan.objects.filter(resident=resident)
        .select_related("steward", "backup", "organisation", "team", "signal")
        .order_by("pk")
    ):
        row = _row(
            plan,
            [
                "id",
                "status",
                "rhythm_days",
                "starts_on",
                "ends_on",
                "basis",
                "basis_note",
                "basis_recorded_at",
                "last_contact_on",
                "next_contact_due",
                "failed_attempts",
                "escalated_at",
                "created_at",
                "closed_at",
                "close_reason",
            ],
        )
        row.update(
            organisation=plan.organisation.name,
            team=plan.team.name if plan.team else "",
            steward=_person(plan.steward),
            backup=_person(plan.backup),
            started_from_signal=plan.signal.tracking_code if plan.signal else "",
            contacts=[
                {
                    **_row(m, ["happened_on", "channel", "made", "wellbeing", "note", "recorded_at"]),
                    "recorded_by": _person(m.recorded_by),
                }
                for m in plan.moments.select_related("recorded_by").order_by("happened_on", "pk")
            ],
            history=[_row(e, ["at", "kind", "actor_label", "note"]) for e in plan.events.all()],
        )
        plans.append(row)
    return plans


def _early_warning_plan(resident: Resident) -> dict[str, Any] | None:
    from waakvlam.contact.models import EarlyWarningPlan
    from waakvlam.contact.plan_services import PLAN_TEXT_FIELDS

    plan = EarlyWarningPlan.objects.filter(resident=resident).first()
    if plan is None:
        return None
    row = _row(plan, ["id", *PLAN_TEXT_FIELDS, "agreed_on", "created_at", "updated_at"])
    row["people"] = [_row(p, ["name", "relation", "phone", "call_when"]) for p in plan.people.all()]
    return row


def _consents(resident: Resident) -> list[dict[str, Any]]:
    from waakvlam.contact.models import Consent

    return [
        {
            **_row(
                c,
                [
                    "id",
                    "data_kind",
                    "purpose",
                    "valid_from",
                    "valid_until",
                    "recorded_by_label",
                    "recorded_at",
                    "revoked_at",
                    "revoke_reason",
                ],
            ),
            "organisation": c.organisation.name,
        }
        for c in Consent.objects.filter(resident=resident).select_related("organisation").order_by("pk")
    ]


def _handovers(resident: Resident) -> list[dict[str, Any]]:
    from waakvlam.handover.models import Handover

    rows = []
    for h in (
        Handover.objects.filter(resident=resident)
        .select_related("from_organisation", "receiving_team", "steward", "address")
        .order_by("pk")
    ):
        row = _row(
            h,
            [
                "id",
                "status",
                "discharge_on",
                "first_contact_within_days",
                "first_contact_due",
                "first_contact_on",
                "overlap_until",
                "note",
                "housing_informed_at",
                "escalated_at",
                "created_at",
                "closed_at",
            ],
        )
        row.update(
            from_organisation=h.from_organisation.name,
            receiving_team=h.receiving_team.name,
            steward=_person(h.steward),
            address=str(h.address),
            checklist=[_row(i, ["topic", "state", "note", "skip_reason", "updated_at"]) for i in h.items.all()],
            history=[_row(e, ["at", "kind", "actor_label", "note"]) for e in h.events.all()],
        )
        rows.append(row)
    return rows


def _signals(resident: Resident) -> list[dict[str, Any]]:
    from waakvlam.intake.models import Signal

    if not resident.household_id or resident.household is None:
        return []
    return [
        {
            **_row(s, ["tracking_code", "category", "urgency", "status", "outcome", "received_at", "closed_at"]),
            "description": s.description_masked or "",
            "history": [_row(e, ["at", "kind", "note"]) for e in s.events.all()],
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
            **_row(resident, ["id", "name", "description", "created_at"]),
            "municipality": resident.municipality.name,
        },
        "household": None
        if household is None
        else {
            "address": str(household.address),
            "neighbourhood": household.neighbourhood.name if household.neighbourhood else "",
            "since": _iso(household.created_at),
        },
        "contact_plans": _plans(resident),
        "early_warning_plan": _early_warning_plan(resident),
        "consents": _consents(resident),
        "handovers": _handovers(resident),
        "signals_at_household": _signals(resident),
        "access_log": [
            {
                **_row(
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
