"""Forgetting what a closed contact plan said (SECURITY.md, "Minimising and forgetting").

`plan_retention_months()` (default 24) after a plan was closed, the worker erases what it says about the
resident's life: the notes and the wellbeing of every contact moment, the explanation of the basis, the
reason it was closed and the notes in its history. What is left — who kept the contact, from when to
when, how often, on which basis, how many moments and whether contact was made — still answers "was
this resident looked after, and by whom" for the municipality's figures and for accountability, and
says nothing more. The resident record itself is not touched: it may have other plans, and erasing a
person is a data-subject request, decided by a person.

Each plan gets one history step and one access-log entry, in the same transaction as the change.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet

from waakvlam.contact.conf import plan_retention_months
from waakvlam.contact.models import ContactMoment, ContactPlan, ContactPlanEvent, PlanStatus
from waakvlam.contact.services import log_plan
from waakvlam.core.worker import in_batches
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred

__all__ = ["plan_retention_months", "plans_anonymise_due", "plans_notes_erase", "plans_retention_sweep"]

logger = logging.getLogger("waakvlam.retention")

ANONYMISED = "anonymised"
BATCH = 200


def plans_anonymise_due(now: datetime, *, months: int) -> QuerySet[ContactPlan]:
    # A month is counted as 30.44 days: retention is a period, not a calendar appointment.
    cutoff = now - timedelta(days=round(months * 30.44))
    done = ContactPlanEvent.objects.filter(plan=OuterRef("pk"), kind=ANONYMISED)
    return ContactPlan.objects.filter(status=PlanStatus.CLOSED, closed_at__lt=cutoff).exclude(Exists(done))


def plans_notes_erase(
    plans: list[ContactPlan], *, now: datetime, note: str, context: str, reason: str, actor: Actor | None = None
) -> int:
    """Erase the notes of these plans, with one history step (`note`) and one access-log entry each. Runs
    in the caller's transaction, inside its access_log_deferred(); also used for erasure on request."""
    if not plans:
        return 0
    actor = actor or Actor.system("retention")
    for plan in plans:
        log_plan(actor=actor, action=AccessAction.UPDATE, plan=plan, context=context, now=now, reason=reason)
    ids = [plan.pk for plan in plans]
    ContactPlan.objects.filter(pk__in=ids).update(basis_note="", close_reason="", updated_at=now)
    ContactMoment.objects.filter(plan_id__in=ids).update(note="", wellbeing="")
    ContactPlanEvent.objects.filter(plan_id__in=ids).update(note="")
    ContactPlanEvent.objects.bulk_create(
        [ContactPlanEvent(plan_id=pk, at=now, kind=ANONYMISED, actor_label=actor.username, note=note) for pk in ids]
    )
    return len(ids)


def _anonymise_batch(ids: list[int], now: datetime, months: int) -> int:
    with transaction.atomic(), access_log_deferred():
        rows = ContactPlan.objects.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)  # two workers never do one plan twice
        locked = {plan.pk: plan for plan in rows}
        due = set(plans_anonymise_due(now, months=months).filter(pk__in=list(locked)).values_list("pk", flat=True))
        return plans_notes_erase(
            [plan for pk, plan in locked.items() if pk in due],
            now=now,
            note=f"Notities gewist: {months} maanden na het afsluiten (bewaartermijn).",
            context="retention:plan_anonymise",
            reason=f"bewaartermijn {months} maanden verstreken",
        )


def plans_retention_sweep(now: datetime, *, months: int | None = None) -> dict[str, int]:
    """Anonymise every closed plan that is due, in batches of BATCH (each its own transaction)."""
    period = months or plan_retention_months()
    total = in_batches(
        lambda: list(plans_anonymise_due(now, months=period).order_by("pk").values_list("pk", flat=True)[:BATCH]),
        lambda ids: _anonymise_batch(ids, now, period),
    )
    if total:
        logger.info("retention: %d closed contact plan(s) anonymised after %d months", total, period)
    return {"plans_anonymised": total}
