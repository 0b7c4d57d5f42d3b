"""What the search needs to know about a service's schedules, kept on the service itself, so that a search
over ten thousand services reads one table instead of hashing every schedule per request.

`schedule_days` holds a bit per weekday (Monday = 1) on which one of its undated schedules (its own, or at
one of its locations) runs; `schedule_weekly` says whether one of those comes round every week (the
search's "this week"); `schedule_dated` whether it has any schedule with a start or end date, whose
validity depends on the day of the search and is therefore checked against the schedules themselves.

Every save and delete of a schedule or a service-at-location refreshes the services it touches (the
receivers below, connected in apps.py); bulk writes call `services_schedule_summary_refresh` themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from waakvlam.socialmap import models as m

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def day_bit(day: int) -> int:
    return 1 << day


def _comes_weekly(freq: str, byday: str) -> bool:
    # As the search defines "this week": weekly or undated-frequency schedules, and monthly ones on a day.
    return freq in ("WEEKLY", "") or (freq == "MONTHLY" and byday > "")


def services_schedule_summary_refresh(service_ids: Iterable[uuid.UUID]) -> int:
    """Recompute the summary of these services from their schedules; returns how many were written."""
    ids = {pk for pk in service_ids if pk is not None}
    if not ids:
        return 0
    summary: dict[uuid.UUID, list[Any]] = {pk: [0, False, False] for pk in ids}
    rows = m.Schedule.objects.filter(Q(service_id__in=ids) | Q(service_at_location__service_id__in=ids)).values_list(
        "service_id", "service_at_location__service_id", "byday", "freq", "valid_from", "valid_to"
    )
    for own, at_location, byday, freq, valid_from, valid_to in rows:
        for pk in {own, at_location} & ids:
            entry = summary[pk]
            if valid_from is not None or valid_to is not None:
                entry[2] = True
                continue
            entry[0] |= sum(day_bit(d) for d, code in enumerate(DAYS) if code in byday)
            entry[1] = entry[1] or _comes_weekly(freq, byday)
    services = list(m.Service.objects.filter(pk__in=ids).only("pk"))
    for service in services:
        service.schedule_days, service.schedule_weekly, service.schedule_dated = summary[service.pk]
    m.Service.objects.bulk_update(services, ["schedule_days", "schedule_weekly", "schedule_dated"], batch_size=1000)
    return len(services)


def _services_of_schedule(schedule: m.Schedule) -> set[uuid.UUID]:
    ids = {schedule.service_id} if schedule.service_id else set()
    if schedule.service_at_location_id:
        ids |= set(
            m.ServiceAtLocation.objects.filter(pk=schedule.service_at_location_id).values_list("service_id", flat=True)
        )
    # The services it belonged to before this save (a schedule moved to another service).
    before: set[uuid.UUID] = getattr(schedule, "_summary_services", set())
    return ids | before


def schedule_pre_save(sender: type, instance: m.Schedule, raw: bool = False, **_: Any) -> None:
    if instance.pk and not instance._state.adding:
        old = m.Schedule.objects.filter(pk=instance.pk).values_list("service_id", "service_at_location__service_id")
        instance._summary_services = {pk for row in old for pk in row if pk}  # type: ignore[attr-defined]


def schedule_changed(sender: type, instance: m.Schedule, **_: Any) -> None:
    services_schedule_summary_refresh(_services_of_schedule(instance))


def service_at_location_pre_save(sender: type, instance: m.ServiceAtLocation, **_: Any) -> None:
    if instance.pk and not instance._state.adding:
        old = m.ServiceAtLocation.objects.filter(pk=instance.pk).values_list("service_id", flat=True)
        instance._summary_services = set(old)  # type: ignore[attr-defined]


def service_at_location_changed(sender: type, instance: m.ServiceAtLocation, **_: Any) -> None:
    services_schedule_summary_refresh({instance.service_id, *getattr(instance, "_summary_services", set())})
