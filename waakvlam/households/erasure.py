"""Residents' rights: erasing a resident on request (GDPR art. 17), decided by the privacy officer.

The law allows refusing erasure while care is being given on a legal basis, and a person weighs that, not
the software: Waakvlam refuses only while contact or a handover is still running (close it first, so the
people doing it know), and otherwise erases what it holds about the resident's life:

- the resident's name and description (the record stays, "gewist op verzoek", so the history has a
  subject and a second request finds it);
- the notes of every (closed) contact plan, through the same step as the retention sweep;
- the early-warning plan's texts and the people in it;
- the notes of every (closed) handover and its checklist;
- when the resident is the only one in the household: what the closed signals about the address say
  (through the retention sweep's step). With others living there the signals may be about them, so
  they stay until their own retention period ends; the confirmation page says so.

What stays: consents (the record of a legal basis), the outline of plans and handovers (who kept
contact, when), and the access log, which is never touched. Everything happens in one transaction, with
one access-log entry per object erased and one for the resident ("delete"). Plans, consents and
handovers are erased by the parts their apps register (rights.py); the signals are erased here.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from waakvlam.households.models import Resident
from waakvlam.households.rights import ErasurePlan, ErasureStep, erasure_log, resident_parts
from waakvlam.intake.models import Signal, Status
from waakvlam.intake.retention import signals_anonymise
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred

__all__ = ["ERASED_DESCRIPTION", "ErasureRefused", "resident_erase", "resident_erasure_plan"]

ERASED_DESCRIPTION = "Gewist op verzoek"
MAX_REASON = 200


class ErasureRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _sole_resident(resident: Resident) -> bool:
    return resident.household_id is not None and not (
        Resident.objects.filter(household_id=resident.household_id).exclude(pk=resident.pk).exists()
    )


def resident_erasure_plan(resident: Resident) -> ErasurePlan:
    plan = ErasurePlan()
    for part in resident_parts():
        part.plan(resident, plan)
    if resident.household_id is not None:
        signals = Signal.objects.filter(household_id=resident.household_id)
        if _sole_resident(resident):
            if signals.exclude(status=Status.CLOSED).exists():
                plan.blockers.append("Er staan nog signalen over dit huishouden open. Laat die eerst afsluiten.")
            plan.signals = signals.filter(status=Status.CLOSED).exclude(description="", address=None).count()
        else:
            plan.signals_kept_for_others = signals.exists()
    return plan


def resident_erase(*, resident: Resident, reason: str, actor: Actor, now: datetime) -> ErasurePlan:
    """Erase as `resident_erasure_plan` describes; raises ErasureRefused (Dutch, for the officer)."""
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused("Geef aan op welk verzoek je wist, bijvoorbeeld de datum en het kenmerk van de brief.")
    if len(reason) > MAX_REASON:
        raise ErasureRefused(f"De toelichting is hoogstens {MAX_REASON} tekens.")
    note = f"Gewist op verzoek van de bewoner (AVG art. 17): {reason}"[:300]
    log_reason = f"wissen op verzoek: {reason}"[:200]
    with transaction.atomic(), access_log_deferred():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        plan = resident_erasure_plan(locked)
        if plan.blockers:
            raise ErasureRefused(" ".join(plan.blockers))
        step = ErasureStep(actor=actor, now=now, note=note, reason=log_reason)
        for part in resident_parts():
            part.erase(locked, plan, step)
        household_id = locked.household_id
        if plan.signals and household_id is not None:
            signals = list(
                Signal.objects.filter(household_id=household_id, status=Status.CLOSED)
                .exclude(description="", address=None)
                .select_related("municipality")
            )
            signals_anonymise(
                signals, now=now, note=note, context="privacy:resident_erase", reason=log_reason, actor=actor
            )
        erasure_log(step, AccessAction.DELETE, "households.resident", locked.pk, locked.pk)
        Resident.objects.filter(pk=locked.pk).update(name=None, description=ERASED_DESCRIPTION)
    return plan
