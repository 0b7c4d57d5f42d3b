"""A contact plan whose flame is going out, as a follow-up kind. A plan is late when, at `now`,
- the last N attempts in a row made no contact (N = WAAKVLAM_CONTACT_MAX_FAILED_ATTEMPTS, default 3), or
- the next contact is overdue by more than the grace period (WAAKVLAM_CONTACT_GRACE_DAYS, default 7 days).

  level 1  the coordinators of the plan's organisation (none: the back-up, then the steward); +3 working days
  level 2  the municipality (metadata only); +5 working days
  level 3, …  coordinators and municipality again; +5 working days each

A contact made ends the escalation (contact/services.py resets the level), so the next time the flame goes
out it climbs from level 1 again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.contact import conf
from waakvlam.contact.models import ContactPlan, ContactPlanEvent, EscalationReason, PlanStatus
from waakvlam.contact.selectors import today_of
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    ADMINS,
    BACKUP,
    MUNICIPALITY,
    OWNER,
    TEAM,
    Context,
    FollowUpKind,
    History,
    Message,
    Owner,
    Row,
    StuckColumns,
    escalation_ladder,
)
from waakvlam.notify.catalogue import register_texts, register_values

WEEK = DEFAULT_CALENDAR.working_day * 5


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("Waakvlamcontact van %(steward)s dreigt te doven: %(why)s"),
    # Notifications written before names replaced ids still show in English.
    gettext_noop("Waakvlamcontact %(n)s dreigt te doven: %(why)s"),
    gettext_noop("%(n)s keer op rij geen contact"),
    gettext_noop("contact %(n)s dagen over de termijn"),
    gettext_noop("Waakvlamcontact: %(n)s"),
    gettext_noop("Waakvlammer: %(steward)s"),
    gettext_noop("Team: %(team)s"),
    gettext_noop("Ritme: elke %(n)s dagen"),
    gettext_noop("Volgend contact was uiterlijk: %(due)s"),
    gettext_noop("Reden: %(why)s."),
    gettext_noop("Escalatieniveau: %(level)s."),
    # Notifications written before names replaced ids still show in English.
    gettext_noop("Waakvlamcontact %(n)s"),
    gettext_noop("Waakvlamcontact van %(steward)s, volgend contact was uiterlijk %(due)s"),
    gettext_noop("%(n)s waakvlamcontacten dreigen te doven"),
    gettext_noop("Bij deze waakvlamcontacten is het contact uitgebleven:"),
    gettext_noop("Bespreek met de waakvlammer of de back-up het contact overneemt."),
)
STEP_NOTES = register_values(
    gettext_noop("coördinator ingeschakeld"),
    gettext_noop("gemeente ingeschakeld"),
    gettext_noop("nog steeds geen contact; coördinator en gemeente opnieuw ingeschakeld"),
)


def escalation_reason(plan: ContactPlan, today: date) -> str:
    """Why this plan should escalate today ("" when it should not)."""
    if plan.status != PlanStatus.ACTIVE:
        return ""
    if plan.failed_attempts >= conf.max_failed_attempts():
        return EscalationReason.FAILED_ATTEMPTS
    if plan.next_contact_due < today - timedelta(days=conf.grace_days()):
        return EscalationReason.OVERDUE
    return ""


def _late(now: datetime) -> Q:
    limit = today_of(now) - timedelta(days=conf.grace_days())
    return Q(failed_attempts__gte=conf.max_failed_attempts()) | Q(next_contact_due__lt=limit)


def _reason(row: Row) -> str:
    failed = row["failed_attempts"] >= conf.max_failed_attempts()
    return str(EscalationReason.FAILED_ATTEMPTS if failed else EscalationReason.OVERDUE)


def plan_ref(row: Row, ctx: Context) -> str:
    """A plan in a summary, as a coordinator recognises it: whose it is and since when it is due."""
    steward = ctx.name("user", row["steward_id"])
    return f"Waakvlamcontact van {steward}, volgend contact was uiterlijk {row['next_contact_due']:%d-%m-%Y}"


def _message(row: Row, level: int, ctx: Context) -> Message:
    """Non-personal metadata only: the e-mail leaves Waakvlam, so no name of the resident, address or note."""
    if _reason(row) == EscalationReason.FAILED_ATTEMPTS:
        why = f"{row['failed_attempts']} keer op rij geen contact"
    else:
        why = f"contact {max(0, (today_of(ctx.now) - row['next_contact_due']).days)} dagen over de termijn"
    # Named by its steward, not by an internal id; the link leads to the plan itself.
    steward = ctx.name("user", row["steward_id"])
    subject = f"Waakvlamcontact van {steward} dreigt te doven: {why}"
    body = (
        f"Waakvlammer: {steward}\n"
        f"Team: {ctx.name('team', row['team_id'])}\n"
        f"Ritme: elke {row['rhythm_days']} dagen\n"
        f"Volgend contact was uiterlijk: {row['next_contact_due']:%d-%m-%Y}\n"
        f"Reden: {why}.\n"
        f"Escalatieniveau: {level}.\n"
        "Bespreek met de waakvlammer of de back-up het contact overneemt."
    )
    return Message(subject, body)


def _on_escalate(now: datetime) -> dict[str, object]:
    failed = Q(failed_attempts__gte=conf.max_failed_attempts())
    return {
        "escalated_at": Coalesce(F("escalated_at"), Value(now)),
        "escalation_reason": Case(
            When(failed, then=Value(EscalationReason.FAILED_ATTEMPTS.value)),
            default=Value(EscalationReason.OVERDUE.value),
        ),
    }


_COORDINATORS_FIRST = (BACKUP, OWNER, TEAM, MUNICIPALITY, ADMINS)

CONTACT_OVERDUE = FollowUpKind(
    name="contact_overdue",
    label="waakvlamcontacten",
    model=ContactPlan,
    open=Q(status=PlanStatus.ACTIVE),
    late=_late,
    due="next_contact_due",
    owner=Owner(person="steward_id", backup="backup_id", team="team_id", organisation="organisation_id"),
    ladder=escalation_ladder(
        coordinator="coördinator ingeschakeld",
        coordinator_after=DEFAULT_CALENDAR.working_day * 3,
        coordinator_fallback=_COORDINATORS_FIRST,
        still_stuck="nog steeds geen contact; coördinator en gemeente opnieuw ingeschakeld",
        every=WEEK,
        counted=False,
    ),
    message=_message,
    history=History(ContactPlanEvent, "plan_id", actor_label="systeem: waakvlambewaking"),
    title=_("Waakvlamcontacten"),
    object_type="contact.contactplan",
    stuck=StuckColumns(ref="public_id", team="team__name"),
    ref=plan_ref,
    fields=("failed_attempts", "rhythm_days", "last_contact_on", "starts_on"),
    prefetch=(("user", "steward_id"), ("team", "team_id")),
    link_name="contact:plan_detail",
    link_field="public_id",
    dedupe_prefix="contact-plan-escalated",
    # One chain per stretch without contact: a contact made starts a new one.
    chain=lambda row: (row["last_contact_on"] or row["starts_on"]).isoformat(),
    counts=lambda row: [_reason(row)],
    count_extra=("failed_attempts", "overdue"),
    on_escalate=_on_escalate,
    summary_subject="{n} waakvlamcontacten dreigen te doven",
    summary_intro="Bij deze waakvlamcontacten is het contact uitgebleven:",
)
