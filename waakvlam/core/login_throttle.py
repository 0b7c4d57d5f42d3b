"""Login brute-force defence: lock the account, throttle the address.

django-axes locks an *account* after AXES_FAILURE_LIMIT wrong passwords (AXES_LOCKOUT_PARAMETERS =
["username"]). Locking by address as well would shut out a whole team behind one router when one member
mistypes, so an address is only *throttled*: after LOGIN_ADDRESS_FAILURE_LIMIT failures within the
cool-off, across all usernames (someone trying many accounts), it is refused until the cool-off ends.
The two answers say which of them applies.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waakvlam.core.net import client_address


def address_failure_limit() -> int:
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 50))


def address_throttled(request: HttpRequest) -> bool:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(ip_address=client_address(request), attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return (failures or 0) >= address_failure_limit()


def locked_out_response(request: HttpRequest, *args: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the account is locked (the address may still log in to other accounts)."""
    return render(request, "core/locked_out.html", {"reason": "account"}, status=429)


def address_throttled_response(request: HttpRequest) -> HttpResponse:
    return render(request, "core/locked_out.html", {"reason": "address"}, status=429)
