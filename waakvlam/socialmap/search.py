"""Finding something for a resident: by need, neighbourhood, walking distance, day and time, free of
charge, without referral. Collective offers always come before individual ones; then the nearest.

Everything happens in SQL: the filters (the schedule ones read a summary kept on each service,
search_summary.py), the exact distance (haversine, the same arithmetic as `haversine_km`), the order, the
count and the page; only the page's services are loaded, with what their cards show. bench/socialmap.py
measures it over 10,000 services; tests/socialmap/test_search_equivalence.py holds it to the plain
definition written out in Python."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import connection
from django.db.models import Count, F, FloatField, Min, Prefetch, Q, QuerySet, Value, Window, prefetch_related_objects
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Collate, Cos, Least, Power, Sin, Sqrt
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap import search_summary as summary
from waakvlam.socialmap.selectors import public_services

DAYS = summary.DAYS
DAY_NAMES = (_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag"))
EARTH_KM = 6371.0
DEGREE = math.pi / 180.0  # what math.radians multiplies by
PAGE_SIZE = 20  # a result page: what a steward reads before narrowing the search


@dataclass(frozen=True)
class Query:
    municipality_id: int
    need: uuid.UUID | None = None
    neighbourhood_id: int | None = None
    origin: tuple[float, float] | None = None  # (latitude, longitude)
    max_km: float | None = None
    day: int | None = None  # 0 = Monday
    open_now: bool = False
    this_week: bool = False
    free: bool = False
    no_referral: bool = False
    text: str = ""
    collective_only: bool = False


@dataclass
class Hit:
    service: m.Service
    distance_km: float | None = None
    days: list[int] = field(default_factory=list)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def neighbourhood_centre(hood: Neighbourhood) -> tuple[float, float] | None:
    """The middle of a neighbourhood's outline (GeoJSON, longitude first): where a resident is taken to
    live as long as addresses carry no coordinates of their own."""
    outline = hood.outline or {}
    try:
        ring = outline["coordinates"][0]
        lons, lats = [p[0] for p in ring[:-1] or ring], [p[1] for p in ring[:-1] or ring]
        return (sum(lats) / len(lats), sum(lons) / len(lons))
    except (KeyError, IndexError, TypeError, ZeroDivisionError):
        return None


def _scheduled(now: datetime, *conditions: Q, **filters: object) -> Q:
    """Has a valid schedule (its own, or at one of its locations) that matches, checked against the
    schedules themselves: two uncorrelated IN subqueries, which PostgreSQL hashes once."""
    schedules = m.Schedule.objects.filter(_valid(now), *conditions, **filters)
    return Q(pk__in=schedules.filter(service__isnull=False).values("service_id")) | Q(
        pk__in=schedules.filter(service_at_location__isnull=False).values("service_at_location__service_id")
    )


def _on_day(day: int) -> Q:
    return Q(**{f"_day_{day}__gt": 0})


def _valid(now: datetime) -> Q:
    today = timezone.localdate(now)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def _distance_km(origin: tuple[float, float], location: str) -> Combinable:
    """haversine_km from the origin to a location, in SQL, term by term as the Python one computes it (the
    same operations in the same order on the same libm), so both agree to the last bit."""
    lat1, lon1 = (v * DEGREE for v in origin)
    lat2, lon2 = F(f"{location}__latitude") * Value(DEGREE), F(f"{location}__longitude") * Value(DEGREE)
    half_dlat, half_dlon = (lat2 - Value(lat1)) / Value(2.0), (lon2 - Value(lon1)) / Value(2.0)
    h = Power(Sin(half_dlat), 2) + Value(math.cos(lat1)) * Cos(lat2) * Power(Sin(half_dlon), 2)
    return Value(2 * EARTH_KM) * ASin(Least(Value(1.0), Sqrt(h)), output_field=FloatField())


def _within_box(query: Query) -> Q:
    """Has a location inside a box around the origin that holds the whole radius: a cheap, indexed
    narrowing before the exact distance is computed."""
    assert query.origin is not None and query.max_km is not None
    lat, lon = query.origin
    dlat = query.max_km / 111.0
    dlon = query.max_km / (111.0 * max(0.01, math.cos(math.radians(lat))))
    return Q(
        pk__in=m.ServiceAtLocation.objects.filter(
            location__latitude__range=(lat - dlat, lat + dlat), location__longitude__range=(lon - dlon, lon + dlon)
        ).values("service_id")
    )


def services_matching(query: Query, *, now: datetime) -> QuerySet[m.Service]:
    """Every filter of the search, in SQL."""
    qs = public_services(query.municipality_id).filter(status=m.ServiceStatus.ACTIVE)
    if query.need:
        qs = qs.filter(pk__in=m.ServiceAttribute.objects.filter(taxonomy_term_id=query.need).values("service_id"))
    if query.neighbourhood_id:
        qs = qs.filter(
            pk__in=m.ServiceAtLocation.objects.filter(location__neighbourhood_id=query.neighbourhood_id).values(
                "service_id"
            )
        )
    if query.collective_only:
        qs = qs.filter(collective=True)
    if query.free:
        qs = qs.filter(free=True)
    if query.no_referral:
        qs = qs.exclude(access=m.Access.REFERRAL)
    if query.text:
        qs = qs.filter(Q(name__icontains=query.text) | Q(description__icontains=query.text))
    # The schedule filters read the summary kept on the service (search_summary.py); only services with a
    # dated schedule, whose validity depends on today, are checked against their schedules.
    local, dated = timezone.localtime(now), Q(schedule_dated=True)
    for day in {d for d in (query.day, local.weekday() if query.open_now else None) if d is not None}:
        qs = qs.alias(**{f"_day_{day}": F("schedule_days").bitand(summary.day_bit(day))})
    if query.day is not None:
        qs = qs.filter(_on_day(query.day) | dated & _scheduled(now, byday__contains=DAYS[query.day]))
    if query.open_now:
        # The hours are only on the schedules: the summary narrows, the schedules decide.
        qs = qs.filter(_on_day(local.weekday()) | dated).filter(
            _scheduled(
                now, byday__contains=DAYS[local.weekday()], opens_at__lte=local.time(), closes_at__gt=local.time()
            )
        )
    if query.this_week:
        # Weekly (or undated) schedules come round every week; a monthly one only when its day falls in it.
        qs = qs.filter(
            Q(schedule_weekly=True)
            | dated & (_scheduled(now, freq__in=["WEEKLY", ""]) | _scheduled(now, freq="MONTHLY", byday__gt=""))
        )
    if query.origin and query.max_km is not None:
        qs = qs.filter(_within_box(query))
    return qs


def services_find(query: Query, *, now: datetime, limit: int = PAGE_SIZE, offset: int = 0) -> tuple[list[Hit], int]:
    """One page of the services that match, collective first, then nearest, then by name; and how many
    matched in all. One query filters, orders, counts (a window over the matches) and cuts out the page;
    the page's schedules, places and contacts follow in one query each."""
    qs = services_matching(query, now=now).select_related("organization")
    if query.origin:
        # The nearest location with coordinates: one join and a MIN per service (a correlated subquery
        # per service costs PostgreSQL's planner enough to switch its JIT compiler on, 200 ms a search).
        place = "service_at_locations__location"
        located = Q(**{f"{place}__latitude__isnull": False, f"{place}__longitude__isnull": False})
        qs = qs.annotate(distance=Min(_distance_km(query.origin, place), filter=located))
        if query.max_km is not None:
            qs = qs.filter(distance__lte=query.max_km)
    else:
        qs = qs.annotate(distance=Value(None, output_field=FloatField()))
    name_order = Collate("name_key", "C") if connection.vendor == "postgresql" else F("name_key")
    page = list(
        qs.annotate(total=Window(Count("pk"))).order_by(
            "-collective", F("distance").asc(nulls_last=True), name_order, "pk"
        )[offset : offset + limit]
    )
    if not page:
        # Past the last page (or nothing matched): the count still answers.
        return [], qs.count() if offset else 0
    prefetch_related_objects(page, *PAGE_SHOWS)
    return [Hit(s, s.distance) for s in page], page[0].total  # type: ignore[attr-defined]


