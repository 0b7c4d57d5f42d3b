"""Referrals: send, answer (accept / decline with a reason), record whether the resident came (connected /
no-show), note the warm introduction, end. Each step is one transaction, checks the allowed-transitions
table, appends to the history and to the access log (naming the resident), and takes or gives back a place.

`answer_due_at` is set once, when the referral is sent, and never moved; chasing it up is the follow-up
mechanism's job (waakvlam/followup), not a sweep of our own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.followup.calendar import add_working_days
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.intake.models import Signal
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record
from waakvlam.socialmap import models as m
from waakvlam.socialmap.conf import referral_answer_days
from waakvlam.socialmap.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.socialmap.referral_models import (
    ALLOWED_TRANSITIONS,
    HOLDS_PLACE,
    MAX_REASON,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Shared,
)


@dataclass(frozen=True)
class ReferralInput:
    shared: str
    shared_name: str
    shared_phone: str = ""
    shared_note: str = ""
    consent_given: bool = False
    warm_introduction: bool = False


def _label(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _log(actor: Actor, referral: Referral, action: AccessAction, context: str, now: datetime) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type="socialmap.referral",
        object_id=referral.pk,
        subject=resident_subject(referral.resident_id),
        context=context,
        now=now,
    )


def _event(referral: Referral, *, before: str, by: User | None, now: datetime, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        at=now,
        from_status=before,
        to_status=referral.status,
        actor=by,
        actor_label=_label(by),
        note=note[:MAX_REASON],
    )


def _check(data: ReferralInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.shared not in Shared.values:
        errors["shared"] = _("Kies wat er gedeeld mag worden.")
    if not data.consent_given:
        errors["consent"] = _("Zonder toestemming van de bewoner gaat er niets naar de ontvanger.")
    if not data.shared_name.strip() or len(data.shared_name) > 200:
        errors["shared_name"] = _("Vul de naam in zoals de bewoner die laat delen (ten hoogste 200 tekens).")
    if data.shared == Shared.FIRST_NAME and len(data.shared_name.split()) > 1:
        errors["shared_name"] = _("Alleen de voornaam: de bewoner deelt niet meer dan dat.")
    if len(data.shared_phone) > 40 or len(data.shared_note) > MAX_REASON:
        errors["shared_note"] = _("Telefoon ten hoogste 40, toelichting ten hoogste 300 tekens.")
    return errors


def referral_owner(service: m.Service, sender: User) -> tuple[User | None, int | None]:
    """Who answers: the activity's keeper, else the tenant organisation that offers it, else the sender's
    own organisation (which then records the answer after calling). Never nobody."""
    if service.keeper_id and service.keeper and service.keeper.is_active:
        return service.keeper, None
    if service.organization.tenant_id:
        return None, service.organization.tenant_id
    return None, sender.organisation_id


def referral_send(
    *,
    sender: User,
    resident: Resident,
    service: m.Service,
    data: ReferralInput,
    now: datetime,
    actor: Actor,
    signal: Signal | None = None,
    contact_plan: ContactPlan | None = None,
    need: m.ResidentNeed | None = None,
) -> Referral:
    """A steward connects a resident they keep contact with to a published service, with consent; `need`
    is the resident's recorded need it answers, if any."""
    if sender.role not in KEEPER_ROLES or not sender.organisation_id:
        raise NotAllowed(_("Alleen een waakvlammer of coördinator verwijst."))
    if service.moderation != m.Moderation.PUBLISHED or service.status != m.ServiceStatus.ACTIVE:
        raise InvalidInput(_("Dit aanbod is niet (meer) beschikbaar."), "service")
    if need is not None and (need.resident_id != resident.pk or need.ended_at is not None):
        raise InvalidInput(_("Deze behoefte hoort niet (meer) bij deze bewoner."), "need")
    errors = _check(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise InvalidInput(message, field)
    keeper, organisation_id = referral_owner(service, sender)
    shares_phone = data.shared != Shared.FIRST_NAME
    with transaction.atomic(), access_log_deferred():
        referral = Referral.objects.create(
            municipality_id=service.municipality_id,
            service=service,
            resident=resident,
            neighbourhood_id=resident.household.neighbourhood_id if resident.household else None,
            signal=signal,
            contact_plan=contact_plan,
            need=need,
            sender=sender,
            sender_organisation_id=sender.organisation_id,
            sender_team=sender.teams.order_by("pk").first(),
            owner_keeper=keeper,
            owner_organisation_id=organisation_id,
            collective=service.collective,
            shared=data.shared,
            shared_name=data.shared_name.strip(),
            shared_phone=(data.shared_phone.strip() or None) if shares_phone else None,
            shared_note=(data.shared_note.strip() or None) if data.shared == Shared.NAME_PHONE_NOTE else None,
            consent_recorded_at=now,
            consent_recorded_by=sender,
            warm_introduction=data.warm_introduction,
            answer_due_at=add_working_days(now, referral_answer_days()),
            created_at=now,
            updated_at=now,
        )
        _event(referral, before="", by=sender, now=now)
        _log(actor, referral, AccessAction.CREATE, "referral_send", now)
    return referral


def may_answer(user: User, referral: Referral) -> bool:
    """The owner answers: the keeper, or a user of the owning organisation."""
    if referral.owner_keeper_id:
        return referral.owner_keeper_id == user.pk
    return bool(user.organisation_id) and referral.owner_organisation_id == user.organisation_id


def may_answer_by_key(organisation_id: int, referral: Referral) -> bool:
    return referral.owner_keeper_id is None and referral.owner_organisation_id == organisation_id


def referral_transition(
    *,
    referral: Referral,
    to: str,
    by: User | None,
    allowed: bool,
    now: datetime,
    actor: Actor,
    reason: str = "",
) -> Referral:
    """Move a referral along the allowed-transitions table; a place is taken on acceptance and given back
    when it is declined, not used or ended. `allowed` is the caller's answer to "may this actor answer"."""
    if not allowed:
        raise NotAllowed()
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("Ten hoogste 300 tekens."), "reason")
    if to == ReferralStatus.DECLINED and not reason.strip():
        raise InvalidInput(_("Geef een reden bij een afwijzing."), "reason")
    with transaction.atomic(), access_log_deferred():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if to not in ALLOWED_TRANSITIONS.get(locked.status, frozenset()):
            raise Conflict(
                _("Een verwijzing met status %(from)s kan niet naar %(to)s.")
                % {"from": locked.get_status_display(), "to": ReferralStatus(to).label}
            )
        before = locked.status
        locked.status = to
        if to == ReferralStatus.DECLINED:
            locked.decline_reason = reason.strip()
        if before == ReferralStatus.SENT:
            locked.answered_at = now
            locked.next_step_at = None
        _places(locked, to)
        locked.updated_at = now
        locked.save()
        _event(locked, before=before, by=by, now=now, note=reason)
        _log(actor, locked, AccessAction.UPDATE, f"referral_{to}", now)
    return locked


