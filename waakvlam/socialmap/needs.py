"""A resident's needs: recorded and ended by the steward on the contact plan page, read within the same
need-to-know as the plan, and answered collective first: the collective offers in the resident's
neighbourhood that meet the need, then the individual ones, each a way into the referral flow.

Every read and write names the resident in the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.contact.selectors import plan_may_change, plans_visible_to
from waakvlam.core.models import User
from waakvlam.core.roles import KEEPER_ROLES
from waakvlam.households.services import resident_subject
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record
from waakvlam.socialmap import models as m
from waakvlam.socialmap.errors import InvalidInput, NotAllowed
from waakvlam.socialmap.hsds import FEATURE_TAXONOMY_ID
from waakvlam.socialmap.search import Hit, Query, neighbourhood_centre, services_find
from waakvlam.socialmap.suggestions import SUGGESTED

__all__ = [
    "NeedOffers",
    "need_end",
    "need_offers",
    "need_record",
    "need_terms",
    "needs_log_read",
    "needs_visible_to",
    "plan_may_record_needs",
]


def need_terms() -> QuerySet[m.TaxonomyTerm]:
    """The social map's taxonomy of needs (not Waakvlam's own feature flags), by name."""
    return m.TaxonomyTerm.objects.exclude(taxonomy_detail_id=FEATURE_TAXONOMY_ID).order_by("name", "pk")


def needs_visible_to(user: User, now: datetime | None = None) -> QuerySet[m.ResidentNeed]:
    """Needs of the residents whose contact plan the user may see: the plan's need-to-know."""
    return m.ResidentNeed.objects.filter(resident_id__in=plans_visible_to(user, now).values("resident_id"))


def plan_may_record_needs(user: User, plan: ContactPlan) -> bool:
    return user.role in KEEPER_ROLES and plan.status == PlanStatus.ACTIVE and plan_may_change(user, plan)


def _log(actor: Actor, need: m.ResidentNeed, action: AccessAction, context: str, now: datetime | None) -> None:
    access_log_record(
        actor=actor,
        action=action,
        object_type="socialmap.residentneed",
        object_id=need.pk,
        subject=resident_subject(need.resident_id),
        context=context,
        now=now,
    )


def needs_log_read(actor: Actor, needs: list[m.ResidentNeed], context: str) -> None:
    for need in needs:
        _log(actor, need, AccessAction.VIEW, context, None)


def need_record(
    *, plan: ContactPlan, term: m.TaxonomyTerm, by: User, now: datetime, actor: Actor
) -> tuple[m.ResidentNeed, bool]:
    """Record that the plan's resident has this need; an open record of the same need is kept as it is.
    Returns the need and whether it is new."""
    if not plan_may_record_needs(by, plan):
        raise NotAllowed(_("Alleen wie het waakvlamcontact mag wijzigen legt behoeften vast."))
    if not need_terms().filter(pk=term.pk).exists():
        raise InvalidInput(_("Kies een behoefte van de sociale kaart."), "term")
    open_need = m.ResidentNeed.objects.filter(resident_id=plan.resident_id, term=term, ended_at=None).first()
    if open_need is not None:
        return open_need, False
    try:
        with transaction.atomic():
            need = m.ResidentNeed.objects.create(
                resident_id=plan.resident_id, term=term, recorded_by=by, recorded_at=now
            )
            _log(actor, need, AccessAction.CREATE, "ui:need_record", now)
    except IntegrityError:  # recorded at the same moment by someone else: that one stands
        return m.ResidentNeed.objects.get(resident_id=plan.resident_id, term=term, ended_at=None), False
    return need, True


def need_end(*, need: m.ResidentNeed, plan: ContactPlan, by: User, now: datetime, actor: Actor) -> m.ResidentNeed:
    """The need is met or no longer there: it stays in the record with the moment it ended."""
    if need.resident_id != plan.resident_id or not plan_may_record_needs(by, plan):
        raise NotAllowed(_("Alleen wie het waakvlamcontact mag wijzigen beëindigt een behoefte."))
    with transaction.atomic():
        updated = m.ResidentNeed.objects.filter(pk=need.pk, ended_at=None).update(ended_at=now)
        if updated:
            need.ended_at = now
            _log(actor, need, AccessAction.UPDATE, "ui:need_end", now)
    return need


@dataclass
class NeedOffers:
    need: m.ResidentNeed
    collective: list[Hit] = field(default_factory=list)
    individual: list[Hit] = field(default_factory=list)


def need_offers(need: m.ResidentNeed, *, municipality_id: int, now: datetime) -> NeedOffers:
    """The offers in the resident's neighbourhood for this need: collective ones first (up to three),
    then individual ones (up to three). None without a neighbourhood: the steward then searches."""
    household = need.resident.household
    hood = household.neighbourhood if household is not None else None
    offers = NeedOffers(need=need)
    if hood is None:
        return offers
    query = Query(
        municipality_id=municipality_id,
        need=need.term_id,
        neighbourhood_id=hood.pk,
        origin=neighbourhood_centre(hood),
        collective_only=True,
    )
    offers.collective, _n = services_find(query, now=now, limit=SUGGESTED)
    # Collective ones sort first, so ask for enough to find the individual ones behind them.
    found, _n = services_find(replace(query, collective_only=False), now=now, limit=len(offers.collective) + SUGGESTED)
    offers.individual = [h for h in found if not h.service.collective][:SUGGESTED]
    return offers
