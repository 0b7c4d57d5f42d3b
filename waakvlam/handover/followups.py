"""First contact after a discharge as a follow-up kind: within the agreed days, or it climbs the ladder.

level 1  the coordinators of the receiving team's organisation and the professional who announced it
         (nobody of those: the team, the steward, the municipality); +1 working day
level 2  the municipality (metadata only); +1 working day
level 3, …  coordinators and municipality again; +1 working day each
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.contact.selectors import today_of
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    COORDINATORS,
    Context,
    FollowUpKind,
    History,
    Message,
    Owner,
    Person,
    Row,
    StuckColumns,
    escalation_ladder,
)
from waakvlam.handover.models import Handover, HandoverEvent, HandoverStatus
from waakvlam.notify.catalogue import register_texts, register_values

DAY = DEFAULT_CALENDAR.working_day


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("%(handover)s: eerste contact 1 dag te laat"),
    gettext_noop("%(handover)s: eerste contact %(late)s dagen te laat"),
    # Written before the plural was right; kept so that stored notifications still show in English.
    gettext_noop("%(handover)s: eerste contact %(late)s dag(en) te laat"),
    gettext_noop("Warme overdracht van %(organisation)s, uitstroom %(date)s"),
    # Notifications written before handovers were named by sender and date still show in English.
    gettext_noop("Warme overdracht %(n)s: eerste contact %(late)s dag(en) te laat"),
    gettext_noop("Uitstroom: %(date)s (van %(organisation)s)"),
    gettext_noop("Ontvangend team: %(team)s"),
    gettext_noop("Eerste contact had uiterlijk %(date)s moeten zijn."),
    gettext_noop("De overdracht is nog niet geaccepteerd."),
    gettext_noop("Escalatieniveau: %(level)s."),
    gettext_noop("Warme overdracht %(n)s"),
    gettext_noop("%(n)s warme overdrachten: eerste contact te laat"),
    gettext_noop("Bij deze warme overdrachten is het eerste contact te laat:"),
)
STEP_NOTES = register_values(
    gettext_noop("coördinator en aanmelder ingeschakeld"),
    gettext_noop("gemeente ingeschakeld"),
    gettext_noop("nog steeds geen eerste contact; coördinator en gemeente opnieuw"),
)


def handover_ref(row: Row, ctx: Context) -> str:
    """A handover as the receiving team knows it: who sends the resident and on which day, never a counter id."""
    sender = ctx.name("organisation", row["from_organisation_id"])
    return f"Warme overdracht van {sender}, uitstroom {row['discharge_on']:%d-%m-%Y}"


def _message(row: Row, level: int, ctx: Context) -> Message:
    late = (today_of(ctx.now) - row["first_contact_due"]).days
    accepted = row["status"] == HandoverStatus.ACCEPTED
    days = "1 dag" if late == 1 else f"{late} dagen"
    subject = f"{handover_ref(row, ctx)}: eerste contact {days} te laat"
    body = (
        f"Uitstroom: {row['discharge_on']:%d-%m-%Y} (van {ctx.name('organisation', row['from_organisation_id'])})\n"
        f"Ontvangend team: {ctx.name('team', row['receiving_team_id'])}\n"
        f"Eerste contact had uiterlijk {row['first_contact_due']:%d-%m-%Y} moeten zijn.\n"
        + ("" if accepted else "De overdracht is nog niet geaccepteerd.\n")
        + f"Escalatieniveau: {level}.\n"
    )
    return Message(subject, body, urgent=True)


def _on_escalate(now: datetime) -> dict[str, object]:
    return {"escalated_at": Coalesce(F("escalated_at"), Value(now))}


HANDOVER_FIRST_CONTACT = FollowUpKind(
    name="handover_first_contact",
    label="overdrachten",
    model=Handover,
    open=Q(status__in=(HandoverStatus.ANNOUNCED, HandoverStatus.ACCEPTED), first_contact_on__isnull=True),
    late=lambda now: Q(first_contact_due__lt=today_of(now)),
    due="first_contact_due",
    owner=Owner(person="steward_id", team="receiving_team_id"),
    ladder=escalation_ladder(
        coordinator="coördinator en aanmelder ingeschakeld",
        coordinator_to=(COORDINATORS, Person("created_by_id")),
        still_stuck="nog steeds geen eerste contact; coördinator en gemeente opnieuw",
        every=DAY,
        counted=False,
    ),
    message=_message,
    history=History(HandoverEvent, "handover_id"),
    title=_("Warme overdrachten"),
    object_type="handover.handover",
    stuck=StuckColumns(ref="public_id", team="receiving_team__name"),
    ref=handover_ref,
    fields=("status", "discharge_on", "from_organisation_id", "created_by_id"),
    prefetch=(("organisation", "from_organisation_id"), ("team", "receiving_team_id")),
    link_name="handover:detail",
    link_field="public_id",
    notification_kind="handover_overdue",
    dedupe_prefix="handover-first-contact-overdue",
    counts=lambda row: [] if row["status"] == HandoverStatus.ACCEPTED else ["not_accepted"],
    count_extra=("not_accepted",),
    on_escalate=_on_escalate,
    summary_subject="{n} warme overdrachten: eerste contact te laat",
    summary_intro="Bij deze warme overdrachten is het eerste contact te laat:",
)
