"""Giving every signal an owner and a due time at the moment it is accepted.

First version: the team of a social-work organisation that serves the signal's neighbourhood, else any
team of the municipality; due in 2 days, or 4 hours when urgent. Rule-based routing replaces the body
of `signal_route` without changing its signature.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from waakvlam.core.models import Team
from waakvlam.core.roles import OrganisationKind
from waakvlam.intake.models import Signal, Urgency


class NoTeamForSignal(Exception):
    """The municipality has no team at all; an operator must create one before signals can be taken in."""


def signal_route(*, signal: Signal, now: datetime) -> None:
    """Set owner_team, owner_user and due_at on `signal` (saved or not); never leaves it without an owner."""
    teams = Team.objects.filter(municipality_id=signal.municipality_id)
    serving = teams.filter(organisation__kind=OrganisationKind.SOCIAL_WORK)
    if signal.neighbourhood_id:
        serving = serving.filter(neighbourhoods=signal.neighbourhood_id)
    team = serving.order_by("pk").first() or teams.order_by("pk").first()
    if team is None:
        raise NoTeamForSignal(f"Municipality {signal.municipality_id} has no team to route signals to.")
    signal.owner_team = team
    signal.owner_user = None
    signal.due_at = now + (timedelta(hours=4) if signal.urgency == Urgency.HIGH else timedelta(days=2))
