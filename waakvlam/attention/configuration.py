"""The functional admin's configuration of the attention rules, per municipality: which rules are on and
with which parameters. Every change is a new RuleConfiguration version (who, when, why); the newest one is
in force. Without any version every rule is on with its declared defaults (version 0)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from waakvlam.attention.definitions import RULES, RULES_BY_NAME, RuleDef
from waakvlam.attention.models import RuleConfiguration
from waakvlam.core.models import User
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_record


@dataclass(frozen=True)
class RuleSetting:
    rule: RuleDef
    enabled: bool
    params: dict[str, int]


@dataclass(frozen=True)
class ActiveConfiguration:
    municipality_id: int
    version: int
    rules: tuple[RuleSetting, ...]
    created_at: datetime | None = None
    created_by_label: str = ""

    def enabled(self) -> list[RuleSetting]:
        return [r for r in self.rules if r.enabled]

    def params_by_rule(self) -> dict[str, dict[str, int]]:
        return {r.rule.name: r.params for r in self.rules if r.enabled}


class ConfigurationInvalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _settings_of(stored: Mapping[str, Any]) -> tuple[RuleSetting, ...]:
    result = []
    for rule in RULES:
        own = stored.get(rule.name) or {}
        params = rule.defaults()
        for param in rule.params:
            value = (own.get("params") or {}).get(param.name)
            if isinstance(value, int) and param.minimum <= value <= param.maximum:
                params[param.name] = value
        result.append(RuleSetting(rule, bool(own.get("enabled", True)), params))
    return tuple(result)


def configuration_for(municipality_id: int) -> ActiveConfiguration:
    row = RuleConfiguration.objects.filter(municipality_id=municipality_id).order_by("-version").first()
    if row is None:
        return ActiveConfiguration(municipality_id, 0, _settings_of({}))
    return ActiveConfiguration(
        municipality_id, row.version, _settings_of(row.rules), row.created_at, row.created_by_label
    )


def configuration_history(municipality_id: int) -> list[RuleConfiguration]:
    return list(RuleConfiguration.objects.filter(municipality_id=municipality_id).order_by("-version")[:50])


def validate_settings(data: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """{rule: {"enabled": bool, "params": {name: int}}} checked against the declarations; errors per field."""
    errors: dict[str, str] = {}
    clean: dict[str, dict[str, Any]] = {}
    for name in data:
        if name not in RULES_BY_NAME:
            errors[name] = "unknown rule"
    for rule in RULES:
        own = data.get(rule.name) or {}
        params = {}
        for param in rule.params:
            value = (own.get("params") or {}).get(param.name, param.default)
            if isinstance(value, bool) or not isinstance(value, int):
                errors[f"{rule.name}.{param.name}"] = "must be a whole number"
            elif not param.minimum <= value <= param.maximum:
                errors[f"{rule.name}.{param.name}"] = f"must be between {param.minimum} and {param.maximum}"
            else:
                params[param.name] = value
        clean[rule.name] = {"enabled": bool(own.get("enabled", True)), "params": params}
    if errors:
        raise ConfigurationInvalid(errors)
    return clean


@transaction.atomic
def configuration_change(
    *,
    municipality_id: int,
    data: Mapping[str, Mapping[str, Any]],
    by: User | None,
    note: str,
    actor: Actor,
    now: datetime,
) -> RuleConfiguration:
    """A new version of the municipality's rules (only when something changed). Items are recomputed by the
    worker's next pass; the algorithm register shows the new version at once."""
    clean = validate_settings(data)
    current = (
        RuleConfiguration.objects.select_for_update()
        .filter(municipality_id=municipality_id)
        .order_by("-version")
        .first()
    )
    if current is not None and current.rules == clean:
        return current
    row = RuleConfiguration.objects.create(
        municipality_id=municipality_id,
        version=(current.version if current else 0) + 1,
        rules=clean,
        created_at=now,
        created_by=by,
        created_by_label=by.get_full_name() or by.get_username() if by else actor.username,
        note=note[:300],
    )
    access_log_record(
        actor=actor,
        action=AccessAction.UPDATE,
        object_type="attention.ruleconfiguration",
        object_id=row.pk,
        context="attention:configuration_change",
        reason=f"versie {row.version}",
        now=now,
    )
    return row
