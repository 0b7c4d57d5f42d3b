"""Optional OIDC login for organisations with their own identity provider.

The provider proves who someone is; Waakvlam alone decides their organisation and role. So a login only
succeeds for an existing, active account whose e-mail address matches the verified e-mail claim.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from waakvlam.core.models import User


class WaakvlamOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def create_user(self, claims: dict[str, Any]) -> None:
        # Accounts are created by a functional admin with an organisation and role, never on first login.
        return None
