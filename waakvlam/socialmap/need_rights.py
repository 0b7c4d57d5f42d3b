"""The social map's part of a resident's export and erasure (households/rights.py), registered in apps.py:
the needs a steward recorded for them. Erasure deletes them (each one logged); nothing here blocks it.
The readable export shows them through a page part (core/page_parts.py) in EXPORT_PAGE_SLOT."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waakvlam.households.models import Resident
from waakvlam.households.rights import ErasurePlan, ErasureStep, ResidentPart, erasure_log, export_iso, export_person
from waakvlam.privacy.models import AccessAction
from waakvlam.socialmap import models as m


def needs_export(resident: Resident) -> dict[str, Any]:
    needs = m.ResidentNeed.objects.filter(resident=resident).select_related("term", "recorded_by").order_by("pk")
    return {
        "needs": [
            {
                "id": need.pk,
                "need": need.term.name,
                "need_code": need.term.code,
                "recorded_by": export_person(need.recorded_by),
                "recorded_at": export_iso(need.recorded_at),
                "ended_at": export_iso(need.ended_at),
            }
            for need in needs
        ]
    }


def needs_erasure_plan(resident: Resident, plan: ErasurePlan) -> None:
    """Needs never block an erasure: they go with it."""


def needs_erase(resident: Resident, plan: ErasurePlan, step: ErasureStep) -> None:
    needs = list(m.ResidentNeed.objects.filter(resident=resident))
    for need in needs:
        erasure_log(step, AccessAction.DELETE, "socialmap.residentneed", need.pk, resident.pk)
    m.ResidentNeed.objects.filter(pk__in=[n.pk for n in needs]).delete()


def needs_readable(request: HttpRequest, document: dict[str, Any]) -> dict[str, Any]:
    return {"needs": document.get("needs", [])}


NEEDS_PART = ResidentPart(
    name="socialmap_needs", order=30, export=needs_export, plan=needs_erasure_plan, erase=needs_erase
)
