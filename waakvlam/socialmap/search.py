"""Finding something for a resident: by need, neighbourhood, walking distance, day and time, free of
charge, without referral. Collective offers always come before individual ones; then the nearest.

The database narrows the candidates (filters and a bounding box around the resident); the exact distance
(haversine) and the ordering are computed here over that narrowed set, so a search over ten thousand
services stays well under 100 ms (bench/socialmap.py)."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waakvlam.core.models import Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.selectors import public_services

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = (_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"), _("zondag"))
EARTH_KM = 6371.0
MAX_RESULTS = 50


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


def _scheduled_ids(*conditions: Q, **filters: object) -> set[uuid.UUID]:
    """The services with a schedule (their own, or at one of their locations) that matches: one scan of
    the schedules, joined in Python, rather than a correlated subquery per service."""
    found: set[uuid.UUID] = set()
    for own, at_location in m.Schedule.objects.filter(*conditions, **filters).values_list(
        "service_id", "service_at_location__service_id"
    ):
        found.update(pk for pk in (own, at_location) if pk is not None)
    return found


def _valid(now: datetime) -> Q:
    today = timezone.localdate(now)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def services_find(query: Query, *, now: datetime, limit: int = MAX_RESULTS) -> tuple[list[Hit], int]:
    """The services that match, collective first and then nearest; and how many matched in all."""
    qs = public_services(query.municipality_id).filter(status=m.ServiceStatus.ACTIVE)
    if query.need:
        qs = qs.filter(pk__in=m.ServiceAttribute.objects.filter(taxonomy_term_id=query.need).values("service_id"))
    if query.neighbourhood_id:
        qs = qs.filter(
            pk__in=m.ServiceAtLocation.objects.filter(location__neighbourhood_id=query.neighbourhood_id).values(
                "service_id"
            )
        )
    if query.free:
        qs = qs.filter(free=True)
    if query.no_referral:
        qs = qs.exclude(access=m.Access.REFERRAL)
    if query.text:
        qs = qs.filter(Q(name__icontains=query.text) | Q(description__icontains=query.text))
    local, valid = timezone.localtime(now), _valid(now)
    timed: list[set[uuid.UUID]] = []
    if query.day is not None:
        timed.append(_scheduled_ids(valid, byday__contains=DAYS[query.day]))
    if query.open_now:
        timed.append(
            _scheduled_ids(
                valid, byday__contains=DAYS[local.weekday()], opens_at__lte=local.time(), closes_at__gt=local.time()
            )
        )
    if query.this_week:
        # Weekly (or undated) schedules come round every week; a monthly one only when its day falls in it.
        timed.append(
            _scheduled_ids(valid, freq__in=["WEEKLY", ""]) | _scheduled_ids(valid, freq="MONTHLY", byday__gt="")
        )
    rows = [row for row in qs.values_list("pk", "collective", "name") if all(row[0] in ids for ids in timed)]
    places = _places(qs, query) if query.origin else {}
    ranked: list[tuple[bool, float, str, uuid.UUID, float | None]] = []
    for pk, collective, name in rows:
        distance = None
        if query.origin:
            points = places.get(pk, [])
            distance = min((haversine_km(query.origin, p) for p in points), default=None)
            if query.max_km is not None and (distance is None or distance > query.max_km):
                continue
        ranked.append((not collective, distance if distance is not None else math.inf, name.lower(), pk, distance))
    ranked.sort()
    top = ranked[:limit]
    services = {
        s.pk: s
        for s in m.Service.objects.filter(pk__in=[r[3] for r in top])
        .select_related("organization")
        .prefetch_related(
            "schedules", "service_at_locations__location__neighbourhood", "service_at_locations__location__addresses"
        )
    }
    return [Hit(services[r[3]], r[4]) for r in top], len(ranked)


def _places(candidates: QuerySet[m.Service], query: Query) -> dict[uuid.UUID, list[tuple[float, float]]]:
    """Coordinates of the candidates' locations, inside a box around the origin when a radius is given."""
    qs = m.ServiceAtLocation.objects.filter(
        location__latitude__isnull=False, location__longitude__isnull=False, service__in=candidates.values("pk")
    )
    if query.origin and query.max_km is not None:
        lat, lon = query.origin
        dlat = query.max_km / 111.0
        dlon = query.max_km / (111.0 * max(0.01, math.cos(math.radians(lat))))
        qs = qs.filter(
            location__latitude__range=(lat - dlat, lat + dlat), location__longitude__range=(lon - dlon, lon + dlon)
        )
    out: dict[uuid.UUID, list[tuple[float, float]]] = defaultdict(list)
    for service_id, lat2, lon2 in qs.values_list("service_id", "location__latitude", "location__longitude"):
        if lat2 is not None and lon2 is not None:
            out[service_id].append((lat2, lon2))
    return out


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
