from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from waakvlam.core.permissions import get_visible_or_404
from waakvlam.intake.models import Category, Signal
from waakvlam.intake.selectors import signal_subject, signals_visible_to_caller
from waakvlam.privacy.services import Actor

router = Router(tags=["signals"])


class CategoryOut(Schema):
    code: str
    label: str


class SignalEventOut(Schema):
    at: datetime
    kind: str
    note: str


class SignalOut(Schema):
    id: int
    tracking_code: str
    category: str
    urgency: str
    status: str
    outcome: str
    description: str
    neighbourhood: str | None
    owner: str
    due_at: datetime
    received_at: datetime
    escalation_level: int
    history: list[SignalEventOut]

    @staticmethod
    def from_signal(signal: Signal) -> SignalOut:
        return SignalOut(
            id=signal.pk,
            tracking_code=signal.tracking_code,
            category=signal.category,
            urgency=signal.urgency,
            status=signal.status,
            outcome=signal.outcome,
            description=signal.description,
            neighbourhood=signal.neighbourhood.code if signal.neighbourhood else None,
            owner=signal.owner_user.get_username() if signal.owner_user else signal.owner_team.name,
            due_at=signal.due_at,
            received_at=signal.received_at,
            escalation_level=signal.escalation_level,
            history=[SignalEventOut(at=e.at, kind=e.kind, note=e.note) for e in signal.events.all()],
        )


@router.get("/categories", response=list[CategoryOut], summary="Signal categories")
def categories(request: HttpRequest) -> list[CategoryOut]:
    return [CategoryOut(code=str(value), label=str(label)) for value, label in Category.choices]


@router.get("/signals/{signal_id}", response=SignalOut, summary="One signal with its history")
def signal_detail(request: HttpRequest, signal_id: int) -> SignalOut:
    visible = signals_visible_to_caller(request).select_related("neighbourhood", "owner_team", "owner_user")
    signal = get_visible_or_404(
        visible, signal_id, actor=Actor.from_request(request), context="api:signal_detail", subject_of=signal_subject
    )
    return SignalOut.from_signal(signal)
