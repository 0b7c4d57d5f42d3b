"""How API callers prove who they are: a partner's API key, or a fully logged-in web session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from waakvlam.core.apikeys import api_key_authenticate
from waakvlam.core.middleware import two_factor_required


class PartnerKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_key = api_key_authenticate(token)
        if api_key is not None:
            request.api_key = api_key  # type: ignore[attr-defined]
        return api_key


class VerifiedSessionAuth(SessionAuth):
    """The web session, but only once the second factor is done: the two-factor middleware lets /api/
    through for half-logged-in users, so the API must check it itself. CSRF applies to unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or (two_factor_required(user) and not user.is_verified()):
            return None
        return user


verified_session = VerifiedSessionAuth()
