from __future__ import annotations

from django import template

from waakvlam.socialmap import models as m
from waakvlam.socialmap.search import schedule_text

register = template.Library()


@register.filter
def when(service: m.Service) -> str:
    """All of a service's times in words ("elke dinsdag 10:00 - 12:00; elke donderdag …")."""
    return "; ".join(t for t in (schedule_text(s) for s in service.schedules.all()) if t)


@register.filter
def where(service: m.Service) -> str:
    parts = []
    for sal in service.service_at_locations.all():
        location = sal.location
        address = next(iter(location.addresses.all()), None)
        parts.append(", ".join(p for p in (location.name, address.address_1 if address else "") if p))
    return "; ".join(parts)


@register.filter
def km(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.0f} m" if value < 1 else f"{value:.1f} km".replace(".", ",")
