"""Handover's part of a resident's export and erasure (households/rights.py), registered in apps.py.

Erasure refuses while a handover is still running, and erases the notes of every (closed) handover and
its checklist, leaving one history step each; the outline (who handed over to whom, when) stays.
"""

from __future__ import annotations

from typing import Any

from waakvlam.handover.models import OPEN_STATUSES, Handover, HandoverEvent, HandoverItem
from waakvlam.households.models import Resident
from waakvlam.households.rights import ErasurePlan, ErasureStep, ResidentPart, erasure_log, export_person, export_row
from waakvlam.privacy.models import AccessAction

HANDOVER_FIELDS = [
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
]


def handover_export(resident: Resident) -> dict[str, Any]:
    rows = []
    for h in (
        Handover.objects.filter(resident=resident)
        .select_related("from_organisation", "receiving_team", "steward", "address")
        .order_by("pk")
    ):
        row = export_row(h, HANDOVER_FIELDS)
        row.update(
            from_organisation=h.from_organisation.name,
            receiving_team=h.receiving_team.name,
            steward=export_person(h.steward),
            address=str(h.address),
            checklist=[export_row(i, ["topic", "state", "note", "skip_reason", "updated_at"]) for i in h.items.all()],
            history=[export_row(e, ["at", "kind", "actor_label", "note"]) for e in h.events.all()],
        )
        rows.append(row)
    return {"handovers": rows}


def handover_erasure_plan(resident: Resident, plan: ErasurePlan) -> None:
    handovers = Handover.objects.filter(resident=resident)
    if handovers.filter(status__in=OPEN_STATUSES).exists():
        plan.blockers.append("Er loopt nog een warme overdracht. Laat die eerst afsluiten.")
    plan.handovers = handovers.count()


def handover_erase(resident: Resident, plan: ErasurePlan, step: ErasureStep) -> None:
    handovers = list(Handover.objects.filter(resident=resident))
    for handover in handovers:
        erasure_log(step, AccessAction.UPDATE, "handover.handover", handover.pk, resident.pk)
    ids = [h.pk for h in handovers]
    Handover.objects.filter(pk__in=ids).update(note="")
    HandoverItem.objects.filter(handover_id__in=ids).update(note="", skip_reason="")
    HandoverEvent.objects.filter(handover_id__in=ids).update(note="")
    HandoverEvent.objects.bulk_create(
        [
            HandoverEvent(
                handover_id=pk, at=step.now, kind="anonymised", actor_label=step.actor.username, note=step.note
            )
            for pk in ids
        ]
    )


HANDOVER_PART = ResidentPart(
    name="handover", order=20, export=handover_export, plan=handover_erasure_plan, erase=handover_erase
)
