"""Who may record which consent, for whom and for how long (docs/decisions/0010-consent-follows-a-basis.md).

One place, read by `consent_create` and so by the UI, the API and the demo alike:

- **who**: the resident's responsible steward side records what the resident agreed to — a steward or
  coordinator whose organisation keeps the resident's active contact plan (as steward, back-up, team
  member or coordinator), or the receiving side of an open handover of the resident. A sending clinic, a
  partner with a consent of its own, or anyone else may see the resident but records no consent (403);
- **for whom**: never for the recorder's own organisation — nobody extends their own organisation's
  access on their own (during a handover's overlap the sending clinic could otherwise keep sight forever);
- **how long**: every consent has an end or review date, at most `MAX_CONSENT_DAYS` after it starts;
  then the steward asks the resident again.

The receiving side of a handover lives in a higher app (handover), which registers it as contact's
`responsible_residents` hook (contact/hooks.py) from its AppConfig.ready(), so this module never imports upward.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from waakvlam.contact.hooks import HOOKS
from waakvlam.contact.models import DataKind, PlanStatus
from waakvlam.contact.selectors import NONE, org_of, plans_writable_by, today_of
from waakvlam.core.models import Organisation, User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.households.models import Resident

MAX_CONSENT_DAYS = 365


def responsible_q(user: User, now: datetime | None = None, *, field: str = "pk") -> Q:
    """Residents for whom `user` is the responsible steward side. `field` names the resident id."""
    if not (user.is_authenticated and user.organisation_id and user.role in KEEPER_ROLES):
        return NONE
    own = plans_writable_by(user).filter(status=PlanStatus.ACTIVE).values("resident_id")
    q = Q(**{f"{field}__in": own})
    for source in HOOKS.responsible_residents:
        q |= Q(**{f"{field}__in": source(user, now)})
    return q


def residents_consent_recordable_by(user: User, now: datetime | None = None) -> QuerySet[Resident]:
    return Resident.objects.filter(responsible_q(user, now))


def may_record_consent_for(user: User, resident: Resident, now: datetime | None = None) -> bool:
    return residents_consent_recordable_by(user, now).filter(pk=resident.pk).exists()


def latest_end(valid_from: date) -> date:
    return valid_from + timedelta(days=MAX_CONSENT_DAYS)


def consent_terms_errors(
    *,
    by: User,
    resident: Resident,
    organisation: Organisation,
    data_kind: str,
    purpose: str,
    valid_from: date,
    valid_until: date | None,
    now: datetime,
) -> dict[str, str]:
    """Field → Dutch message for every term of a consent that has no basis; empty when it may be recorded."""
    errors: dict[str, str] = {}
    if organisation.municipality_id != resident.municipality_id:
        errors["organisation"] = "Kies een organisatie in dezelfde gemeente."
    elif organisation.pk == org_of(by):
        errors["organisation"] = (
            "U kunt geen toestemming vastleggen voor uw eigen organisatie: "
            "toegang voor een organisatie legt iemand anders vast dan die organisatie zelf."
        )
    if data_kind not in DataKind.values:
        errors["data_kind"] = "Kies welke gegevens gedeeld mogen worden."
    if not purpose:
        errors["purpose"] = "Geef het doel: waarvoor mag deze organisatie het zien?"
    elif len(purpose) > 200:
        errors["purpose"] = "Het doel is hoogstens 200 tekens."
    if valid_until is None:
        errors["valid_until"] = (
            f"Geef een einddatum of de datum waarop u het opnieuw met de bewoner bespreekt "
            f"(hoogstens {MAX_CONSENT_DAYS} dagen na de begindatum)."
        )
    elif valid_until < valid_from:
        errors["valid_until"] = "Tot en met ligt op of na de begindatum."
    elif valid_until < today_of(now):
        errors["valid_until"] = "Deze datum ligt al in het verleden."
    elif valid_until > latest_end(valid_from):
        errors["valid_until"] = (
            f"Hoogstens {MAX_CONSENT_DAYS} dagen na de begindatum; bespreek het daarna opnieuw met de bewoner."
        )
    return errors
