"""First contact after a discharge must happen within the agreed days, or it escalates: once, to the
coordinators of the receiving team's organisation and to the professional who announced it.

Idempotent (escalated_at is set in the same transaction, and the notification has a dedupe key) and safe
on several workers (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from waakvlam.contact.selectors import today_of
from waakvlam.core.models import Municipality, User
from waakvlam.core.roles import Role
from waakvlam.handover.models import Handover, HandoverEvent, HandoverStatus
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

BATCH_SIZE = 500


def handovers_to_escalate(now: datetime) -> QuerySet[Handover]:
    return Handover.objects.filter(
        status__in=(HandoverStatus.ANNOUNCED, HandoverStatus.ACCEPTED),
        first_contact_on__isnull=True,
        escalated_at__isnull=True,
        first_contact_due__lt=today_of(now),
    )


def handover_first_contact_sweep(now: datetime) -> dict[str, int]:
    counts = {"escalated": 0, "not_accepted": 0, "notifications": 0}
    today = today_of(now)
    per_municipality: dict[int, int] = defaultdict(int)
    coordinators: dict[int, list[User]] = {}
    after_pk = 0
    with translation.override("nl"):
        path = reverse("handover:detail", kwargs={"pk": 0}).replace("/0/", "/{pk}/")
    while True:
        with transaction.atomic():
            qs = handovers_to_escalate(now).filter(pk__gt=after_pk).order_by("pk")
            if connection.vendor == "postgresql":
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            batch = list(qs.select_related("receiving_team", "from_organisation")[:BATCH_SIZE])
            if not batch:
                break
            after_pk = batch[-1].pk
            for handover in batch:
                Handover.objects.filter(pk=handover.pk).update(escalated_at=now)
                late = (today - handover.first_contact_due).days
                accepted = handover.status == HandoverStatus.ACCEPTED
                subject = f"Warme overdracht {handover.pk}: eerste contact {late} dag(en) te laat"
                body = (
                    f"Uitstroom: {handover.discharge_on:%d-%m-%Y} (van {handover.from_organisation.name})\n"
                    f"Ontvangend team: {handover.receiving_team.name}\n"
                    f"Eerste contact had uiterlijk {handover.first_contact_due:%d-%m-%Y} moeten zijn.\n"
                    + ("" if accepted else "De overdracht is nog niet geaccepteerd.\n")
                )
                HandoverEvent.objects.create(
                    handover=handover, at=now, kind="escalated", actor_label="systeem: termijnbewaking", note=subject
                )
                org_id = handover.receiving_team.organisation_id
                if org_id not in coordinators:
                    coordinators[org_id] = list(
                        User.objects.filter(organisation_id=org_id, role=Role.COORDINATOR, is_active=True)
                    )
                people = list(coordinators[org_id])
                if handover.created_by_id:
                    people += list(User.objects.filter(pk=handover.created_by_id))
                counts["notifications"] += notification_enqueue(
                    municipality_id=handover.municipality_id,
                    kind="handover_overdue",
                    subject=subject,
                    body=body,
                    dedupe_key=f"handover-first-contact-overdue:{handover.pk}",
                    now=now,
                    recipients=people,
                    urgent=True,
                    link=path.format(pk=handover.pk),
                )
                counts["escalated"] += 1
                counts["not_accepted"] += 0 if accepted else 1
                per_municipality[handover.municipality_id] += 1
    if per_municipality:
        codes = dict(Municipality.objects.filter(pk__in=per_municipality).values_list("pk", "code"))
        for municipality_id, n in per_municipality.items():
            access_log_record(
                actor=Actor.system("handover_first_contact_sweep"),
                action=AccessAction.UPDATE,
                object_type="handover.handover",
                municipality_code=codes.get(municipality_id, ""),
                context="sweep:handover_first_contact",
                reason=f"{n} overdrachten geëscaleerd",
                now=now,
            )
    return counts
