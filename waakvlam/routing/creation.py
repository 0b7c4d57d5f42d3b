"""Routing's creation step: every new signal gets an owner and a due time before it is stored.

Registered in RoutingConfig.ready() on intake's creation pipeline (intake/creation.py), so intake creates
signals without importing routing. One signal is routed by `signal_route`; a batch is routed once per
distinct set of what the rules look at (municipality, category, urgency, neighbourhood, reporting
organisation, moment of receipt), by the same cached table, so a file import of thousands of rows asks
the rules a few dozen times and every signal is routed as the API routes it.
"""

from __future__ import annotations

from datetime import datetime

from waakvlam.core.models import Team, User
from waakvlam.intake.creation import CreationStep, Drafts, SignalDraft
from waakvlam.intake.models import Signal
from waakvlam.routing.services import signal_route

__all__ = ["ROUTING_STEP"]

# Decided once per key: (owner team, owner user, due time).
_Route = tuple[Team, User | None, datetime]


def _route_one(signal: Signal, now: datetime) -> None:
    signal_route(signal=signal, now=now)


def _route_many(drafts: Drafts, now: datetime) -> None:
    decided: dict[tuple[object, ...], _Route] = {}
    for draft in drafts:
        key = (
            draft.municipality_id,
            draft.category,
            draft.urgency,
            draft.neighbourhood_id,
            draft.reporter_organisation_id,
            draft.received_at,
        )
        route = decided.get(key)
        if route is None:
            # The API's batches are Signals already: routed in place, as one signal is, without building a
            # second model instance per signal (most of a batch's keys differ by their moment of receipt).
            # A file import's drafts are not models, so the rules read a probe built from them.
            probe = draft if isinstance(draft, Signal) else _probe(draft)
            signal_route(signal=probe, now=draft.received_at)
            assert probe.due_at is not None
            route = decided[key] = (probe.owner_team, probe.owner_user, probe.due_at)
            if probe is draft:
                continue
        draft.owner_team, draft.owner_user, draft.due_at = route


def _probe(draft: SignalDraft) -> Signal:
    return Signal(
        municipality_id=draft.municipality_id,
        category=draft.category,
        urgency=draft.urgency,
        neighbourhood_id=draft.neighbourhood_id,
        reporter_organisation_id=draft.reporter_organisation_id,
    )


ROUTING_STEP = CreationStep(
    name="routing.assign",
    order=20,
    one=_route_one,
    many=_route_many,
    ensures=("owner_team_id", "due_at"),
)
