"""Contact's part of a resident's export and erasure (households/rights.py), registered in apps.py:
contact plans with their contact log, the early-warning plan and consents.

Erasure refuses while a plan is active, erases the notes of every (closed) plan through the retention
sweep's step, and the early-warning plan's texts and the people in it. Consents stay: they are the record
of a legal basis.
"""

from __future__ import annotations

from typing import Any

from waakvlam.contact.models import Consent, ContactPlan, EarlyWarningPlan, Phase, PlanStatus
from waakvlam.contact.plan_services import PLAN_TEXT_FIELDS
from waakvlam.contact.retention import plans_notes_erase
from waakvlam.households.models import Resident
from waakvlam.households.rights import ErasurePlan, ErasureStep, ResidentPart, erasure_log, export_person, export_row
from waakvlam.privacy.models import AccessAction

PLAN_FIELDS = [
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
]
CONSENT_FIELDS = [
    "id",
    "data_kind",
    "purpose",
    "valid_from",
    "valid_until",
    "recorded_by_label",
    "recorded_at",
    "revoked_at",
    "revoke_reason",
]


def _plans(resident: Resident) -> list[dict[str, Any]]:
    plans = []
    for plan in (
        ContactPlan.objects.filter(resident=resident)
        .select_related("steward", "backup", "organisation", "team", "signal")
        .order_by("pk")
    ):
        row = export_row(plan, PLAN_FIELDS)
        row.update(
            organisation=plan.organisation.name,
            team=plan.team.name if plan.team else "",
            steward=export_person(plan.steward),
            backup=export_person(plan.backup),
            started_from_signal=plan.signal.tracking_code if plan.signal else "",
            contacts=[
                {
                    **export_row(m, ["happened_on", "channel", "made", "wellbeing", "note", "recorded_at"]),
                    "recorded_by": export_person(m.recorded_by),
                }
                for m in plan.moments.select_related("recorded_by").order_by("happened_on", "pk")
            ],
            history=[export_row(e, ["at", "kind", "actor_label", "note"]) for e in plan.events.all()],
        )
        plans.append(row)
    return plans


def _early_warning_plan(resident: Resident) -> dict[str, Any] | None:
    plan = EarlyWarningPlan.objects.filter(resident=resident).first()
    if plan is None:
        return None
    row = export_row(plan, ["id", *PLAN_TEXT_FIELDS, "agreed_on", "created_at", "updated_at"])
    row["people"] = [export_row(p, ["name", "relation", "phone", "call_when"]) for p in plan.people.all()]
    return row


def _consents(resident: Resident) -> list[dict[str, Any]]:
    return [
        {**export_row(c, CONSENT_FIELDS), "organisation": c.organisation.name}
        for c in Consent.objects.filter(resident=resident).select_related("organisation").order_by("pk")
    ]


def contact_export(resident: Resident) -> dict[str, Any]:
    return {
        "contact_plans": _plans(resident),
        "early_warning_plan": _early_warning_plan(resident),
        "consents": _consents(resident),
    }


def contact_erasure_plan(resident: Resident, plan: ErasurePlan) -> None:
    plans = ContactPlan.objects.filter(resident=resident)
    if plans.filter(status=PlanStatus.ACTIVE).exists():
        plan.blockers.append("Er loopt nog een waakvlamcontact. Laat de waakvlammer het eerst afsluiten.")
    plan.contact_plans = plans.count()
    plan.early_warning_plan = EarlyWarningPlan.objects.filter(resident=resident).exists()


def contact_erase(resident: Resident, plan: ErasurePlan, step: ErasureStep) -> None:
    plans = list(ContactPlan.objects.filter(resident=resident))
    plans_notes_erase(
        plans, now=step.now, note=step.note, context="privacy:resident_erase", reason=step.reason, actor=step.actor
    )
    early = EarlyWarningPlan.objects.filter(resident=resident).first()
    if early is not None:
        erasure_log(step, AccessAction.DELETE, "contact.earlywarningplan", early.pk, early.resident_id)
        early.people.all().delete()
        EarlyWarningPlan.objects.filter(pk=early.pk).update(**dict.fromkeys(PLAN_TEXT_FIELDS, ""), updated_at=step.now)


def early_warning_rows(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The early-warning plan's texts with readable labels ("Oranje: het gaat minder — vroege signalen")."""
    if not plan:
        return []
    rows = []
    for name in [*PLAN_TEXT_FIELDS, "agreed_on"]:
        label = str(getattr(EarlyWarningPlan._meta.get_field(name), "verbose_name", name))
        phase = name.split("_", 1)[0]
        if phase in Phase.values:
            label = f"{Phase(phase).label} — {label}"
        rows.append({"label": label, "value": plan.get(name)})
    return rows


def contact_readable(document: dict[str, Any]) -> dict[str, Any]:
    return {"ew_phases": early_warning_rows(document.get("early_warning_plan"))}


CONTACT_PART = ResidentPart(
    name="contact",
    order=10,
    export=contact_export,
    plan=contact_erasure_plan,
    erase=contact_erase,
    readable=contact_readable,
)
