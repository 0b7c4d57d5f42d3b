"""The insight pages: the map, the monthly trend and the sortable table; CSV and the open-data download.

Thin: the figures come from selectors (suppressed there); this module only picks a figure and a sort order."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waakvlam.core.models import Neighbourhood, User
from waakvlam.core.roles import Role
from waakvlam.insight.charts import UNKNOWN_COLOUR, map_figure, map_legend, trend_figure
from waakvlam.insight.export import figures_csv
from waakvlam.insight.opendata import MonthError, month_end, open_data_csv, parse_month
from waakvlam.insight.periods import insight_period, previous_period
from waakvlam.insight.selectors import (
    ALL_READS,
    InsightDenied,
    Scope,
    figures_for_periods,
    insight_scope_for,
    neighbourhood_figures,
    reads_for,
)
from waakvlam.insight.timing import month_of
from waakvlam.insight.top import top_of_ladder
from waakvlam.insight.trend import monthly_trend

# The figures a user can colour the map by and sort the table on: (key, label, where in a row).
FIGURES: list[tuple[str, Any, tuple[str, str]]] = [
    ("signals_in", gettext_lazy("Signalen binnen"), ("counts", "signals_in")),
    ("picked_up_in_time", gettext_lazy("Op tijd opgepakt"), ("counts", "picked_up_in_time")),
    ("rate_in_time", gettext_lazy("Aandeel op tijd opgepakt"), ("rates", "picked_up_in_time")),
    ("median", gettext_lazy("Mediaan uren tot oppakken"), ("", "median_hours_to_pickup")),
    ("p90", gettext_lazy("90e percentiel uren tot oppakken"), ("", "p90_hours_to_pickup")),
    ("escalated", gettext_lazy("Geëscaleerd"), ("counts", "escalated")),
    ("stuck", gettext_lazy("Nu vastgelopen"), ("counts", "stuck")),
    ("contacts_made", gettext_lazy("Contacten gelegd"), ("counts", "contacts_made")),
    ("plans_running", gettext_lazy("Lopende waakvlamcontacten"), ("counts", "plans_running")),
    ("plans_overdue", gettext_lazy("Waakvlam dreigt uit te gaan"), ("counts", "plans_overdue")),
    ("handovers", gettext_lazy("Warme overdrachten"), ("counts", "handovers")),
    ("handovers_in_time", gettext_lazy("Eerste contact op tijd"), ("counts", "handovers_first_contact_in_time")),
    ("referrals_made", gettext_lazy("Verwijzingen"), ("counts", "referrals_made")),
    ("rate_connected", gettext_lazy("Aandeel verwijzingen gekomen"), ("rates", "referrals_connected")),
    ("rate_collective", gettext_lazy("Aandeel collectief verwezen"), ("rates", "referrals_collective")),
    ("case_conferences", gettext_lazy("Casusoverleggen"), ("counts", "case_conferences")),
    ("tasks_due", gettext_lazy("Taken met deadline"), ("counts", "tasks_due")),
    ("rate_tasks_in_time", gettext_lazy("Aandeel taken op tijd gedaan"), ("rates", "tasks_done_in_time")),
    ("area_alarms", gettext_lazy("Wijkalarmen"), ("counts", "area_alarms")),
]
FIGURE_KEYS = {key for key, _label, _where in FIGURES}
UNBLOCKED_BY = {
    "picked_up": gettext_lazy("Opgepakt"),
    "team_transfer": gettext_lazy("Overgedragen door het team"),
    "regie_transfer": gettext_lazy("Overgedragen door de regie"),
    "closed": gettext_lazy("Afgesloten"),
    "waiting": gettext_lazy("Staat nog aan de top"),
}
TABLE_FIGURES = [
    "signals_in",
    "rate_in_time",
    "median",
    "escalated",
    "stuck",
    "plans_overdue",
    "handovers",
    "referrals_made",
    "case_conferences",
    "rate_tasks_in_time",
    "area_alarms",
]
TABLE_COLUMNS = [k for k, _label, _where in FIGURES if k in TABLE_FIGURES]  # the order of the table's header


WHERE = {k: where for k, _label, where in FIGURES}


def _value(row: dict[str, Any], key: str) -> Any:
    section, name = WHERE[key]
    return row[section][name] if section else row[name]


def _scope(request: HttpRequest) -> Scope:
    try:
        return insight_scope_for(request.user)  # type: ignore[arg-type]
    except InsightDenied:
        raise PermissionDenied from None


def _sorted(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    # Suppressed and unknown values sort last either way: "< 5" is not a number to rank on.
    known = [r for r in rows if r["values"][key] is not None]
    unknown = [r for r in rows if r["values"][key] is None]
    known.sort(key=lambda r: r["values"][key], reverse=descending)
    return known + unknown


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    now = timezone.now()
    try:
        start, end = insight_period(request.GET.get("from"), request.GET.get("to"), today=timezone.localdate())
        errors: list[dict[str, Any]] = []
    except ValueError as error:
        errors = error.args[0]
        start, end = insight_period(None, None, today=timezone.localdate())
    figure = request.GET.get("figuur", "signals_in")
    figure = figure if figure in FIGURE_KEYS else "signals_in"
    sort = request.GET.get("sorteer", "")
    sort = sort if sort in FIGURE_KEYS else ""
    descending = request.GET.get("richting", "af") != "op"
    prev_start, prev_end = previous_period(start, end)
    # The period before shows only the map's figure: it reads only what that figure needs (its other figures
    # are not the period's, and not shown).
    reads = [ALL_READS, reads_for(WHERE[figure][1])]
    answer, previous_answer = figures_for_periods(scope, [(start, end), (prev_start, prev_end)], now, reads)
    previous = {r["code"]: r for r in previous_answer["neighbourhoods"]}
    outlines = dict(Neighbourhood.objects.filter(municipality_id=scope.municipality_id).values_list("code", "outline"))
    labels = {k: lab for k, lab, _w in FIGURES}
    label = labels[figure]
    rows = [
        {
            "code": r["code"],
            "name": r["name"],
            "district_code": r["district_code"],
            "values": {k: _value(r, k) for k in FIGURE_KEYS},
            "previous": _value(previous[r["code"]], figure) if r["code"] in previous else None,
        }
        for r in answer["neighbourhoods"]
    ]
    if sort:
        rows = _sorted(rows, sort, descending)
    for r in rows:  # the table's cells in column order, so the template does not search for them
        r["cells"] = [(k, labels[k], r["values"][k]) for k in TABLE_COLUMNS]
    municipality = {k: _value(answer["municipality"], k) for k in FIGURE_KEYS}
    areas = [{"name": r["name"], "outline": outlines.get(r["code"]), "value": r["values"][figure]} for r in rows]
    map_json = map_figure(areas, _("niet getoond"))
    trend = monthly_trend(scope, month_of(end))
    trend_json = trend_figure(
        trend["months"],
        [
            (_("Signalen binnen"), trend["counts"]["signals_in"]),
            (_("Op tijd opgepakt"), trend["counts"]["picked_up_in_time"]),
        ],
        _("Aantal signalen"),
    )
    query = {"from": start.isoformat(), "to": end.isoformat(), "figuur": figure}
    top = top_of_ladder(scope, start, end)
    return render(
        request,
        "insight/dashboard.html",
        {
            "start": start,
            "end": end,
            "prev_start": prev_start,
            "prev_end": prev_end,
            "errors": errors,
            "figures": [(k, lab) for k, lab, _w in FIGURES],
            "table_figures": [(k, lab) for k, lab, _w in FIGURES if k in TABLE_FIGURES],
            "figure": figure,
            "figure_label": label,
            "sort": sort,
            "descending": descending,
            "rows": rows,
            "municipality_cells": [(k, labels[k], municipality[k]) for k in TABLE_COLUMNS],
            "municipality_name": answer["municipality"]["name"],
            "previous_municipality": _value(previous_answer["municipality"], figure),
            "trend": trend,
            "trend_rows": list(
                zip(
                    trend["months"],
                    trend["counts"]["signals_in"],
                    trend["counts"]["picked_up_in_time"],
                    trend["rates"]["picked_up_in_time"],
                    strict=True,
                )
            ),
            "map_json": map_json,
            "legend": map_legend(areas),
            "unknown_colour": UNKNOWN_COLOUR,
            "trend_json": trend_json,
            "top": top,
            "top_rows": [(UNBLOCKED_BY[k], v) for k, v in top["ended_by"].items()],
            "query": query,
            "is_partner": scope.is_partner,
            "organisation": request.user.organisation if scope.is_partner else None,  # type: ignore[union-attr]
            "may_download_open_data": request.user.role == Role.MUNICIPALITY,  # type: ignore[union-attr]
            "this_month": month_of(timezone.localdate()).strftime("%Y-%m"),
        },
    )


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        start, end = insight_period(request.GET.get("from"), request.GET.get("to"), today=timezone.localdate())
    except ValueError:
        start, end = insight_period(None, None, today=timezone.localdate())
    answer = neighbourhood_figures(scope, start, end, timezone.now())
    response = HttpResponse(figures_csv(answer), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wijkinzicht-{start}-{end}.csv"'
    return response


@login_required
def open_data(request: HttpRequest) -> HttpResponse:
    """The monthly open-data file; only the municipality publishes its figures."""
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.MUNICIPALITY or user.organisation is None:
        raise PermissionDenied
    try:
        month = parse_month(request.GET.get("maand", ""))
    except MonthError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    text = open_data_csv(user.organisation.municipality, month, now=timezone.now())
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"waakvlam-{user.organisation.municipality.code}-{month:%Y-%m}-tot-{month_end(month):%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
