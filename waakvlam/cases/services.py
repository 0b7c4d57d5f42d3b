"""Case conferences: convene, invite, name the director, record decisions and minutes, close. Each use case
is one transaction that writes its access-log entry (about the resident or household) and its notifications.
Tasks live in tasks.py, area meetings in area.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from waakvlam.cases.errors import Conflict, InvalidInput, NotAllowed, TasksUnsettled
from waakvlam.cases.models import (
    MAX_MINUTES,
    MAX_TEXT,
    AgendaItem,
    CaseConference,
    Decision,
    Participant,
    Scope,
    SharingBasis,
)
from waakvlam.cases.selectors import conference_may_manage, conference_subject
from waakvlam.cases.workflow import SETTLED, MeetingStatus
from waakvlam.contact.selectors import residents_visible_to
from waakvlam.core.i18n import dutch_path
from waakvlam.core.models import User
from waakvlam.core.roles import KEEPER_ROLES, WORK_ROLES
from waakvlam.households.linking import households_visible_to
from waakvlam.households.models import Household, Resident
from waakvlam.households.selectors import household_timeline
from waakvlam.intake.freetext import free_text_check, privacy_warnings
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
INVITED_SUBJECT, INVITED_BODY = register_kind(
    "case_invited",
    gettext_noop("Uitnodiging voor een casusoverleg"),
    gettext_noop("Je bent uitgenodigd voor een casusoverleg op %(date)s."),
)

MAX_AGENDA = 20

# Apps above cases that react when a case conference is convened (the attention list records that its open
# item for the household is taken up). Called inside the convening transaction, so both commit or neither.
ConvenedHook = Callable[..., object]
_convened_hooks: list[ConvenedHook] = []


def register_conference_convened(hook: ConvenedHook) -> None:
    """Called from a higher app's AppConfig.ready(): hook(conference=, by=, actor=, now=) after convening."""
    if hook not in _convened_hooks:
        _convened_hooks.append(hook)


def household_visible_for_case(user: User, household: Household) -> bool:
    """A case may be convened about a household the user sees through a signal or a resident's plan."""
    if households_visible_to(user).filter(pk=household.pk).exists():
        return True
    return residents_visible_to(user).filter(household_id=household.pk).exists()


def checked_text(field_name: str, text: str, *, max_length: int, required: bool = True) -> str:
    """Trimmed text that passes the free-text privacy check (no names, phone numbers, BSNs, e-mail); else a
    field error saying what kind of data was found, never repeating it."""
    value = (text or "").strip()
    if required and not value:
        raise InvalidInput({field_name: "Vul dit in."})
    if len(value) > max_length:
        raise InvalidInput({field_name: f"Houd het kort: hoogstens {max_length} tekens."})
    kinds = free_text_check(value).kinds if value else []
    if kinds:
        warnings = " ".join(privacy_warnings(kinds))
        raise InvalidInput({field_name: f"{warnings} Laat persoonsgegevens van anderen weg en probeer het opnieuw."})
    return value


def conference_link(conference: CaseConference) -> str:
    return dutch_path("cases:conference_detail", pk=conference.public_id)


def _log(
    actor: Actor, action: str, conference: CaseConference, context: str, now: datetime, object_type: str = ""
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type=object_type or "cases.caseconference",
        object_id=conference.pk,
        subject=conference_subject(conference),
        context=context,
        now=now,
    )


@dataclass(frozen=True)
class ConveneInput:
    question: str
    meets_on: date
    resident_takes_part: bool
    network_takes_part: bool
    without_resident_reason: str = ""
    resident: Resident | None = None


def conference_convene(
    *, household: Household, data: ConveneInput, by: User, actor: Actor, now: datetime, context: str = ""
) -> CaseConference:
    """A steward or coordinator convenes a case about a household they may see. The convener takes part and
    directs until someone else is named; the agenda is drawn from the convener's view of the timeline."""
    if by.role not in KEEPER_ROLES or not by.organisation_id:
        raise NotAllowed
    if not household_visible_for_case(by, household):
        raise NotAllowed
    errors: dict[str, str] = {}
    if data.resident is not None and data.resident.household_id != household.pk:
        errors["resident"] = "Deze bewoner woont niet in dit huishouden."
    reason = data.without_resident_reason.strip()
    if not (data.resident_takes_part and data.network_takes_part) and not reason:
        errors["without_resident_reason"] = (
            "Leg vast waarom de bewoner of het eigen netwerk niet meedoet: het uitgangspunt is dat zij meedoen."
        )
    if errors:
        raise InvalidInput(errors)
    question = checked_text("question", data.question, max_length=300)
    if reason:
        reason = checked_text("without_resident_reason", reason, max_length=300)
    with transaction.atomic():
        conference = CaseConference.objects.create(
            municipality_id=by.municipality_id,
            household=household,
            resident=data.resident,
            organisation_id=by.organisation_id,
            convened_by=by,
            question=question,
            meets_on=data.meets_on,
            resident_takes_part=data.resident_takes_part,
            network_takes_part=data.network_takes_part,
            without_resident_reason=reason if not (data.resident_takes_part and data.network_takes_part) else "",
            created_at=now,
        )
        Participant.objects.create(
            conference=conference,
            user=by,
            organisation_id=by.organisation_id,
            is_director=True,
            basis=SharingBasis.CONVENER,
            sees_signals=True,
            sees_contact_plan=True,
            sees_early_warning_plan=True,
            invited_by=by,
            invited_at=now,
        )
        signals = household_timeline(by, household)[:MAX_AGENDA]
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    conference=conference,
                    signal=s,
                    category=s.category,
                    received_on=timezone.localdate(s.received_at),
                    source=s.reporter_organisation.name if s.reporter_organisation else s.get_source_kind_display(),
                    position=i,
                )
                for i, s in enumerate(reversed(signals))
            ]
        )
        _log(actor, AccessAction.CREATE, conference, context or "service:conference_convene", now)
        for hook in _convened_hooks:
            hook(conference=conference, by=by, actor=actor, now=now)
    return conference


