"""Security headers, the two-factor gate, and the views' one answer to a domain error."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from waakvlam.core.errors import DomainError, view_refusal
from waakvlam.core.roles import TWO_FACTOR_ROLES

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Paths a half-logged-in user may reach while setting up or entering the second factor.
_TWO_FACTOR_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/api/", "/i18n/")
_TWO_FACTOR_OPEN_NAMES = {"core:two_factor_setup", "core:two_factor_verify", "core:logout", "core:login"}


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # Pages and API answers may show personal data: no browser, proxy or back button keeps a copy.
        # Static files (WhiteNoise answers below this middleware) keep their own long caching.
        if not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, private=True)
        return response


def two_factor_required(user: object) -> bool:
    """Roles that can receive personal data need a verified second factor (core.roles.TWO_FACTOR_ROLES);
    demo exemptions never hold in production."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in TWO_FACTOR_ROLES:
        return False
    return not (getattr(user, "two_factor_exempt", False) and not settings.PRODUCTION)


class TwoFactorRequiredMiddleware:
    """Send a logged-in user who still needs a second factor to set it up or enter it, and nowhere else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if two_factor_required(user) and not user.is_verified() and not self._is_open(request):  # type: ignore[union-attr]
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))  # type: ignore[arg-type]
            return redirect("core:two_factor_verify" if has_device else "core:two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if request.path.startswith(_TWO_FACTOR_OPEN_PREFIXES):
            return True
        match = request.resolver_match
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.view_name in _TWO_FACTOR_OPEN_NAMES


class DomainErrorMiddleware:
    """A domain error (core/errors.py) that a view lets through is answered once, here, by `view_refusal`:
    404 and 403 pages, or a message and a redirect back. The API answers its own (config/api.py), so its
    paths are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return view_refusal(request, exception)
