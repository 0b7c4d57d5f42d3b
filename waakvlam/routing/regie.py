"""The top of the ladder with a consequence: what the municipality's regie may do with a stuck signal.

A signal that reached the municipality's level (routing/followups.py: level 2 and up) and that nobody picked
up may be acted on by the municipality's own people (role municipality) of the same municipality, without
seeing its personal content: they see the reference, the category, the neighbourhood, the team and the
level, never the description, the address or the reporter. They may
- hand it to another team (of any organisation in the municipality) with a reason: the one transfer
  (services.transfer_locked), so the new owner gets a fresh due time and is notified as after any transfer;
- ask the owning organisation's coordinators for an explanation, through the notification outbox;
- note that it was put on an area meeting (the meeting and its task are cases' work, see insight/regie.py).
Each writes a SignalEvent (so the history and the insight figures show it) and one access-log entry.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_noop

from waakvlam.core.i18n import dutch_path
from waakvlam.core.models import Team, User
from waakvlam.core.roles import CARE_ROLES, Role
from waakvlam.followup.kinds import MUNICIPALITY
from waakvlam.intake.lifecycle import OPEN_STATUSES
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.services import Actor
from waakvlam.routing.errors import InvalidAction, NotAllowed
from waakvlam.routing.followups import SIGNAL_PICKUP
from waakvlam.routing.services import _lock, _record, local_time_text, transfer_locked

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
ASKED_SUBJECT, ASKED_SINCE, ASKED_QUESTION = register_kind(
    "signal_explanation_asked",
    gettext_noop("De gemeente vraagt uitleg over signaal %(code)s"),
    gettext_noop("Het signaal staat sinds %(since)s open zonder dat iemand het oppakte (niveau %(level)s)."),
    gettext_noop("Vraag van de gemeente: %(question)s"),
)
EXPLAINED_SUBJECT, EXPLAINED_BODY = register_kind(
    "signal_explained",
    gettext_noop("Uitleg over signaal %(code)s"),
    gettext_noop("Uitleg van %(organisation)s: %(text)s"),
)

# SignalEvent kinds the regie's actions write (SignalEvent.kind is free text of at most 20 characters).
REGIE_TRANSFERRED = "regie_transferred"
EXPLANATION_ASKED = "explanation_asked"
EXPLAINED = "explained"
ON_AREA_MEETING = "on_area_meeting"
REGIE_KINDS = (REGIE_TRANSFERRED, EXPLANATION_ASKED, ON_AREA_MEETING)
MAX_TEXT = 500


def top_level() -> int:
    """The level from which the municipality hears of a stuck signal: the top of the ladder."""
    return SIGNAL_PICKUP.ladder.first_level_for(MUNICIPALITY)


def is_regie(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id
        and user.role == Role.MUNICIPALITY
    )


def regie_may_act(user: User, signal: Signal) -> bool:
    """The municipality's own people, on an open signal of their municipality, unpicked, at the top."""
    return (
        is_regie(user)
        and signal.municipality_id == user.municipality_id
        and signal.status in OPEN_STATUSES
        and signal.picked_up_at is None
        and signal.escalation_level >= top_level()
    )


def stuck_at_top(user: User) -> object:
    """The signals this user may act on as the regie (a queryset; empty for anyone else)."""
    if not is_regie(user):
        return Signal.objects.none()
    return Signal.objects.filter(
        municipality_id=user.municipality_id,
        status__in=OPEN_STATUSES,
        picked_up_at__isnull=True,
        escalation_level__gte=top_level(),
    )


def _locked_for_regie(signal: Signal, by: User) -> Signal:
    locked = _lock(signal)
    if not regie_may_act(by, locked):
        raise NotAllowed
    return locked


