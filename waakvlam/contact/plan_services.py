"""Use cases for the resident's early-warning plan and the consent registry. One transaction each, one
access-log entry per record of personal data written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from waakvlam.contact.consent_rules import consent_terms_errors, may_record_consent_for
from waakvlam.contact.errors import Conflict, InvalidInput, NotAllowed, NotResponsible
from waakvlam.contact.hooks import HOOKS
from waakvlam.contact.models import (
    MAX_PLAN_TEXT,
    PHASE_PARTS,
    CallMoment,
    Consent,
    DataKind,
    EarlyWarningContact,
    EarlyWarningPlan,
    Phase,
)
from waakvlam.contact.selectors import residents_writable_by, today_of
from waakvlam.core.models import Organisation, User
from waakvlam.core.people import person_name
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

MAX_PEOPLE = 10
PLAN_TEXT_FIELDS = ("strengths", *(f"{phase}_{part}" for phase in Phase.values for part in PHASE_PARTS))


@dataclass(frozen=True)
class PersonInput:
    name: str
    phone: str
    relation: str = ""
    call_when: str = CallMoment.ORANGE
    consent_given: bool = False


def _check_person(index: int, person: PersonInput, errors: dict[str, str]) -> None:
    prefix = f"people.{index}"
    if not person.name.strip():
        errors[f"{prefix}.name"] = "Geef de naam van wie gebeld mag worden."
    elif len(person.name.strip()) > 200:
        errors[f"{prefix}.name"] = "Een naam is hoogstens 200 tekens."
    phone = person.phone.strip()
    if not phone:
        errors[f"{prefix}.phone"] = "Geef een telefoonnummer."
    elif len(phone) > 40 or not all(ch.isdigit() or ch in "+-() " for ch in phone):
        errors[f"{prefix}.phone"] = "Een telefoonnummer bestaat uit cijfers, eventueel met +, - of spaties."
    if len(person.relation.strip()) > 100:
        errors[f"{prefix}.relation"] = "De relatie is hoogstens 100 tekens, bijvoorbeeld 'zus' of 'buurvrouw'."
    if person.call_when not in CallMoment.values:
        errors[f"{prefix}.call_when"] = "Kies wanneer deze persoon gebeld mag worden."
    if not person.consent_given:
        errors[f"{prefix}.consent_given"] = "Zet alleen iemand op de lijst die ervan weet en het goed vindt."


def _check_plan_texts(texts: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in texts:
        if name not in PLAN_TEXT_FIELDS:
            errors[name] = "Onbekend onderdeel van het signaleringsplan."
        elif len(texts[name]) > MAX_PLAN_TEXT:
            errors[name] = f"Houd het kort: hoogstens {MAX_PLAN_TEXT} tekens."
    return errors


@transaction.atomic
def early_warning_plan_save(
    *,
    resident: Resident,
    texts: dict[str, str],
    people: list[PersonInput] | None,
    agreed_on: date | None,
    by: User,
    actor: Actor,
    now: datetime,
    create_only: bool = False,
    context: str = "service:early_warning_plan_save",
) -> EarlyWarningPlan:
    """Write the resident's plan (create or update). `people`, when given, replaces the list of whom to call."""
    if not residents_writable_by(by, now).filter(pk=resident.pk).exists():
        raise NotAllowed
    clean = {k: (v or "").strip() for k, v in texts.items()}
    errors = _check_plan_texts(clean)
    for index, person in enumerate(people or []):
        _check_person(index, person, errors)
    if people is not None and len(people) > MAX_PEOPLE:
        errors["people"] = f"Hoogstens {MAX_PEOPLE} mensen om te bellen."
    if agreed_on is not None and agreed_on > today_of(now):
        errors["agreed_on"] = "Deze datum ligt niet in de toekomst."
    if errors:
        raise InvalidInput(errors)
    plan = EarlyWarningPlan.objects.select_for_update().filter(resident=resident).first()
    created = plan is None
    if plan is None:
        plan = EarlyWarningPlan(
            municipality_id=resident.municipality_id, resident=resident, created_at=now, created_by=by
        )
    elif create_only:
        raise Conflict("Deze bewoner heeft al een signaleringsplan; wijzig dat.")
    for name, value in clean.items():
        setattr(plan, name, value)
    plan.agreed_on = agreed_on if agreed_on is not None else plan.agreed_on
    plan.updated_at, plan.updated_by = now, by
    plan.save()
    if people is not None:
        plan.people.all().delete()
        EarlyWarningContact.objects.bulk_create(
            [
                EarlyWarningContact(
                    plan=plan,
                    name=p.name.strip(),
                    relation=p.relation.strip() or None,
                    phone=p.phone.strip(),
                    call_when=p.call_when,
                    consent_given=True,
                    position=i,
                )
                for i, p in enumerate(people)
            ]
        )
    access_log_record(
        actor=actor,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        object_type="contact.earlywarningplan",
        object_id=plan.pk,
        subject=resident_subject(resident.pk),
        context=context,
        now=now,
    )
    return plan


# --- consent ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentInput:
    organisation: Organisation
    data_kind: str
    purpose: str
    valid_from: date
    valid_until: date | None = None


def _log_consent(*, actor: Actor, action: AccessAction, consent: Consent, context: str, now: datetime) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type="contact.consent",
        object_id=consent.pk,
        subject=resident_subject(consent.resident_id),
        context=context,
        now=now,
    )


@transaction.atomic
def consent_create(
    *,
    resident: Resident,
    data: ConsentInput,
    by: User,
    actor: Actor,
    now: datetime,
    context: str = "service:consent_create",
) -> Consent:
    """Record that the resident consents to share one kind of data with one organisation, for a purpose,
    until an end or review date. Who may record which consent follows from contact/consent_rules.py."""
    if not residents_writable_by(by, now).filter(pk=resident.pk).exists():
        raise NotAllowed
    if not may_record_consent_for(by, resident, now):
        raise NotResponsible
    purpose = (data.purpose or "").strip()
    errors = consent_terms_errors(
        by=by,
        resident=resident,
        organisation=data.organisation,
        data_kind=data.data_kind,
        purpose=purpose,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        now=now,
    )
    if errors or data.valid_until is None:
        raise InvalidInput(errors)
    consent = Consent.objects.create(
        municipality_id=resident.municipality_id,
        resident=resident,
        organisation=data.organisation,
        data_kind=data.data_kind,
        purpose=purpose,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        recorded_by=by,
        recorded_by_label=person_name(by),
        recorded_at=now,
    )
    _log_consent(actor=actor, action=AccessAction.CREATE, consent=consent, context=context, now=now)
    if data.data_kind == DataKind.HANDOVER and consent.is_active(today_of(now)):
        for given in HOOKS.handover_consent_given:  # handover: tell the housing association, if it may know
            given(resident.pk, now)
    return consent


@transaction.atomic
def consent_revoke(
    *, consent: Consent, by: User, reason: str, actor: Actor, now: datetime, context: str = "service:consent_revoke"
) -> Consent:
    """Revoke at once: from the next request on, the organisation no longer sees what this consent covered."""
    if not residents_writable_by(by, now).filter(pk=consent.resident_id).exists():
        raise NotAllowed
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.revoked_at is not None:
        raise Conflict("Deze toestemming is al ingetrokken.")
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise InvalidInput({"reason": "De reden is hoogstens 200 tekens."})
    locked.revoked_at, locked.revoked_by, locked.revoke_reason = now, by, reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _log_consent(actor=actor, action=AccessAction.UPDATE, consent=locked, context=context, now=now)
    return locked
