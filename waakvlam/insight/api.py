"""GET /api/v1/insight/neighbourhoods: suppressed figures per neighbourhood for a period (INTERFACE.md).

Sessions only: the municipality's analysts see their municipality's figures, a partner organisation's
coordinators and professionals their organisation's own; everyone else (signallers, stewards, API keys)
gets 403. JSON by default; CSV with `Accept: text/csv` or `?format=csv`. Bad dates: 422, one entry per field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError, ValidationError

from waakvlam.core.models import User
from waakvlam.insight.export import figures_csv
from waakvlam.insight.periods import insight_period
from waakvlam.insight.selectors import InsightDenied, insight_scope_for, neighbourhood_figures
from waakvlam.intake.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["insight"])


def _scope(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if getattr(request, "api_key", None) is not None or not isinstance(user, User):
        raise HttpError(403, "Insight figures are for the municipality's analysts and partners' own staff.")
    try:
        return insight_scope_for(user)
    except InsightDenied:
        raise HttpError(403, "Your role sees no insight figures.") from None


@router.get(
    "/insight/neighbourhoods",
    response={200: dict[str, Any], 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Suppressed figures per neighbourhood and for the municipality over a period",
)
def insight_neighbourhoods(request: HttpRequest) -> Any:
    scope = _scope(request)
    try:
        start, end = insight_period(request.GET.get("from"), request.GET.get("to"), today=timezone.localdate())
    except ValueError as error:
        raise ValidationError(error.args[0]) from None
    answer = neighbourhood_figures(scope, start, end, timezone.now())
    wants_csv = request.GET.get("format") == "csv" or "text/csv" in request.headers.get("Accept", "")
    if wants_csv:
        response = HttpResponse(figures_csv(answer), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="wijkinzicht-{start}-{end}.csv"'
        return response
    return answer
