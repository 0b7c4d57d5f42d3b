"""Managing routing rules: create, edit, reorder, switch off and on, and the demo town's default set.

The fallback rule is the guarantee that every signal gets an owner: at most one per municipality (a
database constraint), never switched off or deleted (the constraint and these services), and a
municipality's ordinary rules can only be added once its fallback exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from waakvlam.core.cache import process_cache_forget_on_change
from waakvlam.core.models import District, Municipality, Team, User
from waakvlam.core.roles import CARE_ROLES, OrganisationKind
from waakvlam.intake.models import Category, Urgency
from waakvlam.routing.errors import FallbackRequired, InvalidAction
from waakvlam.routing.models import ResponseUnit, RoutingRule

CRITERIA = ("category", "district", "neighbourhood", "urgency", "source_organisation_kind")
EDITABLE = ("name", *CRITERIA, "target_team", "target_user", "response_amount", "response_unit")
MAX_AMOUNT = {ResponseUnit.WORKING_HOURS: 400, ResponseUnit.WORKING_DAYS: 60}


def _validate(rule: RoutingRule) -> None:
    """Everything a rule must satisfy beyond single fields, in Dutch, per field."""
    errors: dict[str, str] = {}
    municipality_id = rule.municipality_id
    if rule.target_team_id and rule.target_team.municipality_id != municipality_id:
        errors["target_team"] = "Dit team hoort niet bij deze gemeente."
    if rule.target_user_id and not rule.target_user.teams.filter(pk=rule.target_team_id).exists():  # type: ignore[union-attr]
        errors["target_user"] = "Deze persoon zit niet in het gekozen team."
    if rule.district_id and rule.neighbourhood_id:
        errors["neighbourhood"] = "Kies een wijk óf een buurt, niet allebei."
    if rule.district_id and rule.district.municipality_id != municipality_id:  # type: ignore[union-attr]
        errors["district"] = "Deze wijk hoort niet bij deze gemeente."
    if rule.neighbourhood_id and rule.neighbourhood.municipality_id != municipality_id:  # type: ignore[union-attr]
        errors["neighbourhood"] = "Deze buurt hoort niet bij deze gemeente."
    limit = MAX_AMOUNT.get(ResponseUnit(rule.response_unit), 0) if rule.response_unit else 0
    if not rule.response_amount or rule.response_amount < 1:
        errors["response_amount"] = "Een reactietermijn is minstens 1."
    elif limit and rule.response_amount > limit:
        errors["response_amount"] = f"Een reactietermijn is hoogstens {limit} {ResponseUnit(rule.response_unit).label}."
    if rule.is_fallback and any(getattr(rule, f) for f in ("category", "urgency", "source_organisation_kind")):
        errors["category"] = "De vangnetregel geldt voor alle signalen en heeft geen voorwaarden."
    if rule.is_fallback and (rule.district_id or rule.neighbourhood_id):
        errors["district"] = "De vangnetregel geldt voor alle signalen en heeft geen voorwaarden."
    if errors:
        raise InvalidAction(errors)


def _assign(rule: RoutingRule, values: dict[str, Any]) -> None:
    for name in EDITABLE:
        if name in values:
            value = values[name]
            setattr(
                rule,
                name,
                "" if value is None and name in {"category", "urgency", "source_organisation_kind"} else value,
            )


def fallback_exists(municipality: Municipality | int) -> bool:
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return RoutingRule.objects.filter(municipality_id=municipality_id, is_fallback=True).exists()


@transaction.atomic
def routing_rule_create(
    *, municipality: Municipality, values: dict[str, Any], now: datetime, fallback: bool = False
) -> RoutingRule:
    """Add a rule at the end of the order (just before the fallback). The first rule of a municipality
    must be its fallback, so no signal is ever left without an owner."""
    if fallback and fallback_exists(municipality):
        raise InvalidAction({"__all__": "Deze gemeente heeft al een vangnetregel; pas die aan."})
    if not fallback and not fallback_exists(municipality):
        raise InvalidAction({"__all__": "Stel eerst de vangnetregel in: die vangt elk signaal op dat geen regel past."})
    last = RoutingRule.objects.filter(municipality=municipality, is_fallback=False).aggregate(m=Max("position"))["m"]
    rule = RoutingRule(
        municipality=municipality,
        position=0 if fallback else (last or 0) + 1,
        is_fallback=fallback,
        active=True,
        created_at=now,
        updated_at=now,
    )
    _assign(rule, values)
    _validate(rule)
    rule.save()
    return rule


@transaction.atomic
def routing_rule_update(*, rule: RoutingRule, values: dict[str, Any], now: datetime) -> RoutingRule:
    if rule.is_fallback:
        values = {k: v for k, v in values.items() if k not in CRITERIA}
    _assign(rule, values)
    _validate(rule)
    rule.updated_at = now
    rule.save()
    return rule


@transaction.atomic
def routing_rule_move(*, rule: RoutingRule, up: bool, now: datetime) -> bool:
    """Swap the rule with its neighbour in the order; the fallback always stays last. False at either end."""
    if rule.is_fallback:
        return False
    ordered = list(
        RoutingRule.objects.select_for_update()
        .filter(municipality_id=rule.municipality_id, is_fallback=False)
        .order_by("position", "pk")
    )
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    changed = []
    for position, item in enumerate(ordered, start=1):
        if item.position != position or item.pk in {rule.pk, ordered[index].pk}:
            item.position = position
            item.updated_at = now
            changed.append(item)
    RoutingRule.objects.bulk_update(changed, ["position", "updated_at"])
    process_cache_forget_on_change()  # bulk_update sends no post_save
    return True


@transaction.atomic
def routing_rule_set_active(*, rule: RoutingRule, active: bool, now: datetime) -> RoutingRule:
    if rule.is_fallback and not active:
        raise FallbackRequired
    rule.active = active
    rule.updated_at = now
    rule.save(update_fields=["active", "updated_at"])
    return rule


# --- the demo town's rules -------------------------------------------------------------------------------


def _team(teams: list[Team], name: str, kind: str) -> Team | None:
    by_name = next((t for t in teams if t.name == name), None)
    return by_name or next((t for t in teams if t.organisation.kind == kind), None)


def _serving_team(district: District, social_teams: list[Team], hoods_of: dict[int, set[int]]) -> Team | None:
    """The social-work team that serves most of the district's neighbourhoods."""
    district_hoods = {h.pk for h in district.neighbourhoods.all()}
    best = max(social_teams, key=lambda t: (len(hoods_of[t.pk] & district_hoods), -t.pk), default=None)
    return best if best is not None and hoods_of[best.pk] & district_hoods else None


