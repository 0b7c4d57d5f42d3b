"""Contact plans, contact moments, early-warning plans and consents over the API. Thin: a selector or a
service call, domain errors mapped to HTTP in one place.

404 unknown or not visible (the two look the same), 403 an API key writing (keys only read, with scope
`contact:read`), 409 conflict, 422 bad input (one entry per field). Every read of one record and every
list is written to the access log; every write by the service that makes it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answered
from ninja.errors import HttpError
from pydantic import Field

from waakvlam.contact import selectors
from waakvlam.contact.errors import InvalidInput, NotAllowed
from waakvlam.contact.models import (
    PHASE_PARTS,
    Consent,
    ContactMoment,
    ContactPlan,
    DataKind,
    EarlyWarningPlan,
    Phase,
    PlanStatus,
    active_consents,
)
from waakvlam.contact.plan_services import (
    ConsentInput,
    PersonInput,
    consent_create,
    consent_revoke,
    early_warning_plan_save,
)
from waakvlam.contact.schemas import (
    ConsentIn,
    ConsentOut,
    ConsentPageOut,
    ContactIn,
    ContactOut,
    ContactPageOut,
    ContactPlanIn,
    ContactPlanOut,
    ContactPlanPageOut,
    EarlyWarningPlanIn,
    EarlyWarningPlanOut,
    EarlyWarningPlanPageOut,
    ResidentOut,
    RevokeIn,
)
from waakvlam.contact.services import MomentInput, PlanInput, contact_record, plan_create
from waakvlam.core.addresses import AddressError
from waakvlam.core.api_common import ListQuery, api_key_of, errors, page, person_of, user_of
from waakvlam.core.models import Organisation, User
from waakvlam.core.public_ids import public_id_or_404
from waakvlam.households.models import Resident
from waakvlam.households.services import (
    AddressInput,
    ResidentInvalid,
    address_place,
    household_get_or_create,
    resident_create,
    resident_subject,
)
from waakvlam.privacy.permissions import get_visible_or_404
from waakvlam.privacy.services import Actor, access_log_reads

router = Router(tags=["contact plans"])
# The four parts of a phase as the API names them (the model's `self` would clash with Python's).
API_PART = {"signs": "signs", "self": "resident_does", "network": "network_does", "professionals": "professionals_do"}

# --- shared edges ------------------------------------------------------------------------------------------------


def session_user(request: HttpRequest) -> User:
    """Writes need a person: an API key gets 403, a role without the right 404 (from the service)."""
    return person_of(request, "API keys may only read contact plans; changes are made by a person.")


def log_list(request: HttpRequest, object_type: str, context: str, rows: list[Any]) -> None:
    """One entry per row shown, naming its resident, in one batch (privacy.services.access_log_reads)."""
    access_log_reads(
        actor=Actor.from_request(request),
        object_type=object_type,
        reads=[(row.pk, resident_subject(_resident_id_of(row))) for row in rows],
        context=context,
    )


def _resident_id_of(row: Any) -> int:
    resident_id = getattr(row, "resident_id", None)
    return int(resident_id if resident_id is not None else row.plan.resident_id)


# --- contact plans --------------------------------------------------------------------------------------------------


def _visible_plans(request: HttpRequest) -> QuerySet[ContactPlan]:
    key = api_key_of(request)
    qs = selectors.plans_visible_to_api_key(key) if key else selectors.plans_visible_to(user_of(request))
    return qs.select_related(
        "resident__household__address", "organisation", "team", "steward", "backup", "basis_recorded_by"
    )


def resident_out(resident: Resident) -> ResidentOut:
    household = resident.household
    return ResidentOut(
        id=resident.public_id,
        name=resident.name,
        description=resident.description,
        address=str(household.address) if household else None,
    )


def plan_out(plan: ContactPlan, *, writable: set[int]) -> ContactPlanOut:
    today = selectors.today_of()
    return ContactPlanOut(
        id=plan.public_id,
        resident=resident_out(plan.resident),
        organisation=plan.organisation.slug,
        team=plan.team.name if plan.team else None,
        steward=plan.steward.get_username(),
        backup=plan.backup.get_username() if plan.backup else None,
        rhythm_days=plan.rhythm_days,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        basis=plan.basis,
        basis_note=plan.basis_note,
        basis_recorded_by=plan.basis_recorded_by.get_username() if plan.basis_recorded_by else None,
        basis_recorded_at=plan.basis_recorded_at,
        status=PlanStatus(plan.status),
        signal_id=plan.signal_id,
        last_contact_on=plan.last_contact_on,
        next_contact_due=plan.next_contact_due,
        failed_attempts=plan.failed_attempts,
        overdue=plan.status == PlanStatus.ACTIVE and plan.next_contact_due < today,
        escalated_at=plan.escalated_at,
        created_at=plan.created_at,
        closed_at=plan.closed_at,
        may_change=plan.pk in writable,
    )


def _writable_ids(request: HttpRequest, plans: list[ContactPlan]) -> set[int]:
    if api_key_of(request) is not None or not plans:
        return set()
    return set(
        selectors.plans_writable_by(user_of(request)).filter(pk__in=[p.pk for p in plans]).values_list("pk", flat=True)
    )  # type: ignore[arg-type]


class PlanListQuery(ListQuery):
    status: PlanStatus | None = None
    overdue: bool | None = Field(None, description="true: the next contact is past due")
    steward: str | None = Field(None, max_length=150, description="username")
    resident_id: UUID | None = Field(None, description="The resident's public id")


@router.get(
    "/contact-plans",
    response={200: ContactPlanPageOut, **errors(401, 422)},
    summary="Contact plans visible to the caller",
    description="Due first. A partner organisation sees a plan only while an active consent covers it.",
)
def contact_plan_list(request: HttpRequest, filters: Query[PlanListQuery]) -> dict[str, Any]:
    qs = _visible_plans(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue is not None:
        today = selectors.today_of()
        overdue = qs.filter(status=PlanStatus.ACTIVE, next_contact_due__lt=today)
        qs = overdue if filters.overdue else qs.exclude(pk__in=overdue.values("pk"))
    if filters.steward:
        qs = qs.filter(steward__username=filters.steward)
    if filters.resident_id:
        qs = qs.filter(resident__public_id=filters.resident_id)
    total, rows = page(qs.order_by("next_contact_due", "pk"), filters)
    log_list(request, "contact.contactplan", "api:contact_plan_list", rows)
    writable = _writable_ids(request, rows)
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [plan_out(p, writable=writable) for p in rows],
    }


@router.get("/contact-plans/{plan_id}", response={200: ContactPlanOut, **errors(401, 404)}, summary="One contact plan")
def contact_plan_detail(request: HttpRequest, plan_id: str) -> ContactPlanOut:
    plan = get_visible_or_404(
        _visible_plans(request),
        public_id_or_404(plan_id),
        actor=Actor.from_request(request),
        context="api:contact_plan_detail",
        subject_of=lambda p: resident_subject(p.resident_id),
        lookup="public_id",
    )
    return plan_out(plan, writable=_writable_ids(request, [plan]))


def _resident_for(user: User, payload: ContactPlanIn, now: Any, actor: Actor) -> Resident:
    if payload.resident_id is not None:
        resident = selectors.residents_visible_to(user, now).filter(public_id=payload.resident_id).first()
        if resident is None:
            raise InvalidInput({"resident_id": "This resident does not exist or you may not see them."})
        return resident
    if payload.resident is None:
        raise InvalidInput({"resident_id": "Give resident_id, or a new resident."})
    organisation = user.organisation
    if organisation is None or user.role not in {"steward", "coordinator"}:
        raise NotAllowed
    household = None
    if payload.resident.address is not None:
        a = payload.resident.address
        try:
            address = address_place(
                AddressInput(a.postcode, a.house_number, a.house_letter, a.house_number_addition),
                municipality=organisation.municipality,
            )
        except AddressError as error:
            raise InvalidInput({f"resident.address.{error.field}": error.message}) from None
        household = household_get_or_create(address=address, now=now)
    try:
        return resident_create(
            municipality=organisation.municipality,
            name=payload.resident.name,
            description=payload.resident.description,
            household=household,
            created_by=user,
            actor=actor,
            now=now,
            context="api:contact_plan_create",
        )
    except ResidentInvalid as error:
        raise InvalidInput({f"resident.{error.field}": error.message}) from None


def _colleague(user: User, username: str | None, field: str) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username, organisation_id=selectors.org_of(user)).first()
    if found is None:
        raise InvalidInput({field: "No one with this username in your organisation."})
    return found


@router.post(
    "/contact-plans", response={201: ContactPlanOut, **errors(401, 403, 404, 409, 422)}, summary="Start a contact plan"
)
def contact_plan_create(request: HttpRequest, payload: ContactPlanIn) -> Answered[ContactPlanOut]:
    user = session_user(request)
    now, actor = timezone.now(), Actor.from_request(request)

    def create() -> ContactPlan:
        with transaction.atomic():
            steward = _colleague(user, payload.steward, "steward") or user
            data = PlanInput(
                steward=steward,
                backup=_colleague(user, payload.backup, "backup"),
                rhythm_days=payload.rhythm_days,
                starts_on=payload.starts_on or selectors.today_of(now),
                ends_on=payload.ends_on,
                basis=payload.basis.value,
                basis_note=payload.basis_note,
            )
            resident = _resident_for(user, payload, now, actor)
            return plan_create(
                resident=resident,
                data=data,
                by=user,
                actor=actor,
                now=now,
                signal_id=payload.signal_id,
                context="api:contact_plan_create",
            )

    plan = create()
    plan = _visible_plans(request).get(pk=plan.pk)
    return Answered(201, plan_out(plan, writable={plan.pk}))


# --- contact moments --------------------------------------------------------------------------------------------------


def _visible_moments(request: HttpRequest) -> QuerySet[ContactMoment]:
    key = api_key_of(request)
    plans = selectors.plans_visible_to_api_key(key) if key else selectors.plans_visible_to(user_of(request))
    return selectors.moments_of_visible_plans(plans).select_related("recorded_by", "plan")


def moment_out(m: ContactMoment) -> ContactOut:
    return ContactOut(
        id=m.public_id,
        plan_id=m.plan.public_id,
        happened_on=m.happened_on,
        channel=m.channel,
        made=m.made,
        wellbeing=m.wellbeing,
        note=m.note,
        recorded_by=m.recorded_by.get_username() if m.recorded_by else None,
        recorded_at=m.recorded_at,
    )


class ContactListQuery(ListQuery):
    plan_id: UUID | None = Field(None, description="The contact plan's public id")


@router.get(
    "/contacts",
    response={200: ContactPageOut, **errors(401, 422)},
    summary="Contact moments of plans visible to the caller",
)
def contact_list(request: HttpRequest, filters: Query[ContactListQuery]) -> dict[str, Any]:
    qs = _visible_moments(request)
    if filters.plan_id:
        qs = qs.filter(plan__public_id=filters.plan_id)
    total, rows = page(qs.order_by("-happened_on", "-pk"), filters)
    log_list(request, "contact.contactmoment", "api:contact_list", rows)
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [moment_out(m) for m in rows]}


@router.get("/contacts/{contact_id}", response={200: ContactOut, **errors(401, 404)}, summary="One contact moment")
def contact_detail(request: HttpRequest, contact_id: str) -> ContactOut:
    moment = get_visible_or_404(
        _visible_moments(request),
        public_id_or_404(contact_id),
        actor=Actor.from_request(request),
        context="api:contact_detail",
        subject_of=lambda m: resident_subject(m.plan.resident_id),
        lookup="public_id",
    )
    return moment_out(moment)


@router.post(
    "/contacts", response={201: ContactOut, **errors(401, 403, 404, 409, 422)}, summary="Record a contact moment"
)
def contact_create(request: HttpRequest, payload: ContactIn) -> Answered[ContactOut]:
    user = session_user(request)
    plan = selectors.plans_writable_by(user).filter(public_id=payload.plan_id).first()
    if plan is None:
        raise HttpError(404, "Not found.")
    now = timezone.now()
    data = MomentInput(
        happened_on=payload.happened_on or selectors.today_of(now),
        channel=payload.channel.value,
        made=payload.made,
        wellbeing=payload.wellbeing.value if payload.wellbeing else "",
        note=payload.note,
    )
    moment = contact_record(
        plan=plan, data=data, by=user, actor=Actor.from_request(request), now=now, context="api:contact_create"
    )
    return Answered(201, moment_out(moment))


# --- early-warning plans ----------------------------------------------------------------------------------------------


def _visible_ew(request: HttpRequest) -> QuerySet[EarlyWarningPlan]:
    key = api_key_of(request)
    qs = (
        selectors.early_warning_plans_visible_to_api_key(key)
        if key
        else selectors.early_warning_plans_visible_to(user_of(request))
    )  # type: ignore[arg-type]
    return qs.select_related("resident").prefetch_related("people")


def ew_out(plan: EarlyWarningPlan) -> EarlyWarningPlanOut:
    return EarlyWarningPlanOut.model_validate(
        {
            "id": plan.public_id,
            "resident_id": plan.resident.public_id,
            "strengths": plan.strengths,
            "phases": [
                {
                    "phase": phase,
                    **{API_PART[part]: getattr(plan, f"{phase}_{part}") for part in PHASE_PARTS},
                }
                for phase in Phase.values
            ],
            "people": [
                {"name": p.name or "", "relation": p.relation or "", "phone": p.phone or "", "call_when": p.call_when}
                for p in plan.people.all()
            ],
            "agreed_on": plan.agreed_on,
            "updated_at": plan.updated_at,
        }
    )


class EwListQuery(ListQuery):
    resident_id: UUID | None = Field(None, description="The resident's public id")


@router.get(
    "/early-warning-plans",
    response={200: EarlyWarningPlanPageOut, **errors(401, 422)},
    summary="Early-warning plans visible to the caller",
)
def early_warning_plan_list(request: HttpRequest, filters: Query[EwListQuery]) -> dict[str, Any]:
    qs = _visible_ew(request)
    if filters.resident_id:
        qs = qs.filter(resident__public_id=filters.resident_id)
    total, rows = page(qs.order_by("pk"), filters)
    log_list(request, "contact.earlywarningplan", "api:early_warning_plan_list", rows)
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [ew_out(p) for p in rows]}


@router.get(
    "/early-warning-plans/{plan_id}",
    response={200: EarlyWarningPlanOut, **errors(401, 404)},
    summary="One early-warning plan",
)
def early_warning_plan_detail(request: HttpRequest, plan_id: str) -> EarlyWarningPlanOut:
    plan = get_visible_or_404(
        _visible_ew(request),
        public_id_or_404(plan_id),
        actor=Actor.from_request(request),
        context="api:early_warning_plan_detail",
        subject_of=lambda p: resident_subject(p.resident_id),
        lookup="public_id",
    )
    return ew_out(plan)


@router.post(
    "/early-warning-plans",
    response={201: EarlyWarningPlanOut, **errors(401, 403, 404, 409, 422)},
    summary="Write a resident's early-warning plan",
    description="Creates the plan; a resident has one plan, so a second POST is a 409.",
)
def early_warning_plan_create(request: HttpRequest, payload: EarlyWarningPlanIn) -> Answered[EarlyWarningPlanOut]:
    user = session_user(request)
    resident = selectors.residents_writable_by(user).filter(public_id=payload.resident_id).first()
    if resident is None:
        raise HttpError(404, "Not found.")
    texts = {"strengths": payload.strengths}
    for phase in Phase.values:
        given = getattr(payload, phase)
        if given is not None:
            texts.update({f"{phase}_{part}": getattr(given, API_PART[part]) for part in PHASE_PARTS})
    people = [PersonInput(p.name, p.phone, p.relation, p.call_when.value, p.consent_given) for p in payload.people]
    plan = early_warning_plan_save(
        resident=resident,
        texts=texts,
        people=people,
        agreed_on=payload.agreed_on,
        by=user,
        actor=Actor.from_request(request),
        now=timezone.now(),
        create_only=True,
        context="api:early_warning_plan_create",
    )
    return Answered(201, ew_out(plan))


# --- consents ------------------------------------------------------------------------------------------------------


def _visible_consents(request: HttpRequest) -> QuerySet[Consent]:
    key = api_key_of(request)
    qs = selectors.consents_visible_to_api_key(key) if key else selectors.consents_visible_to(user_of(request))
    return qs.select_related("organisation", "resident")


def consent_out(c: Consent) -> ConsentOut:
    return ConsentOut(
        id=c.public_id,
        resident_id=c.resident.public_id,
        organisation=c.organisation.slug,
        data_kind=c.data_kind,
        purpose=c.purpose,
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        recorded_by=c.recorded_by_label,
        recorded_at=c.recorded_at,
        revoked_at=c.revoked_at,
        active=c.is_active(selectors.today_of()),
    )


class ConsentListQuery(ListQuery):
    resident_id: UUID | None = Field(None, description="The resident's public id")
    data_kind: DataKind | None = None
    active: bool | None = None


@router.get(
    "/consents",
    response={200: ConsentPageOut, **errors(401, 422)},
    summary="The consent registry, as far as the caller may see it",
)
def consent_list(request: HttpRequest, filters: Query[ConsentListQuery]) -> dict[str, Any]:
    qs = _visible_consents(request)
    if filters.resident_id:
        qs = qs.filter(resident__public_id=filters.resident_id)
    if filters.data_kind:
        qs = qs.filter(data_kind=filters.data_kind)
    if filters.active is not None:
        active = active_consents(selectors.today_of()).values("pk")
        qs = qs.filter(pk__in=active) if filters.active else qs.exclude(pk__in=active)
    total, rows = page(qs.order_by("-recorded_at", "-pk"), filters)
    log_list(request, "contact.consent", "api:consent_list", rows)
    return {"count": total, "limit": filters.limit, "offset": filters.offset, "items": [consent_out(c) for c in rows]}


@router.get("/consents/{consent_id}", response={200: ConsentOut, **errors(401, 404)}, summary="One consent")
def consent_detail(request: HttpRequest, consent_id: str) -> ConsentOut:
    consent = get_visible_or_404(
        _visible_consents(request),
        public_id_or_404(consent_id),
        actor=Actor.from_request(request),
        context="api:consent_detail",
        subject_of=lambda c: resident_subject(c.resident_id),
        lookup="public_id",
    )
    return consent_out(consent)


@router.post(
    "/consents",
    response={201: ConsentOut, **errors(401, 403, 404, 422)},
    summary="Record a consent",
    description=(
        "Recorded by the resident's responsible steward side (the organisation keeping their contact plan, or the "
        "receiving team of an open handover), never for the recorder's own organisation, and always with "
        "`valid_until` (an end or review date at most 365 days after `valid_from`). Another party to the resident "
        "(the sending clinic of a handover) gets 403; anyone else 404."
    ),
)
def consent_create_endpoint(request: HttpRequest, payload: ConsentIn) -> Answered[ConsentOut]:
    user = session_user(request)
    # A party to the resident (a sending clinic, say) is told why not (403) by the service; others get 404.
    resident = selectors.residents_writable_by(user).filter(public_id=payload.resident_id).first()
    if resident is None:
        raise HttpError(404, "Not found.")
    organisation = Organisation.objects.filter(
        slug=payload.organisation, municipality_id=resident.municipality_id
    ).first()
    if organisation is None:
        raise InvalidInput({"organisation": "No organisation with this slug in the resident's municipality."})
    now = timezone.now()
    data = ConsentInput(
        organisation,
        payload.data_kind.value,
        payload.purpose,
        payload.valid_from or selectors.today_of(now),
        payload.valid_until,
    )
    consent = consent_create(
        resident=resident,
        data=data,
        by=user,
        actor=Actor.from_request(request),
        now=now,
        context="api:consent_create",
    )
    return Answered(201, consent_out(consent))


@router.post(
    "/consents/{consent_id}/revoke",
    response={200: ConsentOut, **errors(401, 403, 404, 409, 422)},
    summary="Revoke a consent, at once",
    description="From the next request on, the organisation no longer sees what this consent covered (404).",
)
def consent_revoke_endpoint(request: HttpRequest, consent_id: str, payload: RevokeIn) -> ConsentOut:
    user = session_user(request)
    public_id = public_id_or_404(consent_id)
    consent = selectors.consents_writable_by(user).filter(public_id=public_id).select_related("organisation").first()
    if consent is None:
        raise HttpError(404, "Not found.")
    revoked = consent_revoke(
        consent=consent,
        by=user,
        reason=payload.reason,
        actor=Actor.from_request(request),
        now=timezone.now(),
        context="api:consent_revoke",
    )
    return consent_out(Consent.objects.select_related("organisation").get(pk=revoked.pk))
