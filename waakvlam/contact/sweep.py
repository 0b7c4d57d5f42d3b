"""The flame going out: escalate contact plans to the coordinators of the steward's organisation.

A plan escalates once when, at `now`,
- the last N attempts in a row made no contact (N = WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS, default 3), or
- the next contact is overdue by more than the grace period (WAAKVLAM_CONTACT_GRACE_DAYS, default 7 days).
It records escalated_at and a history step, and queues one notification per coordinator with a dedupe
key; a contact made ends the escalation, so the next time the flame goes out it escalates again.
Idempotent (a second pass at the same `now` finds nothing) and safe on several workers: batches are taken
with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation

from waakvlam.contact import conf
from waakvlam.contact.models import ContactPlan, ContactPlanEvent, EscalationReason, PlanStatus
from waakvlam.contact.selectors import today_of
from waakvlam.core.models import Municipality, User
from waakvlam.core.roles import Role
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

BATCH_SIZE = 500
SYSTEM_LABEL = "systeem: waakvlambewaking"


def escalation_reason(plan: ContactPlan, today: date) -> str:
    """Why this plan should escalate today ("" when it should not)."""
    if plan.status != PlanStatus.ACTIVE:
        return ""
    if plan.failed_attempts >= conf.max_failed_attempts():
        return EscalationReason.FAILED_ATTEMPTS
    if plan.next_contact_due < today - timedelta(days=conf.grace_days()):
        return EscalationReason.OVERDUE
    return ""


def plans_to_escalate(now: datetime) -> QuerySet[ContactPlan]:
    """Active, not yet escalated, and past one of the two limits: exactly what the next sweep escalates."""
    today = today_of(now)
    limit = today - timedelta(days=conf.grace_days())
    return ContactPlan.objects.filter(status=PlanStatus.ACTIVE, escalated_at__isnull=True).filter(
        Q(failed_attempts__gte=conf.max_failed_attempts()) | Q(next_contact_due__lt=limit)
    )


def _coordinators(organisation_id: int, cache: dict[int, list[User]]) -> list[User]:
    if organisation_id not in cache:
        cache[organisation_id] = list(
            User.objects.filter(organisation_id=organisation_id, role=Role.COORDINATOR, is_active=True)
        )
    return cache[organisation_id]


def _take_batch(now: datetime, after_pk: int) -> list[ContactPlan]:
    qs = plans_to_escalate(now).filter(pk__gt=after_pk).order_by("pk")
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.select_related("steward", "team")[:BATCH_SIZE])


def _message(plan: ContactPlan, reason: str, today: date) -> tuple[str, str]:
    """Non-personal metadata only: the e-mail leaves Waakvlam, so no name, address or note."""
    steward = plan.steward.get_full_name() or plan.steward.get_username()
    if reason == EscalationReason.FAILED_ATTEMPTS:
        why = f"{plan.failed_attempts} keer op rij geen contact"
    else:
        why = f"contact {plan.days_overdue(today)} dagen over de termijn"
    subject = f"Waakvlamcontact {plan.pk} dreigt te doven: {why}"
    body = (
        f"Waakvlamcontact: {plan.pk}\n"
        f"Waakvlammer: {steward}\n"
        f"Team: {plan.team.name if plan.team else '-'}\n"
        f"Ritme: elke {plan.rhythm_days} dagen\n"
        f"Volgend contact was uiterlijk: {plan.next_contact_due:%d-%m-%Y}\n"
        f"Reden: {why}.\n"
        "Bespreek met de waakvlammer of de back-up het contact overneemt."
    )
    return subject, body


def contact_overdue_sweep(now: datetime) -> dict[str, int]:
    counts = {"escalated": 0, "failed_attempts": 0, "overdue": 0, "notifications": 0}
    today = today_of(now)
    coordinators: dict[int, list[User]] = {}
    per_municipality: dict[int, int] = defaultdict(int)
    after_pk = 0
    with translation.override("nl"):
        path = reverse("contact:plan_detail", kwargs={"pk": 0}).replace("/0/", "/{pk}/")
    while True:
        with transaction.atomic():
            batch = _take_batch(now, after_pk)
            if not batch:
                break
            after_pk = batch[-1].pk
            events = []
            for plan in batch:
                reason = escalation_reason(plan, today)
                if not reason:
                    continue
                ContactPlan.objects.filter(pk=plan.pk).update(escalated_at=now, escalation_reason=reason)
                subject, body = _message(plan, reason, today)
                events.append(
                    ContactPlanEvent(plan=plan, at=now, kind="escalated", actor_label=SYSTEM_LABEL, note=subject[:300])
                )
                people = _coordinators(plan.organisation_id, coordinators) or [plan.steward]
                counts["notifications"] += notification_enqueue(
                    municipality_id=plan.municipality_id,
                    kind="contact_overdue",
                    subject=subject,
                    body=body,
                    dedupe_key=f"contact-plan-escalated:{plan.pk}:{(plan.last_contact_on or plan.starts_on).isoformat()}",
                    now=now,
                    recipients=people,
                    link=path.format(pk=plan.pk),
                )
                counts["escalated"] += 1
                counts[str(reason)] += 1
                per_municipality[plan.municipality_id] += 1
            ContactPlanEvent.objects.bulk_create(events)
    if per_municipality:
        codes = dict(Municipality.objects.filter(pk__in=per_municipality).values_list("pk", "code"))
        for municipality_id, n in per_municipality.items():
            access_log_record(
                actor=Actor.system("contact_overdue_sweep"),
                action=AccessAction.UPDATE,
                object_type="contact.contactplan",
                municipality_code=codes.get(municipality_id, ""),
                context="sweep:contact_overdue",
                reason=f"{n} waakvlamcontacten geëscaleerd",
                now=now,
            )
    return counts
