"""Who may see which attention items: need to know, as for signals (intake/selectors.py).

A steward sees the items of the teams they belong to; a coordinator those of their organisation's teams.
Nobody else sees any (partners, the municipality, the admin: the admin tunes the rules, the municipality sees
figures). A partner system's API key with scope `attention:read` sees, as a coordinator would, the items of its
organisation's teams — only the stewards' own organisation has any — and never decides one. What you may
not see answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from waakvlam.attention.configuration import configuration_for
from waakvlam.attention.definitions import RULES_BY_NAME
from waakvlam.attention.facts import source_label
from waakvlam.attention.models import AttentionItem, ItemStatus
from waakvlam.contact.models import ContactPlan
from waakvlam.core import scopes
from waakvlam.core.models import ApiKey, Team, User
from waakvlam.core.roles import KEEPER_ROLES, Role
from waakvlam.handover.models import Handover
from waakvlam.households.linking import household_subject
from waakvlam.intake.models import Category


def may_see_attention(user: User) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.role in KEEPER_ROLES)


def _visibility(user: User) -> Q:
    if not may_see_attention(user):
        return Q(pk__in=[])
    if user.role == Role.STEWARD:
        return Q(owner_team__members=user)
    return Q(owner_team__organisation_id=int(user.organisation_id or 0))


def items_visible_to(user: User) -> QuerySet[AttentionItem]:
    return AttentionItem.objects.filter(_visibility(user)).distinct()


def items_visible_to_key(api_key: ApiKey) -> QuerySet[AttentionItem]:
    if scopes.ATTENTION_READ not in api_key.scopes:
        return AttentionItem.objects.none()
    return AttentionItem.objects.filter(owner_team__organisation_id=api_key.organisation_id)


def teams_of(user: User) -> QuerySet[Team]:
    if not may_see_attention(user):
        return Team.objects.none()
    if user.role == Role.STEWARD:
        return user.teams.all()
    return Team.objects.filter(organisation_id=int(user.organisation_id or 0))


@dataclass(frozen=True)
class ItemFilters:
    status: str = ItemStatus.OPEN
    team: int | None = None
    rule: str = ""


def items_filtered(visible: QuerySet[AttentionItem], filters: ItemFilters) -> QuerySet[AttentionItem]:
    """Narrow an already permission-scoped queryset; the filters never widen it."""
    qs = visible
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.team:
        qs = qs.filter(owner_team_id=filters.team)
    if filters.rule:
        qs = qs.filter(rule_names__contains=filters.rule)
    return qs.select_related("household__address", "owner_team").order_by("decide_by", "pk")


def item_subject(item: AttentionItem) -> str:
    return household_subject(item.household)


def explanation(item: AttentionItem, *, language: str) -> list[dict[str, Any]]:
    """ "Waarom staat dit huishouden hier?": per rule its title, version and plain-language description, and
    the signals and facts it fired on, with readable labels."""

    config = {s.rule.name: s for s in configuration_for(item.municipality_id).rules}
    public = _public_ids_of_facts(item.reasons)
    rows = []
    for reason in item.reasons:
        rule = RULES_BY_NAME.get(reason["rule"])
        setting = config.get(reason["rule"])
        rows.append(
            {
                "rule": reason["rule"],
                "version": reason["version"],
                "title": rule.title(language) if rule else reason["rule"],
                "description": rule.describe(language, setting.params if setting else {}) if rule else "",
                "signals": [
                    {
                        **s,
                        "source_label": source_label(s["source"]),
                        "category_label": str(Category(s["category"]).label)
                        if s["category"] in Category.values
                        else s["category"],
                    }
                    for s in reason["signals"]
                ],
                "facts": [{**f, "id": public.get((f["kind"], f["id"]))} for f in reason["facts"] or ()],
            }
        )
    return rows


_FACT_MODELS: dict[str, Any] = {"contact_plan": ContactPlan, "handover": Handover}


def _public_ids_of_facts(reasons: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    """The facts keep internal ids (the rules run on them); what is shown names plans and handovers by their
    public ids (docs/decisions/0009). One query per kind."""
    wanted: dict[str, set[int]] = {}
    for reason in reasons:
        for fact in reason["facts"] or ():
            wanted.setdefault(fact["kind"], set()).add(fact["id"])
    found: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        model = _FACT_MODELS.get(kind)
        if model is not None:
            for pk, public_id in model.objects.filter(pk__in=ids).values_list("pk", "public_id"):
                found[kind, pk] = str(public_id)
    return found
