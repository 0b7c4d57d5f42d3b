"""Use cases of the pilot light: start, change and close a contact plan; record a contact moment; hand a
leaving steward's plans to their back-ups. Each is one transaction and writes one access-log entry per
record of personal data it creates or changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q

from waakvlam.contact.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.contact.followups import escalation_reason
from waakvlam.contact.hooks import HOOKS
from waakvlam.contact.models import (
    MAX_NOTE,
    MAX_RHYTHM_DAYS,
    Basis,
    Channel,
    ContactMoment,
    ContactPlan,
    ContactPlanEvent,
    PlanStatus,
    Wellbeing,
    next_contact_due,
)
from waakvlam.contact.selectors import org_of, today_of
from waakvlam.core.models import Team, User
from waakvlam.core.people import person_name
from waakvlam.core.roles import KEEPER_ROLES, Role
from waakvlam.households.models import Resident
from waakvlam.households.services import resident_subject
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record

MAX_BACKDATE_DAYS = 365


@dataclass(frozen=True)
class PlanInput:
    steward: User
    rhythm_days: int
    starts_on: date
    basis: str
    backup: User | None = None
    ends_on: date | None = None
    basis_note: str = ""


@dataclass(frozen=True)
class MomentInput:
    happened_on: date
    channel: str
    made: bool
    wellbeing: str = ""
    note: str = ""


def log_plan(
    *, actor: Actor, action: AccessAction, plan: ContactPlan, context: str, now: datetime, reason: str = ""
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type="contact.contactplan",
        object_id=plan.pk,
        subject=resident_subject(plan.resident_id),
        context=context,
        reason=reason,
        now=now,
    )


def _event(plan: ContactPlan, kind: str, *, by: User | None, now: datetime, note: str = "", label: str = "") -> None:
    ContactPlanEvent.objects.create(
        plan=plan, at=now, kind=kind, actor=by, actor_label=label or (by.get_username() if by else ""), note=note[:300]
    )


def _may_keep_plans(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.role in KEEPER_ROLES)


def _check_plan(data: PlanInput, *, organisation_id: int, today: date) -> None:
    errors: dict[str, str] = {}
    steward = data.steward
    if steward.organisation_id != organisation_id or steward.role not in KEEPER_ROLES or not steward.is_active:
        errors["steward"] = "Kies een waakvlammer van je eigen organisatie."
    if data.backup is not None:
        backup = data.backup
        if backup.pk == steward.pk:
            errors["backup"] = "De back-up is iemand anders dan de waakvlammer."
        elif backup.organisation_id != organisation_id or backup.role not in KEEPER_ROLES or not backup.is_active:
            errors["backup"] = "Kies een back-up van je eigen organisatie."
    if not 1 <= data.rhythm_days <= MAX_RHYTHM_DAYS:
        errors["rhythm_days"] = f"Het ritme is 1 tot {MAX_RHYTHM_DAYS} dagen, bijvoorbeeld 14 of 42."
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = "Het einde ligt op of na de start."
    if abs((data.starts_on - today).days) > 5 * 365:
        errors["starts_on"] = "Kies een startdatum binnen vijf jaar van vandaag."
    if data.basis not in Basis.values:
        errors["basis"] = "Kies de grondslag: toestemming van de bewoner of een wettelijke taak."
    if len(data.basis_note) > 200:
        errors["basis_note"] = "De toelichting is hoogstens 200 tekens."
    if errors:
        raise InvalidInput(errors)


def team_for(steward: User, resident: Resident) -> Team | None:
    """The steward's team that serves the resident's neighbourhood; else their first team."""
    teams = steward.teams.order_by("name")
    hood_id = resident.household.neighbourhood_id if resident.household_id and resident.household else None
    if hood_id:
        serving = teams.filter(neighbourhoods__pk=hood_id).first()
        if serving is not None:
            return serving
    return teams.first()


@transaction.atomic
def plan_create(
    *,
    resident: Resident,
    data: PlanInput,
    by: User,
    actor: Actor,
    now: datetime,
    signal_id: int | None = None,
    context: str = "service:plan_create",
) -> ContactPlan:
    """Start the pilot light for a resident. A signal the creator may see can be recorded as the start."""
    if not _may_keep_plans(by):
        raise NotAllowed
    organisation_id = org_of(by)
    _check_plan(data, organisation_id=organisation_id, today=today_of(now))
    if ContactPlan.objects.filter(
        resident=resident, organisation_id=organisation_id, status=PlanStatus.ACTIVE
    ).exists():
        raise Conflict("Deze bewoner heeft al een actief waakvlamcontact bij jullie organisatie.")
    signal = None
    if signal_id is not None:
        signal = signals_visible_to(by).filter(pk=signal_id).first()
        if signal is None:
            raise InvalidInput({"signal": "Dit signaal bestaat niet of je kunt het niet zien."})
    plan = ContactPlan.objects.create(
        municipality_id=resident.municipality_id,
        resident=resident,
        organisation_id=organisation_id,
        team=team_for(data.steward, resident),
        steward=data.steward,
        backup=data.backup,
        rhythm_days=data.rhythm_days,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        basis=data.basis,
        basis_note=data.basis_note.strip(),
        basis_recorded_by=by,
        basis_recorded_at=now,
        signal=signal,
        next_contact_due=next_contact_due(starts_on=data.starts_on, last_contact_on=None, rhythm_days=data.rhythm_days),
        created_at=now,
        updated_at=now,
    )
    note = f"Gestart naar aanleiding van signaal {signal.tracking_code}." if signal else ""
    _event(plan, "started", by=by, now=now, note=note)
    log_plan(actor=actor, action=AccessAction.CREATE, plan=plan, context=context, now=now)
    return plan


def _lock(plan: ContactPlan) -> ContactPlan:
    return ContactPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_update(
    *, plan: ContactPlan, data: PlanInput, by: User, actor: Actor, now: datetime, context: str = "service:plan_update"
) -> ContactPlan:
    locked = _lock(plan)
    if locked.status != PlanStatus.ACTIVE:
        raise Conflict("Dit waakvlamcontact is afgesloten.")
    _check_plan(data, organisation_id=locked.organisation_id, today=today_of(now))
    changes = []
    if locked.steward_id != data.steward.pk:
        changes.append(f"waakvlammer: {person_name(data.steward)}")
    if (locked.backup_id or None) != (data.backup.pk if data.backup else None):
        changes.append("back-up gewijzigd")
    if locked.rhythm_days != data.rhythm_days:
        changes.append(f"ritme: {data.rhythm_days} dagen")
    if locked.basis != data.basis or locked.basis_note != data.basis_note.strip():
        locked.basis_recorded_by, locked.basis_recorded_at = by, now
        changes.append("grondslag vastgelegd")
    locked.steward, locked.backup = data.steward, data.backup
    locked.rhythm_days, locked.starts_on, locked.ends_on = data.rhythm_days, data.starts_on, data.ends_on
    locked.basis, locked.basis_note = data.basis, data.basis_note.strip()
    if locked.team_id is None or not data.steward.teams.filter(pk=locked.team_id).exists():
        locked.team = team_for(data.steward, locked.resident)
    _recompute(locked, now=now)
    locked.updated_at = now
    locked.save()
    _event(locked, "changed", by=by, now=now, note="; ".join(changes) or "gegevens bijgewerkt")
    log_plan(actor=actor, action=AccessAction.UPDATE, plan=locked, context=context, now=now)
    return locked


@transaction.atomic
def plan_close(
    *, plan: ContactPlan, by: User, reason: str, actor: Actor, now: datetime, context: str = "service:plan_close"
) -> ContactPlan:
    locked = _lock(plan)
    if locked.status == PlanStatus.CLOSED:
        raise Conflict("Dit waakvlamcontact is al afgesloten.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Geef kort de reden waarom het contact stopt."})
    if len(reason) > 200:
        raise InvalidInput({"reason": "De reden is hoogstens 200 tekens."})
    locked.status, locked.closed_at, locked.close_reason, locked.updated_at = PlanStatus.CLOSED, now, reason, now
    locked.save(update_fields=["status", "closed_at", "close_reason", "updated_at"])
    _event(locked, "closed", by=by, now=now, note=reason)
    log_plan(actor=actor, action=AccessAction.UPDATE, plan=locked, context=context, now=now, reason="afgesloten")
    return locked


# --- contact moments ---------------------------------------------------------------------------------------------


def _check_moment(data: MomentInput, *, today: date) -> MomentInput:
    errors: dict[str, str] = {}
    if data.happened_on > today:
        errors["happened_on"] = "Een contactmoment ligt niet in de toekomst."
    elif data.happened_on < today - timedelta(days=MAX_BACKDATE_DAYS):
        errors["happened_on"] = "Een contactmoment ligt hoogstens een jaar terug."
    if data.channel not in Channel.values:
        errors["channel"] = "Kies hoe het contact was: huisbezoek, telefoon, op straat of bij een activiteit."
    wellbeing = data.wellbeing
    if data.made and wellbeing not in Wellbeing.values:
        errors["wellbeing"] = "Kies hoe het gaat: gaat goed, zorgen of ernstige zorgen."
    elif not data.made and wellbeing:
        errors["wellbeing"] = (
            "Niet bereikt: dan is niet bekend hoe het gaat. Laat 'hoe gaat het' leeg, of kies contact gehad."
        )
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = f"Houd de notitie kort: hoogstens {MAX_NOTE} tekens (nu {len(note)})."
    if errors:
        raise InvalidInput(errors)
    return MomentInput(data.happened_on, data.channel, data.made, wellbeing, note)


def _recompute(plan: ContactPlan, *, now: datetime) -> None:
    """last contact, failed attempts in a row and the next due date from the log itself, so a back-dated
    moment counts where it belongs. A successful contact ends an escalation."""
    moments = ContactMoment.objects.filter(plan_id=plan.pk)
    last = moments.filter(made=True).aggregate(last=Max("happened_on"))["last"]
    failures = moments.filter(made=False)
    if last is not None:
        failures = failures.filter(happened_on__gt=last)
    had_contact_since = last is not None and last != plan.last_contact_on
    plan.last_contact_on = last
    plan.failed_attempts = min(failures.count(), 32000)
    plan.next_contact_due = next_contact_due(
        starts_on=plan.starts_on, last_contact_on=last, rhythm_days=plan.rhythm_days
    )
    if plan.escalated_at is not None and (had_contact_since or escalation_reason(plan, today_of(now)) == ""):
        plan.escalated_at, plan.escalation_reason = None, ""
        # The follow-up clock starts over: the next time the flame goes out it climbs from level 1 again.
        plan.escalation_level, plan.next_step_at = 0, None


@transaction.atomic
def contact_record(
    *,
    plan: ContactPlan,
    data: MomentInput,
    by: User,
    actor: Actor,
    now: datetime,
    context: str = "service:contact_record",
) -> ContactMoment:
    """A line in the contact log. Contact made resets the count of failed attempts and the due date."""
    clean = _check_moment(data, today=today_of(now))
    locked = _lock(plan)
    if locked.status != PlanStatus.ACTIVE:
        raise Conflict("Dit waakvlamcontact is afgesloten; een contactmoment vastleggen kan niet meer.")
    moment = ContactMoment.objects.create(
        municipality_id=locked.municipality_id,
        plan=locked,
        happened_on=clean.happened_on,
        channel=clean.channel,
        made=clean.made,
        wellbeing=clean.wellbeing,
        note=clean.note,
        recorded_by=by,
        recorded_at=now,
    )
    _recompute(locked, now=now)
    locked.updated_at = now
    locked.save(
        update_fields=[
            "last_contact_on",
            "failed_attempts",
            "next_contact_due",
            "escalated_at",
            "escalation_reason",
            "escalation_level",
            "next_step_at",
            "updated_at",
        ]
    )
    access_log_record(
        actor=actor,
        action=AccessAction.CREATE,
        object_type="contact.contactmoment",
        object_id=moment.pk,
        subject=resident_subject(locked.resident_id),
        context=context,
        now=now,
    )
    if clean.made:
        for made in HOOKS.contact_made:  # handover: the first contact of an accepted handover is done
            made(locked, clean.happened_on, by, now)
    plan.__dict__.update({k: getattr(locked, k) for k in ("last_contact_on", "failed_attempts", "next_contact_due")})
    return moment


# --- a steward who leaves ----------------------------------------------------------------------------------------


@dataclass
class HandToBackupResult:
    moved: list[int] = field(default_factory=list)
    without_backup: list[int] = field(default_factory=list)
    backup_cleared: list[int] = field(default_factory=list)
    # (plan, steward, backup, team) before and after, for each plan changed: what an undo puts back.
    before: list[tuple[int, int, int | None, int | None]] = field(default_factory=list)
    after: list[tuple[int, int, int | None, int | None]] = field(default_factory=list)


@transaction.atomic
def plans_hand_to_backup(
    *,
    steward: User,
    by: User,
    actor: Actor,
    now: datetime,
    fallback: User | None = None,
    context: str = "service:plans_hand_to_backup",
) -> HandToBackupResult:
    """Hand every active plan of a leaving steward to its back-up, in one step; plans without a back-up go
    to `fallback` when given (else they stay and are reported). Where the steward was the back-up, the
    back-up is cleared. Each plan gets a history step and an access-log entry."""
    same_org = by.organisation_id and by.organisation_id == steward.organisation_id
    if not same_org or not (by.role == Role.COORDINATOR or by.pk == steward.pk):
        raise NotAllowed
    if fallback is not None and (
        fallback.pk == steward.pk
        or fallback.organisation_id != steward.organisation_id
        or fallback.role not in KEEPER_ROLES
        or not fallback.is_active
    ):
        raise InvalidInput({"fallback": "Kies een andere waakvlammer van dezelfde organisatie."})
    result = HandToBackupResult()
    plans = (
        ContactPlan.objects.select_for_update(of=("self",))
        .filter(Q(steward=steward) | Q(backup=steward), status=PlanStatus.ACTIVE)
        .select_related("backup", "resident__household")
        .order_by("pk")
    )
    leaving = person_name(steward)
    for plan in plans:
        state = (plan.pk, plan.steward_id, plan.backup_id, plan.team_id)
        if plan.backup_id == steward.pk:
            result.before.append(state)
            plan.backup, plan.updated_at = None, now
            plan.save(update_fields=["backup", "updated_at"])
            _event(plan, "backup_cleared", by=by, now=now, note=f"{leaving} is geen back-up meer.")
            log_plan(
                actor=actor, action=AccessAction.UPDATE, plan=plan, context=context, now=now, reason="back-up vervallen"
            )
            result.backup_cleared.append(plan.pk)
            result.after.append((plan.pk, plan.steward_id, plan.backup_id, plan.team_id))
            continue
        successor = plan.backup or fallback
        if successor is None:
            result.without_backup.append(plan.pk)
            continue
        result.before.append(state)
        plan.steward = successor
        plan.backup = None if plan.backup_id == successor.pk else plan.backup
        if plan.team_id is None or not successor.teams.filter(pk=plan.team_id).exists():
            plan.team = team_for(successor, plan.resident)
        plan.updated_at = now
        plan.save(update_fields=["steward", "backup", "team", "updated_at"])
        name = person_name(successor)
        _event(plan, "handed_over", by=by, now=now, note=f"Van {leaving} naar {name}.")
        log_plan(
            actor=actor,
            action=AccessAction.UPDATE,
            plan=plan,
            context=context,
            now=now,
            reason="overgedragen aan back-up",
        )
        result.moved.append(plan.pk)
        result.after.append((plan.pk, plan.steward_id, plan.backup_id, plan.team_id))
    return result
