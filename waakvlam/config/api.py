"""The versioned REST API. Routers live in each app's api.py; this module only assembles them and maps
errors once, so every error is INTERFACE.md's JSON: {"detail": …}."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from waakvlam.attention.api import router as attention_router
from waakvlam.cases.api import router as cases_router
from waakvlam.cases.task_api import router as tasks_router
from waakvlam.contact.api import router as contact_router
from waakvlam.core.api import router as core_router
from waakvlam.core.api_auth import PartnerKeyAuth, verified_session
from waakvlam.core.errors import DomainError, api_answer
from waakvlam.handover.api import router as handover_router
from waakvlam.households.api import router as households_router
from waakvlam.insight.api import router as insight_router
from waakvlam.intake.api import router as intake_router
from waakvlam.network.api import router as network_router
from waakvlam.notify.api import router as notify_router
from waakvlam.routing.api import router as routing_router
from waakvlam.socialmap.api import router as socialmap_router
from waakvlam.socialmap.hsds_api import router as hsds_router

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]}},
    "required": ["detail"],
}
_ERROR_DESCRIPTIONS = {
    "400": "The body is not valid JSON",
    "401": "Credentials missing or invalid",
    "403": "Not allowed: the API key lacks the scope, or the session's CSRF token is missing",
    "404": "Unknown, or not visible to you",
    "413": "Request body too large",
    "422": "Validation error: one entry per offending field",
}


class WaakvlamAPI(NinjaAPI):
    """Adds the error responses every operation can give, so the document lists each status we send."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                codes = []
                if operation.get("security"):
                    codes.append("401")
                    if method.lower() in {"post", "put", "patch", "delete"}:
                        codes.append("403")
                if "{" in path:
                    codes.append("404")
                if operation.get("parameters") or operation.get("requestBody"):
                    codes.append("422")
                if operation.get("requestBody"):
                    codes += ["400", "413"]
                responses = operation.setdefault("responses", {})
                for code in codes:
                    if int(code) in responses:  # declared by the operation itself (ninja's keys are numbers)
                        continue
                    responses.setdefault(
                        code,
                        {
                            "description": _ERROR_DESCRIPTIONS[code],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
        return schema


api = WaakvlamAPI(
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


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every service's refusal, answered by its kind (core/errors.py): no endpoint maps errors by hand."""
    status, body = api_answer(exc)
    return api.create_response(request, body, status=status)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


def _register_routers() -> None:
    api.add_router("/", core_router)
    api.add_router("/", intake_router)
    api.add_router("/", routing_router)
    api.add_router("/", households_router)
    api.add_router("/", notify_router)
    api.add_router("/", contact_router)
    api.add_router("/", handover_router)
    api.add_router("/", cases_router)
    api.add_router("/", tasks_router)
    api.add_router("/", network_router)
    api.add_router("/", attention_router)
    api.add_router("/", insight_router)
    api.add_router("/hsds/", hsds_router)
    api.add_router("/", socialmap_router)


_register_routers()
