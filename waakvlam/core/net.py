"""The client's address, as the access log and the login lockout must record it.

Behind our own TLS proxy (WAAKVLAM_BEHIND_PROXY) REMOTE_ADDR is the proxy, so we take the right-most
X-Forwarded-For entry: the one our proxy appended. Entries further left are whatever the client sent
and can be forged, so they are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            candidate = forwarded[-1]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote[:45]
