"""Use cases of the warm handover: announce, accept, follow the checklist through, first contact, close.

Each is one transaction and writes one access-log entry per record it creates or changes. Notifications
carry no name: the receiving team learns a date and a neighbourhood, the housing association only the
date and the address — and the latter only while the resident's consent for handover data covers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_noop

from waakvlam.contact import conf
from waakvlam.contact.errors import ChecklistIncomplete, Conflict, InvalidInput, NotAllowed
from waakvlam.contact.models import Basis, ContactPlan, DataKind, PlanStatus, active_consents
from waakvlam.contact.selectors import residents_visible_to, today_of
from waakvlam.contact.services import PlanInput, plan_create
from waakvlam.core.addresses import AddressError
from waakvlam.core.i18n import dutch_path
from waakvlam.core.models import Address, ApiKey, Organisation, Team, User
from waakvlam.core.people import person_name
from waakvlam.core.roles import OrganisationKind, Role
from waakvlam.handover.models import (
    MAX_ITEM_TEXT,
    ChecklistTopic,
    Handover,
    HandoverEvent,
    HandoverItem,
    HandoverStatus,
    ItemState,
)
from waakvlam.handover.selectors import SENDING_KINDS, handovers_changeable_by, may_announce
from waakvlam.households.models import Resident
from waakvlam.households.services import (
    AddressInput,
    ResidentInvalid,
    address_place,
    household_get_or_create,
    resident_create,
    resident_move,
    resident_subject,
)
from waakvlam.notify.catalogue import register_kind
from waakvlam.notify.services import notification_enqueue
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

# Written in Dutch, shown in the reader's language (notify/catalogue.py).
ANNOUNCED_SUBJECT, ANNOUNCED_BODY = register_kind(
    "handover_announced",
    gettext_noop("Warme overdracht aangekondigd"),
    gettext_noop(
        "Team: %(team)s. Open de overdracht in Waakvlam om hem te accepteren en een waakvlammer toe te wijzen."
    ),
)
ACCEPTED_SUBJECT, ACCEPTED_BODY = register_kind(
    "handover_accepted",
    gettext_noop("Warme overdracht geaccepteerd door %(team)s"),
    gettext_noop("Waakvlammer: %(steward)s. Eerste contact uiterlijk %(due)s."),
)
HOUSING_SUBJECT, HOUSING_BODY = register_kind(
    "handover_housing",
    gettext_noop("Aankondiging nieuwe bewoner"),
    gettext_noop("Er is een nieuwe bewoner aangekondigd. Log in op Waakvlam om datum en adres te zien."),
)

MAX_DAYS_BACK = 30
PHONE = re.compile(r"\+?[0-9 ()\-]{6,30}")
MAX_DAYS_AHEAD = 365


@dataclass(frozen=True)
class ItemInput:
    state: str = ItemState.OPEN
    note: str = ""
    skip_reason: str = ""


@dataclass(frozen=True)
class HandoverInput:
    discharge_on: date
    address: AddressInput
    resident_id: UUID | None = None  # the resident's public id
    resident_name: str = ""
    resident_description: str = ""
    first_contact_within_days: int | None = None
    note: str = ""
    items: dict[str, ItemInput] = field(default_factory=dict)
    # How the receiving steward reaches the sending clinician; the e-mail defaults to the announcer's own.
    sender_phone: str = ""
    sender_email: str = ""


def _log(
    *, actor: Actor, action: AccessAction, handover: Handover, context: str, now: datetime, reason: str = ""
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type="handover.handover",
        object_id=handover.pk,
        subject=resident_subject(handover.resident_id),
        context=context,
        reason=reason,
        now=now,
    )


def _event(handover: Handover, kind: str, *, by: User | None, now: datetime, note: str = "", label: str = "") -> None:
    HandoverEvent.objects.create(
        handover=handover,
        at=now,
        kind=kind,
        actor=by,
        actor_label=label or (by.get_username() if by else ""),
        note=note[:300],
    )


def _path(name: str, pk: UUID) -> str:
    return dutch_path(name, pk=pk)


def receiving_team_for(address: Address) -> Team | None:
    """The steward team serving the address's neighbourhood: a team there with an active steward, social work
    before other organisations."""
    if not address.neighbourhood_id:
        return None
    return (
        Team.objects.filter(
            neighbourhoods__pk=address.neighbourhood_id, members__role=Role.STEWARD, members__is_active=True
        )
        .annotate(
            preference=Case(
                When(organisation__kind=OrganisationKind.SOCIAL_WORK, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("preference", "name", "pk")
        .distinct()
        .first()
    )


def _check_item(topic: str, item: ItemInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if item.state not in ItemState.values:
        errors[f"items.{topic}.state"] = "Kies: nog niet geregeld, geregeld, of niet nodig (met reden)."
    if len(item.note) > MAX_ITEM_TEXT:
        errors[f"items.{topic}.note"] = f"Hoogstens {MAX_ITEM_TEXT} tekens."
    if len(item.skip_reason) > MAX_ITEM_TEXT:
        errors[f"items.{topic}.skip_reason"] = f"Hoogstens {MAX_ITEM_TEXT} tekens."
    elif item.state == ItemState.SKIPPED and not item.skip_reason.strip():
        errors[f"items.{topic}.skip_reason"] = "Geef de reden waarom dit niet nodig is."
    return errors


def _check(data: HandoverInput, today: date) -> int:
    errors: dict[str, str] = {}
    if data.discharge_on < today - timedelta(days=MAX_DAYS_BACK):
        errors["discharge_on"] = f"De uitstroom ligt hoogstens {MAX_DAYS_BACK} dagen terug."
    elif data.discharge_on > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["discharge_on"] = "De uitstroom ligt hoogstens een jaar vooruit."
    days = data.first_contact_within_days if data.first_contact_within_days is not None else conf.first_contact_days()
    if not 1 <= days <= 60:
        errors["first_contact_within_days"] = "Het eerste contact is binnen 1 tot 60 dagen."
    if len(data.note) > 500:
        errors["note"] = "De toelichting is hoogstens 500 tekens."
    if data.sender_phone.strip() and not PHONE.fullmatch(data.sender_phone.strip()):
        errors["sender_phone"] = "Geef een telefoonnummer met alleen cijfers, spaties, +, - en haakjes."
    if data.sender_email.strip():
        try:
            validate_email(data.sender_email.strip())
        except ValidationError:
            errors["sender_email"] = "Geef een geldig e-mailadres."
    if data.resident_id is None and not (data.resident_name.strip() or data.resident_description.strip()):
        errors["resident_name"] = (
            "Geef de naam van de bewoner, of beschrijf waaraan de waakvlammer hem of haar herkent."
        )
    for topic, item in data.items.items():
        if topic not in ChecklistTopic.values:
            errors[f"items.{topic}"] = "Onbekend onderdeel van de checklist."
        else:
            errors.update(_check_item(topic, item))
    if errors:
        raise InvalidInput(errors)
    return days


@transaction.atomic
def handover_announce(
    *,
    data: HandoverInput,
    by: User | None,
    actor: Actor,
    now: datetime,
    api_key: ApiKey | None = None,
    context: str = "service:handover_announce",
) -> Handover:
    """A clinic or shelter announces a discharge: resident, date, future address and what is arranged."""
    organisation: Organisation | None
    if api_key is not None:
        organisation = api_key.organisation
        if organisation.kind not in SENDING_KINDS:
            raise NotAllowed
    else:
        if by is None or not may_announce(by):
            raise NotAllowed
        organisation = by.organisation
    assert organisation is not None
    today = today_of(now)
    days = _check(data, today)
    try:
        address = address_place(data.address, municipality=organisation.municipality)
    except AddressError as error:
        raise InvalidInput({f"address.{error.field}": error.message}) from None
    team = receiving_team_for(address)
    if team is None:
        raise InvalidInput(
            {
                "address.postcode": "Voor dit adres is geen waakvlamteam gevonden. Controleer de postcode of bel de gemeente."
            }
        )
    household = household_get_or_create(address=address, now=now)
    if data.resident_id is not None:
        if by is not None:
            resident = residents_visible_to(by, now).filter(public_id=data.resident_id).first()
        else:
            resident = Resident.objects.filter(
                public_id=data.resident_id, handovers__from_organisation=organisation
            ).first()
        if resident is None:
            raise InvalidInput({"resident_id": "Deze bewoner bestaat niet of je kunt hem of haar niet zien."})
        resident_move(resident=resident, household=household, actor=actor, now=now, context=context)
    else:
        try:
            resident = resident_create(
                municipality=organisation.municipality,
                name=data.resident_name,
                description=data.resident_description,
                household=household,
                created_by=by,
                actor=actor,
                now=now,
                context=context,
            )
        except ResidentInvalid as error:
            raise InvalidInput({f"resident_{error.field}": error.message}) from None
    handover = Handover.objects.create(
        municipality_id=address.municipality_id,
        resident=resident,
        from_organisation=organisation,
        created_by=by,
        created_by_label=by.get_username() if by else f"api:{api_key.prefix if api_key else ''}",
        sender_name=((by.get_full_name() or by.get_username()) if by else "")[:150],
        sender_phone=data.sender_phone.strip(),
        sender_email=data.sender_email.strip() or (by.email if by else ""),
        discharge_on=data.discharge_on,
        address=address,
        household=household,
        receiving_team=team,
        note=data.note.strip(),
        first_contact_within_days=days,
        first_contact_due=data.discharge_on + timedelta(days=days),
        overlap_until=data.discharge_on + timedelta(days=conf.overlap_days()),
        created_at=now,
        updated_at=now,
    )
    HandoverItem.objects.bulk_create(
        [
            HandoverItem(
                handover=handover,
                topic=topic,
                state=data.items.get(topic, ItemInput()).state,
                note=data.items.get(topic, ItemInput()).note.strip(),
                skip_reason=data.items.get(topic, ItemInput()).skip_reason.strip(),
                updated_at=now,
                updated_by=by,
            )
            for topic in ChecklistTopic.values
        ]
    )
    _event(handover, "announced", by=by, now=now, label=handover.created_by_label, note=f"Van {organisation.name}.")
    _log(actor=actor, action=AccessAction.CREATE, handover=handover, context=context, now=now)
    receivers = list(team.members.filter(is_active=True, role=Role.STEWARD)) + list(
        User.objects.filter(organisation_id=team.organisation_id, role=Role.COORDINATOR, is_active=True)
    )
    notification_enqueue(
        municipality_id=handover.municipality_id,
        kind="handover_announced",
        # No date or place stored or mailed: shown at read time to who may see it then (handover/notifications.py).
        subject=ANNOUNCED_SUBJECT,
        body=ANNOUNCED_BODY % {"team": team.name},
        dedupe_key=f"handover-announced:{handover.pk}",
        ref=f"handover:{handover.pk}",
        now=now,
        recipients=receivers,
        link=_path("handover:detail", handover.public_id),
    )
    return handover


def _receiving_side(user: User, handover: Handover) -> bool:
    if not user.is_authenticated or not user.organisation_id:
        return False
    if user.role == Role.COORDINATOR:
        return bool(handover.receiving_team.organisation_id == user.organisation_id)
    if user.role == Role.STEWARD:
        return handover.steward_id == user.pk or user.teams.filter(pk=handover.receiving_team_id).exists()
    return False


def may_accept(user: User, handover: Handover) -> bool:
    return handover.status == HandoverStatus.ANNOUNCED and _receiving_side(user, handover)


@transaction.atomic
def handover_accept(
    *,
    handover: Handover,
    steward: User,
    by: User,
    actor: Actor,
    now: datetime,
    backup: User | None = None,
    basis: str = Basis.CONSENT,
    rhythm_days: int = 14,
    context: str = "service:handover_accept",
) -> Handover:
    """The receiving team accepts and assigns a steward; the pilot light starts on the discharge date."""
    locked = Handover.objects.select_for_update().select_related("receiving_team").get(pk=handover.pk)
    if not _receiving_side(by, locked):
        raise NotAllowed
    if locked.status != HandoverStatus.ANNOUNCED:
        raise Conflict("Deze overdracht is al geaccepteerd.")
    if steward.organisation_id != locked.receiving_team.organisation_id:
        raise InvalidInput({"steward": "Kies een waakvlammer van het ontvangende team."})
    plan = ContactPlan.objects.filter(
        resident_id=locked.resident_id, organisation_id=steward.organisation_id, status=PlanStatus.ACTIVE
    ).first()
    if plan is None:
        plan = plan_create(
            resident=locked.resident,
            data=PlanInput(
                steward=steward,
                backup=backup,
                rhythm_days=rhythm_days,
                starts_on=locked.discharge_on,
                basis=basis,
                basis_note="Warme overdracht",
            ),
            by=by,
            actor=actor,
            now=now,
            context=context,
        )
    locked.status, locked.steward, locked.contact_plan = HandoverStatus.ACCEPTED, steward, plan
    locked.accepted_at, locked.accepted_by, locked.updated_at = now, by, now
    locked.save()
    name = person_name(steward)
    _event(locked, "accepted", by=by, now=now, note=f"Waakvlammer: {name}.")
    _log(actor=actor, action=AccessAction.UPDATE, handover=locked, context=context, now=now, reason="geaccepteerd")
    if locked.created_by_id:
        notification_enqueue(
            municipality_id=locked.municipality_id,
            kind="handover_accepted",
            subject=ACCEPTED_SUBJECT % {"team": locked.receiving_team.name},
            body=ACCEPTED_BODY % {"steward": name, "due": f"{locked.first_contact_due:%d-%m-%Y}"},
            dedupe_key=f"handover-accepted:{locked.pk}",
            now=now,
            recipients=User.objects.filter(pk=locked.created_by_id),
            link=_path("handover:detail", locked.public_id),
        )
    if handovers_inform_housing_for(resident_id=locked.resident_id, now=now):
        locked.refresh_from_db(fields=["housing_informed_at"])
    return locked


@transaction.atomic
def handover_item_set(
    *,
    handover: Handover,
    topic: str,
    item: ItemInput,
    by: User,
    actor: Actor,
    now: datetime,
    context: str = "service:handover_item_set",
) -> HandoverItem:
    if not handovers_changeable_by(by, now).filter(pk=handover.pk).exists():
        raise NotAllowed
    if topic not in ChecklistTopic.values:
        raise InvalidInput({"topic": "Onbekend onderdeel van de checklist."})
    errors = _check_item(topic, item)
    if errors:
        raise InvalidInput({key.rsplit(".", 1)[-1]: message for key, message in errors.items()})
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status == HandoverStatus.CLOSED:
        raise Conflict("Deze overdracht is al afgesloten.")
    row = HandoverItem.objects.get(handover=locked, topic=topic)
    row.state, row.note = item.state, item.note.strip()
    row.skip_reason = item.skip_reason.strip() if item.state == ItemState.SKIPPED else ""
    row.updated_at, row.updated_by = now, by
    row.save()
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    _event(locked, "checklist", by=by, now=now, note=f"{row.get_topic_display()}: {row.get_state_display()}")
    _log(
        actor=actor, action=AccessAction.UPDATE, handover=locked, context=context, now=now, reason=f"checklist {topic}"
    )
    return row


def handover_first_contact_from_plan(*, plan: ContactPlan, happened_on: date, by: User, now: datetime) -> int:
    """Called by contact_record when contact was made: the first contact of an accepted handover is done."""
    count = 0
    for handover in Handover.objects.select_for_update().filter(
        contact_plan=plan, status=HandoverStatus.ACCEPTED, first_contact_on__isnull=True
    ):
        handover.first_contact_on, handover.status, handover.updated_at = happened_on, HandoverStatus.FIRST_CONTACT, now
        handover.save(update_fields=["first_contact_on", "status", "updated_at"])
        late = " (later dan afgesproken)" if happened_on > handover.first_contact_due else ""
        _event(handover, "first_contact", by=by, now=now, note=f"Eerste contact op {happened_on:%d-%m-%Y}{late}.")
        count += 1
    return count


def blocking_items(handover: Handover) -> list[HandoverItem]:
    return [item for item in handover.items.all() if not item.settled]


@transaction.atomic
def handover_close(
    *, handover: Handover, by: User, actor: Actor, now: datetime, context: str = "service:handover_close"
) -> Handover:
    """Close the handover: only when every checklist item is done, or skipped with a reason."""
    if not handovers_changeable_by(by, now).filter(pk=handover.pk).exists():
        raise NotAllowed
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status == HandoverStatus.CLOSED:
        raise Conflict("Deze overdracht is al afgesloten.")
    if locked.status == HandoverStatus.ANNOUNCED:
        raise Conflict("Een overdracht die nog niet is geaccepteerd, kan niet worden afgesloten.")
    blocking = blocking_items(locked)
    if blocking:
        raise ChecklistIncomplete([str(item.get_topic_display()) for item in blocking])
    locked.status, locked.closed_at, locked.updated_at = HandoverStatus.CLOSED, now, now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    _event(locked, "closed", by=by, now=now)
    _log(actor=actor, action=AccessAction.UPDATE, handover=locked, context=context, now=now, reason="afgesloten")
    return locked


def handovers_inform_housing_for(*, resident_id: int, now: datetime) -> int:
    """Tell the housing association the date and address of an accepted discharge, and nothing more — only
    while the resident's consent for handover data covers that housing association. Once per handover."""
    today = today_of(now)
    organisations = list(
        Organisation.objects.filter(
            pk__in=active_consents(today)
            .filter(resident_id=resident_id, data_kind=DataKind.HANDOVER)
            .values("organisation_id"),
            kind=OrganisationKind.HOUSING_ASSOCIATION,
        )
    )
    if not organisations:
        return 0
    informed = 0
    for handover in (
        Handover.objects.select_for_update()
        .filter(
            resident_id=resident_id,
            status__in=(HandoverStatus.ACCEPTED, HandoverStatus.FIRST_CONTACT),
            housing_informed_at__isnull=True,
        )
        .select_related("address")
    ):
        for organisation in organisations:
            notification_enqueue(
                municipality_id=handover.municipality_id,
                kind="handover_housing",
                # Date and address are shown at read time, while the consent holds (handover/notifications.py).
                subject=HOUSING_SUBJECT,
                body=HOUSING_BODY,
                dedupe_key=f"handover-housing:{handover.pk}:{organisation.pk}",
                ref=f"handover:{handover.pk}",
                link=reverse("notify:list"),
                now=now,
                recipients=organisation.users.filter(is_active=True),
            )
        handover.housing_informed_at = now
        handover.save(update_fields=["housing_informed_at"])
        _event(
            handover, "housing_informed", by=None, now=now, label="systeem", note="Woningcorporatie: datum en adres."
        )
        _log(
            actor=Actor.system("handover_housing"),
            action=AccessAction.UPDATE,
            handover=handover,
            context="service:handovers_inform_housing_for",
            now=now,
            reason="woningcorporatie geïnformeerd: datum en adres",
        )
        informed += 1
    return informed
