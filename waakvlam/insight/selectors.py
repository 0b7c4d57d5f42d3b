"""Figures per neighbourhood for a period, read from the rollups and scoped to who asks.

The municipality's analysts see every organisation's figures summed; a partner organisation (a housing
association, a care provider) sees only its own: the signals it reported, the contact plans it runs and the
handovers it sent. Signallers and everyone else see none. Only counts leave this module, suppressed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Q

from waakvlam.core.models import Municipality, Neighbourhood, User
from waakvlam.core.roles import OrganisationKind, Role
from waakvlam.insight.facts import SIGNAL_SUMS as SIGNAL_MEASURES
from waakvlam.insight.models import (
    ALL_ORGANISATIONS,
    CareCell,
    SignalCell,
    StateCell,
)
from waakvlam.insight.percentiles import TOTAL, exact_percentiles
from waakvlam.insight.ranges import signed_sum, signed_terms, until
from waakvlam.insight.suppression import Table, suppress
from waakvlam.intake.models import Category, Outcome, SourceKind

PARTNER_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER})
COUNTS = (
    *SIGNAL_MEASURES,
    "stuck",
    "contacts_made",
    "contacts_attempted",
    "plans_started",
    "plans_ended",
    "plans_running",
    "plans_overdue",
    "handovers",
    "handovers_first_contact_in_time",
)
# The later capabilities' figures (insight/casework.py), published after the first ones: the CSV and the
# open-data file add their columns at the end, so existing columns keep their place.
CASEWORK_COUNTS = (
    "referrals_made",
    "referrals_connected",
    "referrals_collective",
    "case_conferences",
    "tasks_due",
    "tasks_done_in_time",
    "area_alarms",
    "area_meetings",
)
ALL_COUNTS = (*COUNTS, *CASEWORK_COUNTS)
BREAKDOWNS = {"category": "signals_in_by_category", "source": "signals_in_by_source", "outcome": "outcomes"}
# What a CareCell's a and b are, by dim (c, first contact made at all, is kept for later figures; None: b
# is not kept for that dim).
CARE_NAMES: dict[str, tuple[str, str | None]] = {
    "contacts": ("contacts_made", "contacts_attempted"),
    "plans": ("plans_started", "plans_ended"),
    "handovers": ("handovers", "handovers_first_contact_in_time"),
    "referrals": ("referrals_made", "referrals_connected"),
    "collective": ("referrals_collective", None),
    "cases": ("case_conferences", None),
    "tasks": ("tasks_due", "tasks_done_in_time"),
    "alarms": ("area_alarms", "area_meetings"),
}
# Every code of a breakdown is always present, so the CSV's columns never depend on the data.
BREAKDOWN_KEYS = {
    "category": [str(v) for v in Category.values],
    "source": [str(v) for v in SourceKind.values],
    "outcome": [str(v) for v in Outcome.values],
}
TOTAL_KEY = TOTAL  # the municipality's row in the per-row dictionaries
# The reads of a period besides the figures of now (stuck, flames going out). publish's groups never join the
# counts of two reads, so the counts of one read are suppressed alike whether or not the others were read: a
# caller that shows only some figures (the page's period before) reads only what those need (reads_for).
SIGNALS, CARE, RUNNING, PERCENTILES = "signals", "care", "running", "percentiles"
ALL_READS = frozenset({SIGNALS, CARE, RUNNING, PERCENTILES})


class InsightDenied(Exception):
    """This user sees no insight figures at all (403)."""


@dataclass(frozen=True)
class Scope:
    municipality_id: int
    organisation_id: int  # 0: every organisation, summed (the municipality)

    @property
    def is_partner(self) -> bool:
        return self.organisation_id != ALL_ORGANISATIONS


def insight_scope_for(user: User) -> Scope:
    """The municipality sees all, a partner organisation its own; anyone else is denied."""
    if not user.is_authenticated or not user.organisation_id or user.organisation is None:
        raise InsightDenied
    if user.role == Role.MUNICIPALITY:
        return Scope(user.municipality_id, ALL_ORGANISATIONS)
    if user.role in PARTNER_ROLES and user.organisation.kind != OrganisationKind.MUNICIPALITY:
        return Scope(user.municipality_id, user.organisation_id)
    raise InsightDenied


def may_see_insight(user: User) -> bool:
    try:
        insight_scope_for(user)
    except InsightDenied:
        return False
    return True


def percentile(histogram: Counter[int], share_tenths: int) -> int | None:
    """The smallest value whose cumulative share reaches share_tenths/10 (SQL's percentile_disc)."""
    n = sum(histogram.values())
    if n == 0:
        return None
    cumulative = 0
    for value in sorted(histogram):
        cumulative += histogram[value]
        if cumulative * 10 >= share_tenths * n:
            return value
    return None  # unreachable: the last value's cumulative share is 1


@dataclass
class RawFigures:
    """Unsuppressed counts per neighbourhood id (0: none) before they are published, and the exact median
    and 90th percentile of the time to pickup (tenths of an hour) per neighbourhood and (TOTAL_KEY) overall."""

    counts: dict[int, Counter[str]]
    breakdowns: dict[str, dict[int, Counter[str]]]
    percentiles: dict[int, tuple[int | None, int | None]]


def _fetch(queryset: Any) -> list[tuple[Any, ...]]:
    """The queryset's rows as plain tuples, in the order of its values(): a few thousand rows per answer,
    and Django's per-value converters were a large part of the request's time."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def pickup_percentiles(base: Q, start: date, end: date) -> dict[int, tuple[int | None, int | None]]:
    """The exact median and 90th percentile per neighbourhood and (TOTAL_KEY) overall: the period's bucket
    cells summed in the database, then the fine rows of only the buckets the percentiles fall in
    (insight/percentiles.py)."""
    # A frequency table subtracts exactly, like the counts: the same signed terms.
    per_hood, total = exact_percentiles(base, signed_terms(start, end))
    return {**per_hood, TOTAL_KEY: total} if per_hood else {}


def reads_for(name: str) -> frozenset[str]:
    """The reads a published figure depends on, by its name in the answer (a count, a rate's numerator, or
    median_hours_to_pickup / p90_hours_to_pickup)."""
    if name in SIGNAL_MEASURES:
        return frozenset({SIGNALS})
    if name in ("median_hours_to_pickup", "p90_hours_to_pickup"):  # shown only over enough pickups
        return frozenset({SIGNALS, PERCENTILES})
    if name == "plans_running":
        return frozenset({RUNNING})
    if name in ("stuck", "plans_overdue"):  # the figures of now
        return frozenset()
    if any(name in names for names in CARE_NAMES.values()):
        return frozenset({CARE})
    raise KeyError(name)


def raw_figures(
    scope: Scope,
    start: date,
    end: date,
    now: datetime,
    *,
    states: dict[int, Counter[str]] | None = None,
    reads: frozenset[str] = ALL_READS,
) -> RawFigures:
    """states: the figures of now (_now_figures) when the caller read them already, for another period.
    reads: which of the period's reads to make (the counts of the others stay 0)."""
    base = Q(municipality_id=scope.municipality_id, organisation_id=scope.organisation_id)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    breakdowns: dict[str, dict[int, Counter[str]]] = {dim: defaultdict(Counter) for dim in BREAKDOWNS}
    terms = signed_terms(start, end)  # edge months and years read whichever way touches fewer rows
    if SIGNALS in reads:
        rows = signed_sum(SignalCell, base, terms, ["neighbourhood_id", "dim", "value"], list(SIGNAL_MEASURES))
        for hood, dim, value, *measures in rows:
            if dim == "all":
                counts[hood].update(dict(zip(SIGNAL_MEASURES, measures, strict=True)))
            elif dim in breakdowns:
                breakdowns[dim][hood][value] += measures[4 if dim == "outcome" else 0]  # closed, else signals_in
    if CARE in reads:
        for hood, dim, sa, sb in signed_sum(CareCell, base, terms, ["neighbourhood_id", "dim"], ["a", "b"]):
            a, b = CARE_NAMES[dim]
            counts[hood][a] += sa
            if b is not None:
                counts[hood][b] += sb
    if RUNNING in reads:
        for hood, sa, sb in signed_sum(CareCell, base & Q(dim="plans"), until(end), ["neighbourhood_id"], ["a", "b"]):
            counts[hood]["plans_running"] += sa - sb
    if states is None:
        _now_figures(scope, now, counts)
    else:
        for hood, values in states.items():
            counts[hood].update(values)
    return RawFigures(counts, breakdowns, pickup_percentiles(base, start, end) if PERCENTILES in reads else {})


def _now_figures(scope: Scope, now: datetime, counts: dict[int, Counter[str]]) -> None:
    """States rather than counts over the period: the stuck signals and the flames going out as the worker's
    last pass found them (insight/spells.py: reading them live meant scanning the open signals, and looking up
    every overdue plan's neighbourhood, on every request). `now` is the request's; the states are the pass's."""
    states = StateCell.objects.filter(municipality_id=scope.municipality_id, organisation_id=scope.organisation_id)
    for hood, stuck, overdue in states.values_list("neighbourhood_id", "stuck", "plans_overdue"):
        counts[hood]["stuck"] += stuck
        counts[hood]["plans_overdue"] += overdue


def _total(per_hood: dict[int, Counter[Any]]) -> Counter[Any]:
    total: Counter[Any] = Counter()
    for values in per_hood.values():
        total.update(values)
    return total


# Pairs (part, total) whose complement (total - part) is never published but follows from the two.
COMPLEMENTS = (
    ("picked_up", "signals_in"),
    ("picked_up_in_time", "picked_up"),
    ("escalated", "signals_in"),
    ("closed", "signals_in"),
    ("handovers_first_contact_in_time", "handovers"),
    ("referrals_connected", "referrals_made"),
    ("referrals_collective", "referrals_made"),
    ("tasks_done_in_time", "tasks_due"),
)


@dataclass(frozen=True)
class Area:
    pk: int
    code: str
    name: str
    district_code: str = ""


def neighbourhood_figures(scope: Scope, start: date, end: date, now: datetime) -> dict[str, Any]:
    """INTERFACE.md's answer for GET /api/v1/insight/neighbourhoods, suppressed."""
    return figures_for_periods(scope, [(start, end)], now)[0]


def figures_for_periods(
    scope: Scope, periods: list[tuple[date, date]], now: datetime, reads: list[frozenset[str]] | None = None
) -> list[dict[str, Any]]:
    """neighbourhood_figures for several periods (the page's period and the one before): the areas and the
    figures of now (stuck, flames going out) are read once, they do not depend on the period.

    reads: per period, the reads to make (reads_for); the figures that need others are then not the answer's."""
    hoods, municipality = _areas(scope.municipality_id)
    states: dict[int, Counter[str]] = defaultdict(Counter)
    _now_figures(scope, now, states)
    return [
        publish(raw_figures(scope, start, end, now, states=states, reads=wanted), hoods, municipality, start, end)
        for (start, end), wanted in zip(periods, reads or [ALL_READS] * len(periods), strict=True)
    ]


def _areas(municipality_id: int) -> tuple[list[Area], Area]:
    """The neighbourhoods in the answer's order, and the municipality; without the outlines (GeoJSON), which
    only the map needs."""
    code, name = Municipality.objects.filter(pk=municipality_id).values_list("code", "name").get()
    hoods = [
        Area(*row)
        for row in Neighbourhood.objects.filter(municipality_id=municipality_id)
        .order_by("district__code", "code")
        .values_list("pk", "code", "name", "district__code")
    ]
    return hoods, Area(TOTAL_KEY, code, name)


def publish(raw: RawFigures, hoods: list[Area], municipality: Area, start: date, end: date) -> dict[str, Any]:
    """The answer from unsuppressed figures: primary and secondary suppression, rates, percentiles."""
    row_ids = [h.pk for h in hoods]
    all_rows = [*row_ids, TOTAL_KEY]
    empty: Counter[Any] = Counter()
    counts = {h: raw.counts.get(h, empty) for h in row_ids}
    counts[TOTAL_KEY] = _total(raw.counts)
    breakdowns = {dim: {h: per.get(h, empty) for h in row_ids} for dim, per in raw.breakdowns.items()}
    for dim, per in raw.breakdowns.items():
        breakdowns[dim][TOTAL_KEY] = _total(per)
    keys = BREAKDOWN_KEYS

    # Every count is a position in one table (suppression.Table), not an object: the same groups as ever.
    table = Table()
    cells: dict[int, dict[str, int]] = {}
    bcells: dict[int, dict[str, dict[str, int]]] = {}
    for r in all_rows:
        row_counts = counts[r]
        cells[r] = dict(zip(ALL_COUNTS, table.extend([row_counts[m] for m in ALL_COUNTS]), strict=True))
        bcells[r] = {}
        for dim in BREAKDOWNS:
            parts = breakdowns[dim][r]
            bcells[r][dim] = dict(zip(keys[dim], table.extend([parts[k] for k in keys[dim]]), strict=True))
    values = table.values
    groups: list[tuple[int, list[int]]] = []

    def with_remainder(total: int, parts: list[int]) -> tuple[int, list[int]]:
        # The never-published rest of a total (e.g. signals without a neighbourhood).
        return total, [*parts, table.hidden(values[total] - sum(values[p] for p in parts))]

    for m in ALL_COUNTS:  # each neighbourhood against the municipality, the rest hidden (no neighbourhood)
        groups.append(with_remainder(cells[TOTAL_KEY][m], [cells[r][m] for r in row_ids]))
    for dim in BREAKDOWNS:
        for k in keys[dim]:
            groups.append(with_remainder(bcells[TOTAL_KEY][dim][k], [bcells[r][dim][k] for r in row_ids]))
    for r in all_rows:
        for dim in BREAKDOWNS:  # the categories (sources, outcomes) of a row against its total
            total = cells[r]["closed" if dim == "outcome" else "signals_in"]
            groups.append(with_remainder(total, list(bcells[r][dim].values())))
        for part, whole in COMPLEMENTS:
            groups.append((cells[r][whole], [cells[r][part], table.hidden(counts[r][whole] - counts[r][part])]))
    suppress(table, groups)
    shown = table.shown

    def row(r: int) -> dict[str, Any]:
        c = cells[r]
        enough = not table.suppressed[c["picked_up"]] and values[c["picked_up"]] >= 10
        median, p90 = raw.percentiles.get(r, (None, None)) if enough else (None, None)
        return {
            "counts": {m: shown(c[m]) for m in ALL_COUNTS},
            **{BREAKDOWNS[dim]: {k: shown(cell) for k, cell in bcells[r][dim].items()} for dim in BREAKDOWNS},
            "rates": {
                "picked_up_in_time": table.rate(c["picked_up_in_time"], c["signals_in"]),
                "picked_up": table.rate(c["picked_up"], c["signals_in"]),
                "escalated": table.rate(c["escalated"], c["signals_in"]),
                "handovers_first_contact_in_time": table.rate(c["handovers_first_contact_in_time"], c["handovers"]),
                "referrals_connected": table.rate(c["referrals_connected"], c["referrals_made"]),
                "referrals_collective": table.rate(c["referrals_collective"], c["referrals_made"]),
                "tasks_done_in_time": table.rate(c["tasks_done_in_time"], c["tasks_due"]),
            },
            "median_hours_to_pickup": None if median is None else median / 10,
            "p90_hours_to_pickup": None if p90 is None else p90 / 10,
        }

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "neighbourhoods": [
            {"code": h.code, "name": h.name, "district_code": h.district_code, **row(h.pk)} for h in hoods
        ],
        "municipality": {"code": municipality.code, "name": municipality.name, **row(TOTAL_KEY)},
    }