def _text(field: str, text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidAction({field: missing})
    if len(text) > MAX_TEXT:
        raise InvalidAction({field: f"Ten hoogste {MAX_TEXT} tekens."})
    return text


@transaction.atomic
def signal_regie_transfer(
    *, signal: Signal, by: User, to_team: Team | None, reason: str, now: datetime, actor: Actor, context: str = ""
) -> Signal:
    """Hand a stuck signal to another team (of another organisation, if need be), with a reason."""
    locked = _locked_for_regie(signal, by)
    if to_team is None:
        raise InvalidAction({"team": "Kies het team dat het signaal overneemt."})
    return transfer_locked(
        locked,
        by=by,
        reason=_text("reason", reason, "Geef een reden voor de overdracht."),
        now=now,
        to_team=to_team,
        to_user=None,
        actor=actor,
        context=context or "service:signal_regie_transfer",
        kind=REGIE_TRANSFERRED,
    )


def _coordinators(signal: Signal) -> list[User]:
    """Who explains: the coordinators of the owning team's organisation; without any, the team's members."""
    team = signal.owner_team
    coordinators = list(
        User.objects.filter(organisation_id=team.organisation_id, role=Role.COORDINATOR, is_active=True)
    )
    return coordinators or list(team.members.filter(is_active=True, role__in=CARE_ROLES))


def regie_link(signal: Signal) -> str:
    return dutch_path("insight:regie_signal", pk=signal.pk)


def explain_link(signal: Signal) -> str:
    return dutch_path("routing:signal_explain", pk=signal.pk)


@transaction.atomic
def signal_explanation_ask(
    *, signal: Signal, by: User, question: str, now: datetime, actor: Actor, context: str = ""
) -> SignalEvent:
    """Ask the owning organisation's coordinators why the signal is stuck; they hear it through the outbox."""
    locked = _locked_for_regie(signal, by)
    question = _text("question", question, "Schrijf wat je wilt weten.")
    event = _record(
        signal=locked,
        kind=EXPLANATION_ASKED,
        by=by,
        now=now,
        actor=actor,
        context=context or "service:signal_explanation_ask",
        note=question,
    )
    notification_enqueue(
        municipality_id=locked.municipality_id,
        kind="signal_explanation_asked",
        subject=ASKED_SUBJECT % {"code": locked.tracking_code},
        body=(
            ASKED_SINCE % {"since": local_time_text(locked.due_at), "level": locked.escalation_level}
            + "\n"
            + ASKED_QUESTION % {"question": question}
        ),
        dedupe_key=f"explain:{locked.pk}:{event.pk}",
        now=now,
        recipients=_coordinators(locked),
        link=explain_link(locked),
        new_event=True,
    )
    return event


def open_question(signal: Signal) -> SignalEvent | None:
    """The regie's last question on this signal when it has not been answered since."""
    last = (
        SignalEvent.objects.filter(signal_id=signal.pk, kind__in=(EXPLANATION_ASKED, EXPLAINED))
        .order_by("-at", "-pk")
        .first()
    )
    return last if last is not None and last.kind == EXPLANATION_ASKED else None


@transaction.atomic
def signal_explanation_give(
    *, signal: Signal, by: User, text: str, now: datetime, actor: Actor, context: str = ""
) -> SignalEvent:
    """A coordinator of the owning organisation answers the regie's question; the asker hears it."""
    locked = _lock(signal)
    if not (by.is_active and by.role == Role.COORDINATOR and by.organisation_id == locked.owner_team.organisation_id):
        raise NotAllowed
    question = open_question(locked)
    if question is None:
        raise InvalidAction({"text": "Er staat geen vraag van de gemeente open over dit signaal."})
    text = _text("text", text, "Schrijf de uitleg.")
    event = _record(
        signal=locked,
        kind=EXPLAINED,
        by=by,
        now=now,
        actor=actor,
        context=context or "service:signal_explanation_give",
        note=text,
    )
    asker = [question.actor] if question.actor is not None else []
    notification_enqueue(
        municipality_id=locked.municipality_id,
        kind="signal_explained",
        subject=EXPLAINED_SUBJECT % {"code": locked.tracking_code},
        body=EXPLAINED_BODY % {"organisation": locked.owner_team.organisation.name, "text": text},
        dedupe_key=f"explained:{locked.pk}:{event.pk}",
        now=now,
        recipients=asker,
        link=regie_link(locked),
        new_event=True,
    )
    return event


def signal_regie_note_meeting(
    *, signal: Signal, by: User, meeting_text: str, now: datetime, actor: Actor
) -> SignalEvent:
    """Record on the signal that the regie put it on an area meeting (inside the caller's transaction,
    which also creates the meeting's task: insight/regie.py)."""
    locked = _locked_for_regie(signal, by)
    return _record(
        signal=locked,
        kind=ON_AREA_MEETING,
        by=by,
        now=now,
        actor=actor,
        context="service:signal_on_area_meeting",
        note=meeting_text,
    )