def _spec(name: str, team: Team, amount: int, unit: str, **criteria: Any) -> dict[str, Any]:
    return {"name": name, "target_team": team, "response_amount": amount, "response_unit": unit, **criteria}


@transaction.atomic
def routing_rules_seed_demo(municipality: Municipality, *, now: datetime | None = None) -> int:
    """Sensible default rules (Demodorp's, by name where the teams exist); returns how many were created.

    High urgency → the neighbourhood's steward team within 4 working hours; payment arrears and eviction
    risk → "Vroegsignalering" (debt help) within 3 working days; discharges → the district's steward team
    within 1 working day; everything else → the district's steward team within 2 working days; the rest
    (no neighbourhood known) → "Wijkteam Demodorp". Does nothing when the municipality already has rules.
    """
    if RoutingRule.objects.filter(municipality=municipality).exists():
        return 0
    moment = now or timezone.now()
    teams = list(Team.objects.filter(municipality=municipality).select_related("organisation").order_by("pk"))
    if not teams:
        return 0
    fallback_team = _team(teams, "Wijkteam Demodorp", OrganisationKind.NEIGHBOURHOOD_TEAM) or teams[0]
    debt_team = _team(teams, "Vroegsignalering", OrganisationKind.DEBT_HELP)
    social = [t for t in teams if t.organisation.kind == OrganisationKind.SOCIAL_WORK]
    hoods_of = {t.pk: set(t.neighbourhoods.values_list("pk", flat=True)) for t in social}
    districts = list(District.objects.filter(municipality=municipality).prefetch_related("neighbourhoods"))
    serving = [(d, team) for d in districts if (team := _serving_team(d, social, hoods_of)) is not None]

    hours, days = ResponseUnit.WORKING_HOURS, ResponseUnit.WORKING_DAYS
    specs = [_spec(f"Urgent {d.name}", t, 4, hours, urgency=Urgency.HIGH, district=d) for d, t in serving]
    specs.append(_spec("Urgent, buurt onbekend", fallback_team, 4, hours, urgency=Urgency.HIGH))
    if debt_team is not None:
        specs.append(_spec("Betalingsachterstand", debt_team, 3, days, category=Category.PAYMENT_ARREARS))
        specs.append(_spec("Dreigende huisuitzetting", debt_team, 3, days, category=Category.EVICTION_RISK))
    specs += [_spec(f"Uitstroom {d.name}", t, 1, days, category=Category.DISCHARGE, district=d) for d, t in serving]
    specs += [_spec(f"Wijk {d.name}", t, 2, days, district=d) for d, t in serving]

    routing_rule_create(
        municipality=municipality,
        values={"name": "Vangnet", "target_team": fallback_team, "response_amount": 2, "response_unit": days},
        now=moment,
        fallback=True,
    )
    for spec in specs:
        routing_rule_create(municipality=municipality, values=spec, now=moment)
    return len(specs) + 1


def rule_target_users(municipality: Municipality) -> list[User]:
    """The people a rule may route to: active users with an acting role in one of the municipality's teams."""
    return list(
        User.objects.filter(is_active=True, role__in=CARE_ROLES, teams__municipality=municipality)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
