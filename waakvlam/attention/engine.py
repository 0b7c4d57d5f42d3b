"""Evaluating the configured rules on one household's facts: which rules fire, on which signals and facts,
and whose list the item lands on. Pure functions of the facts, the configuration and `today`."""

from __future__ import annotations

from datetime import date
from typing import Any

from waakvlam.attention.configuration import ActiveConfiguration
from waakvlam.attention.definitions import Firing
from waakvlam.attention.facts import HouseholdFacts


def evaluate_household(facts: HouseholdFacts, config: ActiveConfiguration, today: date) -> list[Firing]:
    firings = []
    for setting in config.enabled():
        firing = setting.rule.fire(facts, setting.params, today)
        if firing is not None:
            firings.append(firing)
    return firings


def reasons_of(firings: list[Firing]) -> list[dict[str, Any]]:
    """The explanation stored on the item: per rule its name and version, the signals it fired on (id,
    tracking code, date, source, category: never their content) and the pilot-light facts."""
    return [
        {
            "rule": f.rule,
            "version": f.version,
            "signals": [
                {
                    "id": s.id,
                    "tracking_code": s.tracking_code,
                    "date": s.received_on.isoformat(),
                    "source": s.source,
                    "category": s.category,
                }
                for s in sorted(f.signals, key=lambda s: (s.received_on, s.id))
            ],
            "facts": [
                {"kind": e.kind, "id": e.id, "date": e.on.isoformat()}
                for e in sorted(f.evidence, key=lambda e: (e.kind, e.id))
            ],
        }
        for f in sorted(firings, key=lambda f: f.rule)
    ]


def owner_team_of(facts: HouseholdFacts, firings: list[Firing]) -> int | None:
    """Whose list: the team of the household's newest active contact plan (they already keep the contact);
    otherwise the team that owns the newest signal the rules fired on; otherwise the team that received the
    newest warm handover they fired on."""
    teams = [p for p in facts.plans if p.active and p.team_id is not None]
    if teams:
        return max(teams, key=lambda p: p.id).team_id
    signals = [s for f in firings for s in f.signals]
    if signals:
        return max(signals, key=lambda s: (s.received_on, s.id)).owner_team_id
    handover_ids = {e.id for f in firings for e in f.evidence if e.kind == "handover"}
    handovers = [h for h in facts.handovers if h.id in handover_ids]
    if handovers:
        return max(handovers, key=lambda h: h.id).receiving_team_id
    return None
