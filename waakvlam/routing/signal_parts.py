"""Routing's section on a signal's page (intake/signal_page.py), registered in apps.py: claim, transfer
and close for someone who may act on the signal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import Context

from waakvlam.intake.models import Signal
from waakvlam.routing.templatetags.routing_tags import signal_actions


def signal_actions_part(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    return signal_actions(Context({"request": request, "csrf_token": get_token(request)}), signal)
