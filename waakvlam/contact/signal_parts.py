"""Contact's sections on a signal's page (intake/signal_page.py), registered in apps.py: the plans already
running at the signal's address, and the early-warning signs of the residents there (each read logged)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waakvlam.contact.templatetags.pilot_light import pilot_light_at, plan_signs
from waakvlam.intake.models import Signal


def pilot_light_part(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    return pilot_light_at({"request": request}, signal)


def plan_signs_part(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    return plan_signs({"request": request}, household_id=signal.household_id)
