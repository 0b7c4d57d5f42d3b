"""What the apps above contact add to it, registered from their `AppConfig.ready()` (handover does).

Contact sits below handover: a warm handover creates a contact plan, so handover imports contact and
never the other way round. Where contact must take a handover into account — who else sees a plan or a
resident, what happens when contact is made or consent for handover data is given — it asks these
hooks. Each runs where the direct call ran before: inside the caller's query or transaction, so a
permission answer and a change stay one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import HttpRequest

from waakvlam.core.page_parts import PagePart, register_page_part

if TYPE_CHECKING:
    from waakvlam.contact.models import ContactPlan
    from waakvlam.core.models import User

__all__ = ["HOOKS", "PLAN_PAGE_SLOT", "ContactHooks", "any_of", "register_contact_hooks", "register_plan_page_section"]

# A subquery of ids (a values queryset), for use in `field__in=`.
Ids = Any


@dataclass
class ContactHooks:
    # plans an organisation sees beyond its own and consent (organisation id, today) -> plan ids
    shared_plans: list[Callable[[int, date], Ids]] = field(default_factory=list)
    # residents whose early-warning plan and consents the user may change beyond their own plans -> ids
    writable_residents: list[Callable[[User, datetime | None], Ids]] = field(default_factory=list)
    # residents whose responsible steward side the user is beyond their own active plans (consent_rules.py)
    responsible_residents: list[Callable[[User, datetime | None], Ids]] = field(default_factory=list)
    # residents the user may see beyond plans and consent -> ids
    visible_residents: list[Callable[[User, datetime | None], Ids]] = field(default_factory=list)
    # contact was made on a plan: (plan, happened_on, by, now), in contact_record's transaction
    contact_made: list[Callable[[ContactPlan, date, User, datetime], object]] = field(default_factory=list)
    # consent for handover data became active: (resident id, now), in consent_create's transaction
    handover_consent_given: list[Callable[[int, datetime], object]] = field(default_factory=list)
    # more context for the plan page: (user, plan, now) -> context
    plan_page: list[Callable[[User, ContactPlan, datetime], dict[str, Any]]] = field(default_factory=list)


HOOKS = ContactHooks()


def register_contact_hooks(**hooks: Callable[..., Any]) -> None:
    """Add one function per named hook, e.g. `register_contact_hooks(contact_made=...)`; idempotent."""
    for name, hook in hooks.items():
        registered: list[Callable[..., Any]] = getattr(HOOKS, name)
        if hook not in registered:
            registered.append(hook)


# Where higher apps' sections go on the plan page (core/page_parts.py): after the plan, before the log.
PLAN_PAGE_SLOT = "contact.plan:after_plan"


def register_plan_page_section(
    template: str, context: Callable[[HttpRequest, ContactPlan], dict[str, Any] | None], *, order: int = 500
) -> None:
    """A section a higher app shows on the plan page (socialmap: the resident's needs and offers for
    them); `context` is called with the request and the plan the viewer may see, None shows nothing."""
    register_page_part(PagePart(slot=PLAN_PAGE_SLOT, template=template, context=context, order=order))


def any_of(field_name: str, subqueries: list[Ids]) -> Q:
    """`field_name__in` each subquery, or'ed; matches nothing when there is none."""
    if not subqueries:
        return Q(pk__in=[])
    q = Q(**{f"{field_name}__in": subqueries[0]})
    for subquery in subqueries[1:]:
        q |= Q(**{f"{field_name}__in": subquery})
    return q
