"""The versioned REST API. Routers live in each app's api.py; this module only assembles them and maps
errors once, so every error is INTERFACE.md's JSON: {"detail": …}."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from waakvlam.core.api_auth import PartnerKeyAuth, verified_session

api = NinjaAPI(
    title="Waakvlam API",
    version="1",
    description="Signals, households, contact plans and the social map of the waakvlamfunctie.",
    auth=[PartnerKeyAuth(), verified_session],
    urls_namespace="api-v1",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Credentials missing or invalid: send Authorization: Bearer <api key>."}, status=401
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _register_routers() -> None:
    from waakvlam.core.api import router as core_router
    from waakvlam.intake.api import router as intake_router
    from waakvlam.notify.api import router as notify_router
    from waakvlam.routing.api import router as routing_router

    api.add_router("/", core_router)
    api.add_router("/", intake_router)
    api.add_router("/", routing_router)
    api.add_router("/", notify_router)


_register_routers()
