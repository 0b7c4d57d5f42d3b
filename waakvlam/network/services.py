"""Linking informal supporters to residents (only with the resident's consent, recorded on the link), revoking
a link, and the supporter's one-step report: "bezocht, alles goed" or "ik maak me zorgen". A worry becomes a
signal through intake's signal_create, routed like any signal, plus a note to the steward of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.contact.selectors import residents_writable_by
from waakvlam.core.errors import Invalid, NotFound
from waakvlam.core.i18n import dutch, dutch_path
from waakvlam.core.models import Team, User
from waakvlam.core.roles import Role
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.intake.freetext import free_text_check, privacy_warnings
from waakvlam.intake.models import Category, SourceKind, Urgency
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.network.models import MAX_NOTE, Outcome, SupporterKind, SupporterLink, SupporterReport
from waakvlam.network.selectors import links_managed_by, links_of_supporter
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
WORRY_SUBJECT, WORRY_BODY = register_kind(
    "network_worry",
    gettext_noop("Zorg uit het informele netwerk"),
    gettext_noop("%(who)s maakt zich zorgen over een bewoner met wie je contact houdt. Er is een signaal van gemaakt."),
)

# A worry is a signal with the informal network as its own source (the attention rules count it as one).
INFORMAL_SOURCE = SourceKind.NETWORK
WORRY_TEXT = "Iemand uit het informele netwerk van deze bewoner maakt zich zorgen."


class NetworkError(Invalid):
    """Bad input per field: 422 in the API, form errors in the UI."""


class NotAllowed(NotFound):
    """Answered as 404."""


def _checked(field: str, text: str, max_length: int = MAX_NOTE) -> str:
    value = (text or "").strip()
    if len(value) > max_length:
        raise NetworkError({field: f"Houd het kort: hoogstens {max_length} tekens."})
    kinds = free_text_check(value).kinds if value else []
    if kinds:
        raise NetworkError({field: " ".join(privacy_warnings(kinds)) + " Laat die gegevens weg."})
    return value


@dataclass(frozen=True)
class LinkInput:
    supporter: User
    kind: str
    consent_note: str
    what_to_know: str = ""
    team: Team | None = None
    valid_until: date | None = None


def supporter_link_create(
    *, resident: Resident, data: LinkInput, by: User, actor: Actor, now: datetime
) -> SupporterLink:
    """Only a steward or coordinator who keeps contact with the resident links someone, and only with the
    resident's consent: how it was given is recorded, with who recorded it and until when."""
    if not residents_writable_by(by, now).filter(pk=resident.pk).exists():
        raise NotAllowed
    errors: dict[str, str] = {}
    supporter = data.supporter
    if supporter.role != Role.INFORMAL_SUPPORTER or not supporter.is_active:
        errors["supporter"] = "Alleen iemand met de rol informele steun kan worden gekoppeld."
    elif supporter.organisation_id and supporter.municipality_id != resident.municipality_id:
        errors["supporter"] = "Deze persoon hoort bij een andere gemeente."
    if data.kind not in SupporterKind.values:
        errors["kind"] = "Kies de soort steun."
    if not data.consent_note.strip():
        errors["consent_note"] = "Leg vast hoe de bewoner toestemming gaf: zonder toestemming geen koppeling."
    if data.valid_until is not None and data.valid_until < timezone.localdate(now):
        errors["valid_until"] = "Deze datum ligt in het verleden."
    if errors:
        raise NetworkError(errors)
    what = _checked("what_to_know", data.what_to_know)
    consent = _checked("consent_note", data.consent_note, 200)
    with transaction.atomic():
        if links_of_supporter(supporter, now).filter(resident=resident).exists():
            raise NetworkError({"supporter": "Deze persoon is al gekoppeld aan deze bewoner."})
        link = SupporterLink.objects.create(
            municipality_id=resident.municipality_id,
            supporter=supporter,
            resident=resident,
            kind=data.kind,
            team=data.team,
            what_to_know=what,
            consent_note=consent,
            consent_recorded_by=by,
            consent_recorded_at=now,
            valid_until=data.valid_until,
        )
        access_log_record(
            actor=actor,
            action=AccessAction.CREATE,
            object_type="network.supporterlink",
            object_id=link.pk,
            subject=resident_subject(resident.pk),
            context="service:supporter_link_create",
            now=now,
        )
    return link


