"""A party's warm handovers on its start page (registered in HandoverConfig.ready(), core/start_page.py):
the sending clinician's, or the receiving team's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from waakvlam.core.models import User
from waakvlam.handover.selectors import handovers_in_hand, may_announce
from waakvlam.households.services import resident_subject
from waakvlam.privacy.services import Actor, access_log_reads

HANDOVERS_SHOWN = 10


def handovers_on_start_page(user: User, now: datetime) -> dict[str, Any]:
    in_hand = handovers_in_hand(user, now)
    rows = list(in_hand.select_related("resident", "receiving_team", "steward", "from_organisation")[:HANDOVERS_SHOWN])
    return {
        "handovers": rows,
        "handovers_total": in_hand.count() if len(rows) == HANDOVERS_SHOWN else len(rows),
        "may_announce": may_announce(user),
        "today": timezone.localdate(now),
    }


def log_handovers(request: HttpRequest, context: dict[str, Any]) -> None:
    handovers = context["handovers"]
    if handovers:
        access_log_reads(
            actor=Actor.from_request(request),
            object_type="handover.handover",
            reads=[(h.pk, resident_subject(h.resident_id)) for h in handovers],
            context="ui:start_page",
            reason="startpagina",
        )