# What a result card shows (templates/socialmap/_service_card.html): one query each for the whole page.
PAGE_SHOWS = (
    "schedules",
    Prefetch("service_at_locations", m.ServiceAtLocation.objects.select_related("location")),
    "service_at_locations__location__addresses",
    "contacts__phones",
)


def schedule_text(schedule: m.Schedule) -> str:
    """A schedule in words ("dinsdag en donderdag 10:00 tot 12:00"), for lists and the printed page."""
    days = [str(DAY_NAMES[DAYS.index(d)]) for d in schedule.byday.split(",") if d.strip() in DAYS]
    when = ", ".join(days[:-1]) + (f" {_('en')} " if len(days) > 1 else "") + (days[-1] if days else "")
    hours = ""
    if schedule.opens_at and schedule.closes_at:
        hours = f"{schedule.opens_at:%H:%M} - {schedule.closes_at:%H:%M}"
    prefix = str(_("elke")) + " " if schedule.freq == "WEEKLY" and schedule.interval in (None, 1) and days else ""
    if schedule.freq == "WEEKLY" and schedule.interval and schedule.interval > 1 and days:
        prefix = str(_("om de %(n)d weken") % {"n": schedule.interval}) + " "
    if schedule.freq == "MONTHLY" and days:
        prefix = str(_("maandelijks")) + ", "
    text = f"{prefix}{when} {hours}".strip()
    return text or schedule.description


def is_open_at(schedule: m.Schedule, moment: datetime) -> bool:
    local = timezone.localtime(moment)
    opens, closes = schedule.opens_at or time(0), schedule.closes_at or time(23, 59)
    return DAYS[local.weekday()] in schedule.byday and opens <= local.time() < closes