@dataclass(frozen=True)
class InviteInput:
    user: User
    basis: str
    basis_note: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)


def participant_invite(
    *, conference: CaseConference, data: InviteInput, by: User, actor: Actor, now: datetime, context: str = ""
) -> Participant:
    """Invite a professional of another (or the same) organisation, recording the basis for sharing and
    what they may see. Consent or a legal task must be named; the convener's basis is not for invitees."""
    if not conference_may_manage(by, conference):
        raise NotAllowed
    if conference.status != MeetingStatus.OPEN:
        raise Conflict("Dit overleg is afgesloten.")
    invitee = data.user
    errors: dict[str, str] = {}
    if (
        not invitee.is_active
        or invitee.role not in WORK_ROLES
        or not invitee.organisation_id
        or invitee.municipality_id != conference.municipality_id
    ):
        errors["user"] = "Deze persoon kan niet aan een casusoverleg deelnemen."
    if data.basis not in (SharingBasis.CONSENT, SharingBasis.LEGAL_TASK):
        errors["basis"] = "Kies de grondslag: toestemming van de bewoner of een wettelijke taak."
    unknown = set(data.scopes) - set(Scope.values)
    if unknown:
        errors["scopes"] = f"Onbekend: {', '.join(sorted(unknown))}."
    if data.basis == SharingBasis.LEGAL_TASK and not data.basis_note.strip():
        errors["basis_note"] = "Noem de wettelijke taak (bijvoorbeeld Wmo 2015, art. 2.3.2)."
    if errors:
        raise InvalidInput(errors)
    note = checked_text("basis_note", data.basis_note, max_length=200, required=False)
    with transaction.atomic():
        if Participant.objects.filter(conference=conference, user=invitee).exists():
            raise Conflict("Deze persoon is al uitgenodigd.")
        participant = Participant.objects.create(
            conference=conference,
            user=invitee,
            organisation_id=int(invitee.organisation_id or 0),
            basis=data.basis,
            basis_note=note,
            sees_signals=Scope.SIGNALS in data.scopes,
            sees_contact_plan=Scope.CONTACT_PLAN in data.scopes,
            sees_early_warning_plan=Scope.EARLY_WARNING_PLAN in data.scopes,
            invited_by=by,
            invited_at=now,
        )
        _log(actor, AccessAction.UPDATE, conference, context or "service:participant_invite", now)
        notification_enqueue(
            municipality_id=conference.municipality_id,
            kind="case_invited",
            subject=INVITED_SUBJECT,
            body=INVITED_BODY % {"date": f"{conference.meets_on:%d-%m-%Y}"},
            dedupe_key=f"cases.invite:{participant.pk}",
            recipients=[invitee],
            link=conference_link(conference),
            now=now,
        )
    return participant


def director_name(
    *, conference: CaseConference, participant: Participant, by: User, actor: Actor, now: datetime
) -> Participant:
    """One participant directs (regisseur); naming another moves the role."""
    if not conference_may_manage(by, conference) or participant.conference_id != conference.pk:
        raise NotAllowed
    with transaction.atomic():
        Participant.objects.filter(conference=conference, is_director=True).update(is_director=False)
        participant.is_director = True
        participant.save(update_fields=["is_director"])
        _log(actor, AccessAction.UPDATE, conference, "service:director_name", now)
    return participant


def decision_record(*, conference: CaseConference, text: str, by: User, actor: Actor, now: datetime) -> Decision:
    if not conference_may_manage(by, conference):
        raise NotAllowed
    if conference.status != MeetingStatus.OPEN:
        raise Conflict("Dit overleg is afgesloten.")
    value = checked_text("text", text, max_length=MAX_TEXT)
    with transaction.atomic():
        decision = Decision.objects.create(conference=conference, text=value, decided_at=now, recorded_by=by)
        _log(actor, AccessAction.UPDATE, conference, "service:decision_record", now)
    return decision


def minutes_save(*, conference: CaseConference, text: str, by: User, actor: Actor, now: datetime) -> CaseConference:
    """Short minutes that pass the free-text check: what was agreed, not who said what about whom."""
    if not conference_may_manage(by, conference):
        raise NotAllowed
    value = checked_text("minutes", text, max_length=MAX_MINUTES, required=False)
    with transaction.atomic():
        conference.minutes = value
        conference.save(update_fields=["minutes"])
        _log(actor, AccessAction.UPDATE, conference, "service:minutes_save", now)
    return conference


def conference_close(*, conference: CaseConference, by: User, actor: Actor, now: datetime) -> CaseConference:
    """A case closes only when every task is done, or dropped with a reason."""
    if not conference_may_manage(by, conference):
        raise NotAllowed
    with transaction.atomic():
        locked = CaseConference.objects.select_for_update().get(pk=conference.pk)
        if locked.status == MeetingStatus.CLOSED:
            raise Conflict("Dit overleg is al afgesloten.")
        unsettled = list(locked.tasks.exclude(status__in=SETTLED).values_list("title", flat=True))
        if unsettled:
            raise TasksUnsettled(unsettled)
        locked.status = MeetingStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        _log(actor, AccessAction.UPDATE, locked, "service:conference_close", now)
    return locked
