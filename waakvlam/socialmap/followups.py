"""A referral's answer as a follow-up kind: the receiving side answers by `answer_due_at`, or it climbs the ladder.

level 1  the owner (the activity's keeper) and the coordinators of the owning organisation, and the steward
         who sent it, so they can chase it or choose another offer; next step +1 working day
level 2  the functional admins, who keep the social map (an offer that never answers is out of date), and
         the sender again; +2 working days
level 3, …  admins and the municipality; +5 working days each

The answer due time never moves; an answer (accepted, declined) ends the chase. Notifications carry the
offer and dates only, never who the resident is.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.followup.kinds import (
    ADMINS,
    COORDINATORS,
    MUNICIPALITY,
    OWNER,
    Context,
    FollowUpKind,
    History,
    Ladder,
    Message,
    Owner,
    Person,
    Row,
    Step,
    StuckColumns,
    local_text,
)
from waakvlam.notify.catalogue import register_texts, register_values
from waakvlam.socialmap.referral_models import Referral, ReferralEvent, ReferralStatus

DAY = DEFAULT_CALENDAR.working_day
SENDER = Person("sender_id")


# Every line _message and the clock write for this kind, for readers of the English interface
# (notify/catalogue.py); tests/notify/test_catalogue.py proves each written line is here.
NOTIFICATION_TEXTS = register_texts(
    gettext_noop("Verwijzing naar %(service)s niet op tijd beantwoord (niveau %(level)s)"),
    gettext_noop("Verwijzing naar %(service)s, antwoord uiterlijk %(due)s"),
    # Notifications written before referrals were named by their service still show in English.
    gettext_noop("Verwijzing %(n)s naar %(service)s niet op tijd beantwoord (niveau %(level)s)"),
    gettext_noop("Aanbod: %(service)s"),
    gettext_noop("Antwoord had er uiterlijk moeten zijn: %(due)s"),
    gettext_noop("Escalatieniveau: %(level)s; volgende stap zonder antwoord: %(next)s"),
    gettext_noop("Beantwoord de verwijzing (geaccepteerd of afgewezen), of kies met de bewoner een ander aanbod."),
    gettext_noop("Verwijzing %(n)s"),
    gettext_noop("%(n)s verwijzingen niet op tijd beantwoord"),
    gettext_noop("Deze verwijzingen zijn niet op tijd beantwoord:"),
)
STEP_NOTES = register_values(
    gettext_noop("ontvanger herinnerd, verwijzer geïnformeerd"),
    gettext_noop("beheer sociale kaart ingeschakeld"),
    gettext_noop("nog steeds geen antwoord; beheer en gemeente opnieuw"),
)


def referral_ref(row: Row, ctx: Context) -> str:
    return f"Verwijzing naar {row['service__name']}, antwoord uiterlijk {local_text(row['due'], ctx.zone)}"


def _message(row: Row, level: int, ctx: Context) -> Message:
    subject = f"Verwijzing naar {row['service__name']} niet op tijd beantwoord (niveau {level})"
    body = (
        f"Aanbod: {row['service__name']}\n"
        f"Antwoord had er uiterlijk moeten zijn: {local_text(row['answer_due_at'], ctx.zone)}\n"
        f"Escalatieniveau: {level}; volgende stap zonder antwoord: {ctx.next_step_text(level)}\n"
        "Beantwoord de verwijzing (geaccepteerd of afgewezen), of kies met de bewoner een ander aanbod."
    )
    return Message(subject, body)


REFERRAL_ANSWER = FollowUpKind(
    name="referral_answer",
    label="verwijzingen",
    title=_("Verwijzingen"),
    model=Referral,
    open=Q(status=ReferralStatus.SENT),
    late=lambda now: Q(answer_due_at__lt=now),
    due="answer_due_at",
    owner=Owner(person="owner_keeper_id", organisation="owner_organisation_id"),
    ladder=Ladder(
        steps=(
            Step((OWNER, COORDINATORS, SENDER), "ontvanger herinnerd, verwijzer geïnformeerd", DAY),
            Step((ADMINS, SENDER), "beheer sociale kaart ingeschakeld", DAY * 2),
        ),
        then=Step((ADMINS, MUNICIPALITY), "nog steeds geen antwoord; beheer en gemeente opnieuw", DAY * 5),
    ),
    message=_message,
    # The referral's own history: an escalation is a step of its own kind, the status unchanged.
    history=History(
        ReferralEvent,
        "referral_id",
        columns=lambda row: {"from_status": row["status"], "to_status": row["status"]},
    ),
    object_type="socialmap.referral",
    stuck=StuckColumns(
        ref="public_id", team="owner_organisation__name", area="neighbourhood__name", what="service__name"
    ),
    # Named by the service and the answer's due time, never by a counter id.
    ref=referral_ref,
    fields=("status", "sender_id", "service__name"),
    link_name="socialmap:referral_detail",
    link_field="public_id",
    notification_kind="referral_overdue",
    on_escalate=lambda now: {"updated_at": now},
    summary_subject="{n} verwijzingen niet op tijd beantwoord",
    summary_intro="Deze verwijzingen zijn niet op tijd beantwoord:",
)
