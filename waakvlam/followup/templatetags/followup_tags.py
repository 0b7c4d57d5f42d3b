"""Template helpers for the stuck page: due times and dates read the same way."""

from __future__ import annotations

from datetime import date, datetime, time

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from waakvlam.core.templatetags.ui import datumtijdkort
from waakvlam.followup.kinds import FollowUpKind

register = template.Library()


def _moment(value: date | datetime) -> datetime:
    """A due date counts as late from the start of the next day, local time."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max, tzinfo=timezone.get_current_timezone())


@register.filter
def late_since(due: date | datetime | None, now: datetime | None) -> str:
    if due is None or now is None or _moment(due) > now:
        return "—"
    return timesince(_moment(due), now, depth=2)


@register.filter
def due_text(due: date | datetime) -> str:
    """The due time in the table's compact form (docs/ui-conventions.md, "Dates")."""
    return datumtijdkort(due)


@register.filter
def what_label(value: str, kind: FollowUpKind) -> str:
    return kind.stuck.what_label(value) if value else "—"