def supporter_link_revoke(*, link: SupporterLink, reason: str, by: User, actor: Actor, now: datetime) -> SupporterLink:
    if not links_managed_by(by, now).filter(pk=link.pk).exists():
        raise NotAllowed
    if not reason.strip():
        raise NetworkError({"reason": "Geef een reden."})
    with transaction.atomic():
        link.revoked_at = now
        link.revoke_reason = _checked("reason", reason, 200)
        link.save(update_fields=["revoked_at", "revoke_reason"])
        access_log_record(
            actor=actor,
            action=AccessAction.UPDATE,
            object_type="network.supporterlink",
            object_id=link.pk,
            subject=resident_subject(link.resident_id),
            context="service:supporter_link_revoke",
            now=now,
        )
    return link


def _stewards(resident: Resident) -> list[User]:
    plans = ContactPlan.objects.filter(resident=resident, status=PlanStatus.ACTIVE).select_related("steward", "backup")
    people = {p.steward for p in plans} | {p.backup for p in plans if p.backup is not None}
    return sorted(people, key=lambda u: u.pk)


def visit_report(
    *, link: SupporterLink, outcome: str, note: str = "", by: User, actor: Actor, now: datetime
) -> SupporterReport:
    """One step: all fine, or a worry. A worry is taken in as a signal (routed by the usual rules) and the
    resident's steward hears of it at once."""
    if not links_of_supporter(by, now).filter(pk=link.pk).exists():
        raise NotAllowed
    if outcome not in Outcome.values:
        raise NetworkError({"outcome": "Kies: bezocht, alles goed; of: ik maak me zorgen."})
    text = _checked("note", note)
    resident = link.resident
    with transaction.atomic():
        signal = None
        if outcome == Outcome.WORRIED:
            household = resident.household
            address = household.address if household else None
            data = SignalInput(
                category=Category.WORRYING_BEHAVIOUR,
                urgency=Urgency.NORMAL,
                description=f"{WORRY_TEXT} {text}".strip(),
                address=AddressInput(
                    address.postcode, address.house_number, address.house_letter, address.house_number_addition
                )
                if address
                else None,
                location_text="" if address else "Adres onbekend (informeel netwerk)",
                source_kind=INFORMAL_SOURCE,
            )
            signal = signal_create(
                data=data, reporter=Reporter.for_user(by, actor=actor), now=now, context="ui:supporter_worry"
            )
        report = SupporterReport.objects.create(link=link, outcome=outcome, note=text, at=now, signal=signal)
        access_log_record(
            actor=actor,
            action=AccessAction.CREATE,
            object_type="network.supporterreport",
            object_id=report.pk,
            subject=resident_subject(resident.pk),
            context="service:visit_report",
            now=now,
        )
        if signal is not None:
            stewards = _stewards(resident)
            plan = ContactPlan.objects.filter(resident=resident, status=PlanStatus.ACTIVE).order_by("pk").first()
            link_url = dutch_path("contact:plan_detail", pk=plan.public_id) if plan else ""
            link_kind_nl = dutch(link.get_kind_display)
            notification_enqueue(
                municipality_id=resident.municipality_id,
                kind="network_worry",
                subject=WORRY_SUBJECT,
                body=WORRY_BODY % {"who": link_kind_nl},
                dedupe_key=f"network.worry:{report.pk}",
                recipients=stewards,
                link=link_url,
                urgent=True,
                now=now,
            )
    return report
