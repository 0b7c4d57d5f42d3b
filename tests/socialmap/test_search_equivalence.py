"""The search filters, orders, counts and pages in SQL (search.py) and reads a schedule summary kept on each
service (search_summary.py). Here it is held to the plain definition, written out in Python over every
service and its rows: the same services, in the same order, at the same distance, on varied seeded data,
also after the schedules and places change under it."""

from __future__ import annotations

import math
import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.socialmap import factories
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.socialmap import models as m
from waakvlam.socialmap.search import DAYS, Query, haversine_km, neighbourhood_centre, services_find
from waakvlam.socialmap.search_summary import services_schedule_summary_refresh

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
MOMENTS = [datetime(2026, 12, 1, 11, 0, tzinfo=AMS), datetime(2026, 12, 5, 19, 30, tzinfo=AMS)]
# Upper-case letters outside ASCII, which SQL's lower() would not fold alike on SQLite and PostgreSQL.
NAMES = ["Koffie", "koffie", "Één op één", "Ölcafé", "ÿ-groep", "Buurtkamer", "buddy", "Zang", "Ärger", "Inloop"]


def _valid(schedule: m.Schedule, today: date) -> bool:
    return (schedule.valid_from is None or schedule.valid_from <= today) and (
        schedule.valid_to is None or schedule.valid_to >= today
    )


def plain_find(query: Query, *, now: datetime) -> list[tuple[uuid.UUID, float | None]]:
    """The definition: every published, active service of the municipality, tested one by one."""
    today, local = timezone.localdate(now), timezone.localtime(now)
    ranked = []
    services = m.Service.objects.filter(
        municipality_id=query.municipality_id, moderation=m.Moderation.PUBLISHED, status=m.ServiceStatus.ACTIVE
    ).prefetch_related("attributes", "schedules", "service_at_locations__location", "service_at_locations__schedules")
    for svc in services:
        sals = list(svc.service_at_locations.all())
        own_and_at_places = [*svc.schedules.all(), *(x for sal in sals for x in sal.schedules.all())]
        schedules = [s for s in own_and_at_places if _valid(s, today)]
        if query.need and query.need not in {a.taxonomy_term_id for a in svc.attributes.all()}:
            continue
        if query.neighbourhood_id and query.neighbourhood_id not in {sal.location.neighbourhood_id for sal in sals}:
            continue
        if (query.free and not svc.free) or (query.no_referral and svc.access == m.Access.REFERRAL):
            continue
        if query.text and query.text.lower() not in f"{svc.name}\n{svc.description}".lower():
            continue
        if query.day is not None and not any(DAYS[query.day] in s.byday for s in schedules):
            continue
        if query.open_now and not any(
            DAYS[local.weekday()] in s.byday
            and s.opens_at is not None
            and s.closes_at is not None
            and s.opens_at <= local.time() < s.closes_at
            for s in schedules
        ):
            continue
        if query.this_week and not any(
            s.freq in ("WEEKLY", "") or (s.freq == "MONTHLY" and s.byday > "") for s in schedules
        ):
            continue
        distance = None
        if query.origin:
            points = [
                (sal.location.latitude, sal.location.longitude)
                for sal in sals
                if sal.location.latitude is not None and sal.location.longitude is not None
            ]
            distance = min((haversine_km(query.origin, p) for p in points), default=None)
            if query.max_km is not None and (distance is None or distance > query.max_km):
                continue
        ranked.append(
            (not svc.collective, math.inf if distance is None else distance, svc.name.lower(), svc.pk, distance)
        )
    ranked.sort()
    return [(pk, distance) for *_k, pk, distance in ranked]


def _seed(municipality: Municipality, rng: random.Random, hoods: list[Neighbourhood]) -> list[m.Service]:
    services = []
    for _ in range(48):
        hood = rng.choice(hoods)
        centre = neighbourhood_centre(hood) or (52.06, 5.06)
        located = rng.random() < 0.85
        svc = factories.service(
            municipality,
            name=f"{rng.choice(NAMES)} {rng.randint(1, 4)}" if rng.random() < 0.8 else rng.choice(NAMES),
            neighbourhood=hood,
            collective=rng.random() < 0.6,
            free=rng.random() < 0.6,
            access=rng.choice(list(m.Access)),
            byday=",".join(rng.sample(DAYS, rng.randint(1, 3))),
            opens_at=time(rng.randint(8, 18)),
            closes_at=time(rng.randint(19, 22)),
            lat=centre[0] + rng.uniform(-0.02, 0.02) if located else None,
            lon=centre[1] + rng.uniform(-0.03, 0.03) if located else None,
            need_code=rng.choice(["ontmoeting", "geldzaken", "dagbesteding"]),
            moderation=m.Moderation.PUBLISHED if rng.random() < 0.9 else m.Moderation.PENDING,
            status=m.ServiceStatus.ACTIVE if rng.random() < 0.9 else m.ServiceStatus.INACTIVE,
        )
        sal = svc.service_at_locations.get()
        if rng.random() < 0.3:  # a second place, elsewhere
            other = rng.choice(hoods)
            oc = neighbourhood_centre(other) or (52.06, 5.06)
            place = m.Location.objects.create(
                organization=svc.organization, name="Tweede plek", latitude=oc[0], longitude=oc[1], neighbourhood=other
            )
            sal = m.ServiceAtLocation.objects.create(service=svc, location=place)
        kind = rng.random()
        if kind < 0.2:  # a schedule only at a location, dated: valid last year or from next month
            start = date(2025, 1, 1) if rng.random() < 0.5 else date(2026, 12, 1)
            m.Schedule.objects.create(
                service_at_location=sal,
                freq="WEEKLY",
                byday=rng.choice(DAYS),
                valid_from=start,
                valid_to=start + timedelta(days=rng.choice([30, 365])),
                opens_at=time(9),
                closes_at=time(23),
            )
        elif kind < 0.35:  # monthly, or with no day at all
            m.Schedule.objects.create(
                service=svc, freq=rng.choice(["MONTHLY", "MONTHLY", "DAILY"]), byday=rng.choice(["", "1SA"])
            )
        elif kind < 0.45:  # no schedule of its own any more
            svc.schedules.all().delete()
        services.append(svc)
    return services


