"""What the apps above households add to a household: who else may open its page, and what its timeline shows.

Households sits below contact and handover, so it never imports them. Each registers from its
`AppConfig.ready()`:
- `register_household_reach(fn)`: fn(user, now) returns a values queryset of household ids the user may
  open because of what they may see there (an active contact plan, an open warm handover). The household
  page then shows only what the reader may see on it; nobody else learns that the household exists (404).
- `register_timeline_source(fn)`: fn(user, household, actor=, now=) returns the entries the user may see
  about the household (contact moments, plans, handovers), read through that app's permission-scoped
  selectors; it logs every resident it shows itself, naming them in the access log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Generic, Protocol, TypeVar

from django.utils import timezone
from django.utils.functional import Promise

from waakvlam.core.models import User
from waakvlam.households.models import Household
from waakvlam.privacy.services import Actor

__all__ = [
    "TimelineEntry",
    "TimelineEvent",
    "TimelineSource",
    "household_reach",
    "register_household_reach",
    "register_timeline_source",
    "timeline_entries",
    "timeline_sources",
]

# (user, now) -> a values queryset of household ids, for use in `pk__in=`.
HouseholdReach = Callable[[User, "datetime | None"], Any]


class TimelineSource(Protocol):
    def __call__(self, user: User, household: Household, *, actor: Actor, now: datetime) -> list[TimelineEntry]: ...


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the household timeline: when, what kind of thing, what happened, where to read more."""

    when: date | datetime
    kind: str  # "Signaal", "Contactmoment", "Waakvlamcontact", … (already translated)
    title: str
    url: str = ""
    detail: str = ""
    who: str = ""
    status: str = ""
    badges: tuple[tuple[str, str], ...] = ()  # (css modifier, text), e.g. ("badge--high", "Urgent")
    # Same moment: higher first when sorted newest first (a plan's start before its first contact moment).
    rank: int = 0

    @property
    def is_moment(self) -> bool:
        """A moment with a time of day (shown with the time); a date alone is a day."""
        return isinstance(self.when, datetime)

    @property
    def iso(self) -> str:
        """The machine form for `<time datetime=…>`: ISO 8601, a moment with its offset or a plain day."""
        return self.when.isoformat()

    @property
    def sort_key(self) -> tuple[datetime, int]:
        """Days sort as the start of that local day, so a moment later that day comes above them."""
        if isinstance(self.when, datetime):
            return (self.when, self.rank)
        start = datetime.combine(self.when, time.min, tzinfo=timezone.get_current_timezone())
        return (start, self.rank)


T = TypeVar("T")


def _nothing(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class TimelineEvent(Generic[T]):
    """One event in the life of an object (a plan started, a handover accepted): it is on the timeline once
    its moment is set. An app lists its objects' events as a small table and hands it to `timeline_entries`."""

    moment: Callable[[T], date | datetime | None]
    title: Promise  # gettext_lazy, formatted with the object's names (%(resident)s, …)
    who: Callable[[T], str] = _nothing
    detail: Callable[[T], str] = _nothing
    rank: int = 0  # see TimelineEntry.rank


def timeline_entries(
    obj: T,
    events: Sequence[TimelineEvent[T]],
    *,
    kind: str,
    url: str,
    names: Mapping[str, Any],
    status: str = "",
) -> list[TimelineEntry]:
    """The entries of the events that have happened to obj, in the table's order."""
    entries = []
    for event in events:
        when = event.moment(obj)
        if when:
            entries.append(
                TimelineEntry(
                    when=when,
                    kind=kind,
                    title=event.title % names,
                    url=url,
                    detail=event.detail(obj),
                    who=event.who(obj),
                    status=status,
                    rank=event.rank,
                )
            )
    return entries


_REACH: list[HouseholdReach] = []
_SOURCES: list[TimelineSource] = []


def register_household_reach(reach: HouseholdReach) -> None:
    """Called from a higher app's AppConfig.ready(); idempotent."""
    if reach not in _REACH:
        _REACH.append(reach)


def register_timeline_source(source: TimelineSource) -> None:
    """Called from a higher app's AppConfig.ready(); idempotent."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def household_reach(user: User, now: datetime | None = None) -> list[Any]:
    """The registered subqueries of household ids the user reaches beyond its signals."""
    return [reach(user, now) for reach in _REACH]


def timeline_sources() -> list[TimelineSource]:
    return list(_SOURCES)