def _places(referral: Referral, to: str) -> None:
    """Take a place when the referral comes to hold one, give it back when it stops holding one. A
    service without a capacity has places enough; a full one refuses (409) rather than overbook."""
    holds = to in HOLDS_PLACE
    limited = m.Service.objects.filter(pk=referral.service_id, capacity__isnull=False)
    if holds and not referral.place_held:
        if limited.exists() and not limited.filter(places_taken__lt=F("capacity")).update(
            places_taken=F("places_taken") + 1
        ):
            raise Conflict(_("Er is geen plaats meer vrij."))
        referral.place_held = True
    elif not holds and referral.place_held:
        limited.filter(places_taken__gt=0).update(places_taken=F("places_taken") - 1)
        referral.place_held = False


def referral_note_warm_introduction(*, referral: Referral, by: User, now: datetime, actor: Actor) -> Referral:
    """ "Went along the first time": the sender notes it; it changes no status."""
    if referral.sender_organisation_id != by.organisation_id or by.role not in KEEPER_ROLES:
        raise NotAllowed()
    with transaction.atomic(), access_log_deferred():
        Referral.objects.filter(pk=referral.pk).update(warm_introduction=True, updated_at=now)
        referral.warm_introduction = True
        ReferralEvent.objects.create(
            referral=referral,
            at=now,
            from_status=referral.status,
            to_status=referral.status,
            actor=by,
            actor_label=_label(by),
            note=_("Eerste keer meegegaan"),
        )
        _log(actor, referral, AccessAction.UPDATE, "referral_warm_introduction", now)
    return referral