def _queries(municipality: Municipality, rng: random.Random, hoods: list[Neighbourhood]) -> list[Query]:
    needs = list(m.TaxonomyTerm.objects.values_list("pk", flat=True))
    out = [Query(municipality_id=municipality.pk)]
    for _ in range(60):
        hood = rng.choice(hoods)
        when = rng.random()
        out.append(
            Query(
                municipality_id=municipality.pk,
                need=rng.choice(needs) if rng.random() < 0.5 else None,
                neighbourhood_id=hood.pk if rng.random() < 0.3 else None,
                origin=neighbourhood_centre(rng.choice(hoods)) if rng.random() < 0.7 else None,
                max_km=rng.choice([0.5, 1.0, 2.0, None]),
                day=rng.randrange(7) if when < 0.4 else None,
                open_now=0.4 <= when < 0.6,
                this_week=0.6 <= when < 0.8,
                free=rng.random() < 0.3,
                no_referral=rng.random() < 0.3,
                text=rng.choice(["", "", "", "koffie", "groep"]),
            )
        )
    return out


def _paged(query: Query, now: datetime, size: int) -> tuple[list[tuple[uuid.UUID, float | None]], set[int]]:
    found, totals, offset = [], set(), 0
    while True:
        hits, total = services_find(query, now=now, limit=size, offset=offset)
        totals.add(total)
        if not hits:
            return found, totals
        found += [(h.service.pk, h.distance_km) for h in hits]
        offset += size


def _compare(municipality: Municipality, rng: random.Random, hoods: list[Neighbourhood]) -> tuple[int, int]:
    """(searches compared, of which found more than one page of five)"""
    compared = several = 0
    for query in _queries(municipality, rng, hoods):
        if query.origin is None:
            query = Query(**{**query.__dict__, "max_km": None})
        for now in MOMENTS:
            expected = plain_find(query, now=now)
            found, totals = _paged(query, now, size=rng.choice([5, 7, 20]))
            assert [pk for pk, _d in found] == [pk for pk, _d in expected], query
            for (_a, got), (_b, want) in zip(found, expected, strict=True):
                assert (got is None) == (want is None) and (got is None or math.isclose(got, want, rel_tol=1e-12))
            assert totals == {len(expected)}, query
            compared, several = compared + 1, several + (len(expected) > 5)
    return compared, several


def test_search_is_the_plain_definition_on_varied_data(town: Municipality) -> None:
    rng = random.Random(20261204)
    hoods = list(Neighbourhood.objects.filter(municipality=town).order_by("code")[:4])
    services = _seed(town, rng, hoods)
    compared, several = _compare(town, rng, hoods)
    assert compared == 122 and several > 15
    # The summary follows the schedules and places as they change under it.
    for svc in rng.sample(services, 10):
        schedule = m.Schedule.objects.filter(service=svc).first()
        if schedule is not None:
            schedule.byday, schedule.valid_to = rng.choice(DAYS), rng.choice([None, date(2026, 11, 1)])
            schedule.save()
    moved = m.Schedule.objects.filter(service__isnull=False).first()
    assert moved is not None
    moved.service = services[-1]
    moved.service_at_location = None
    moved.save()
    m.ServiceAtLocation.objects.filter(service__in=services[:5]).delete()
    for svc in services[5:10]:
        svc.name = svc.name.upper()
        svc.save(update_fields=["name"])
    assert _compare(town, rng, hoods)[1] > 15


def test_bulk_written_services_are_found_once_refreshed(town: Municipality) -> None:
    """A bulk write (the benchmark's seed) bypasses the receivers and refreshes the summary itself."""
    svc = factories.service(town, name="Koffie", byday="WE")
    m.Schedule.objects.bulk_create([m.Schedule(service=svc, freq="WEEKLY", byday="FR")])
    friday = Query(municipality_id=town.pk, day=4)
    assert services_find(friday, now=MOMENTS[0])[1] == 0
    assert services_schedule_summary_refresh([svc.pk]) == 1
    assert [h.service.pk for h in services_find(friday, now=MOMENTS[0])[0]] == [svc.pk]
