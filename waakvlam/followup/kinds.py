"""What a follow-up kind is: a thing that must happen by a time, declared by the app that owns it.

A kind names, on the domain's own model (no extra row per item):
- what is open (`open`) and what is late at a moment (`late(now)`): a filter, so the sweep selects in SQL;
- who owns it (`owner`: person, backup, team, organisation — field paths on the model);
- the original due time (`due`), which the mechanism never moves: "late" always means past it;
- two fields the mechanism keeps: the level reached (`level`) and the time of the next step (`next_step`,
  NULL meaning "at the due time"); so an item escalates when it is late and its next step has come;
- the ladder: who hears it at each level, with a fallback so nobody-to-notify never happens;
- the notification text (non-personal metadata only), the history entry, the access-log subject.

The one sweep (followup/sweep.py) does the rest for every registered kind. Apps register their kinds
from their AppConfig.ready() with `register_kind`; this app never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

from waakvlam.followup.calendar import DEFAULT_CALENDAR, WorkingCalendar

Row = Mapping[str, Any]


class Person(NamedTuple):
    """An audience of one person named by a field of the item (e.g. the professional who announced it)."""

    field: str


# The audiences a ladder step can name. Each is resolved per item from its owner fields.
OWNER = "owner"  # the owning person
BACKUP = "backup"  # the owner's back-up
TEAM = "team"  # the active members of the owning team
COORDINATORS = "coordinators"  # the coordinators of the owning organisation
MUNICIPALITY = "municipality"  # the municipality's own people (role municipality): metadata only
ADMINS = "admins"  # the municipality's functional admins: the last resort, so someone always hears it

Audience = str | Person
# Who hears it when an audience of a step turns out to be nobody: the first of these that is somebody.
DEFAULT_FALLBACK: tuple[Audience, ...] = (COORDINATORS, TEAM, OWNER, BACKUP, MUNICIPALITY, ADMINS)


@dataclass(frozen=True)
class Owner:
    """Field paths (as `values()` takes them) of the item's owner; any may be empty, not all. Without an
    organisation the owning team's organisation counts (a path through a join would slow the sweep down)."""

    person: str = ""
    backup: str = ""
    team: str = ""
    organisation: str = ""

    def paths(self) -> list[str]:
        return [p for p in (self.person, self.backup, self.team, self.organisation) if p]


@dataclass(frozen=True)
class Step:
    """One rung of the ladder: who hears it, what the history says, and the working time to the next rung."""

    to: tuple[Audience, ...]
    note: str
    next_after: timedelta
    count_as: str = ""  # the count this step adds to besides "escalated" (e.g. "to_coordinator")
    fallback: tuple[Audience, ...] = DEFAULT_FALLBACK


@dataclass(frozen=True)
class Ladder:
    """`steps[0]` is level 1; every level past the last step repeats `then` ("still stuck")."""

    steps: tuple[Step, ...]
    then: Step

    def step(self, level: int) -> Step:
        return self.steps[level - 1] if 1 <= level <= len(self.steps) else self.then

    def first_level_for(self, audience: Audience) -> int:
        """The first level at which `audience` hears of it (0 when never)."""
        for level, step in enumerate(self.steps, start=1):
            if audience in step.to:
                return level
        return len(self.steps) + 1 if audience in self.then.to else 0


def escalation_ladder(
    *,
    coordinator: str,
    still_stuck: str,
    every: timedelta,
    municipality: str = "gemeente ingeschakeld",
    first: Step | None = None,
    coordinator_after: timedelta | None = None,
    coordinator_to: tuple[Audience, ...] = (COORDINATORS,),
    coordinator_fallback: tuple[Audience, ...] = DEFAULT_FALLBACK,
    counted: bool = True,
) -> Ladder:
    """The ladder most kinds climb, built once: (a `first` reminder to the owner or the team,) the owning
    organisation's coordinators, the municipality, then "still stuck" to both again — each rung `every` after
    the one before (the coordinators' rung `coordinator_after`). The texts stay the kind's own. `counted`: each
    rung adds to its count (`to_coordinator`, `to_municipality`, `still_stuck`) besides "escalated"."""

    def count(name: str) -> str:
        return name if counted else ""

    return Ladder(
        steps=(
            *((first,) if first else ()),
            Step(
                coordinator_to,
                coordinator,
                coordinator_after or every,
                count("to_coordinator"),
                fallback=coordinator_fallback,
            ),
            Step((MUNICIPALITY,), municipality, every, count("to_municipality")),
        ),
        then=Step((COORDINATORS, MUNICIPALITY), still_stuck, every, count("still_stuck")),
    )


class Message(NamedTuple):
    """The notification for one item at one level: non-personal metadata only (it may leave by e-mail)."""

    subject: str
    body: str
    urgent: bool = False


@dataclass(frozen=True)
class History:
    """How an escalation is written into the item's own history table: one row per step."""

    model: type[models.Model]
    item_field: str  # the history row's foreign key to the item, as attname (e.g. "signal_id")
    actor_label: str = "systeem: termijnbewaking"
    kind: str = "escalated"
    columns: Callable[[Row], dict[str, Any]] = field(default=lambda row: {})  # further columns of the row
    max_note: int = 300


@dataclass(frozen=True)
class StuckColumns:
    """What the municipality's stuck page shows of an item: field paths of non-personal metadata only."""

    ref: str  # the tracking code or the public id: never a counter, which would tell the volume (ADR 0009)
    team: str = ""
    area: str = ""
    what: str = ""
    what_label: Callable[[str], str] = field(default=lambda value: value)


@dataclass(frozen=True)
class FollowUpKind:
    name: str  # stable: it appears in counts, dedupe keys and the access log
    label: str  # Dutch, plural, for the access log and messages ("signalen")
    model: type[models.Model]
    open: Q
    late: Callable[[datetime], Q]
    due: str  # the original due time or date; never moved by an escalation
    owner: Owner
    ladder: Ladder
    message: Callable[[Row, int, Context], Message]
    history: History
    object_type: str  # the access log's object type, e.g. "intake.signal"
    stuck: StuckColumns
    # How a summary names one item, as its reader recognises it (a tracking code, a team and a date): never
    # a counter id, which tells a person nothing. Non-personal metadata only, like `message`.
    ref: Callable[[Row, Context], str] = field(default=lambda row, ctx: local_text(row["due"], ctx.zone))
    title: str | Promise = ""  # the stuck page's heading, translatable (gettext_lazy); default the label
    fields: tuple[str, ...] = ()  # further fields the message, history or counts read
    level: str = "escalation_level"
    next_step: str = "next_step_at"
    municipality: str = "municipality_id"
    link_name: str = ""  # URL name of the item's page (kwarg pk); the municipality gets the stuck page instead
    link_field: str = "pk"  # the row field the link names the item by ("public_id" for a pubid URL)
    prefetch: tuple[tuple[str, str], ...] = ()  # (name look-up, field) pairs the message reads, fetched per batch
    notification_kind: str = ""  # Notification.kind; default the kind's name
    dedupe_prefix: str = ""  # default the kind's name
    chain: Callable[[Row], str] = field(default=lambda row: _iso(row["due"]))  # one escalation chain per due time
    counts: Callable[[Row], list[str]] = field(default=lambda row: [])  # extra counts per escalated item
    count_extra: tuple[str, ...] = ()  # the names `counts` may answer, reported as 0 when nothing escalated
    on_escalate: Callable[[datetime], dict[str, Any]] = field(default=lambda now: {})  # further columns to set
    summary_subject: str = "{n} zaken niet op tijd opgepakt"
    summary_intro: str = "Deze zaken zijn niet op tijd opgepakt en naar jou geëscaleerd:"
    log_actor: str = ""  # default "<name>_sweep"
    log_context: str = ""  # default "sweep:<name>"
    calendar: WorkingCalendar = DEFAULT_CALENDAR
    # The message's urgency without building it: a summary of many items is urgent when one of them is, and
    # with this the sweep builds no message for the items that end up in a summary. Must agree with
    # `message(...).urgent`; default: build the message to ask it.
    urgent: Callable[[Row], bool] | None = None

    @property
    def count_names(self) -> list[str]:
        names = ["escalated"]
        for step in (*self.ladder.steps, self.ladder.then):
            if step.count_as and step.count_as not in names:
                names.append(step.count_as)
        return names + [n for n in self.count_extra if n not in names]

    def pending(self, now: datetime) -> Q:
        """Open, late, and its next step has come: exactly what the next sweep escalates (the "stuck" set)."""
        step_due = Q(**{f"{self.next_step}__isnull": True}) | Q(**{f"{self.next_step}__lt": now})
        return self.open & self.late(now) & step_due

    def ownerless(self) -> Q:
        """Items with no owner at all: never allowed for an open item."""
        return Q(**{f"{path}__isnull": True for path in self.owner.paths()})


class Context:
    """What a message may use besides its row: the moment of the pass, the next step's time by level, and
    names (teams, neighbourhoods, people, organisations) fetched once per pass."""

    def __init__(
        self, now: datetime, next_step_at: Callable[[int], datetime], fetch: Callable[[str, set[int]], dict[int, str]]
    ) -> None:
        self.now = now
        self.next_step_at = next_step_at
        self.zone = DEFAULT_CALENDAR.zone
        self._fetch = fetch
        self._cache: dict[str, dict[int, str]] = {}
        self._next_step_texts: dict[int, str] = {}

    def next_step_text(self, level: int) -> str:
        """The next step's time for an item reaching `level`, as people read it (the same for a whole pass)."""
        if level not in self._next_step_texts:
            self._next_step_texts[level] = local_text(self.next_step_at(level), self.zone)
        return self._next_step_texts[level]

    def prefetch(self, what: str, ids: set[int]) -> None:
        known = self._cache.setdefault(what, {})
        missing = {i for i in ids if i and i not in known}
        if missing:
            known.update(self._fetch(what, missing))

    def name(self, what: str, pk: int | None) -> str:
        if not pk:
            return "-"
        if pk not in self._cache.get(what, {}):
            self.prefetch(what, {pk})
        return self._cache[what].get(pk, "-")


_KINDS: dict[str, FollowUpKind] = {}


def register_kind(kind: FollowUpKind) -> FollowUpKind:
    if not kind.owner.paths():
        raise ValueError(f"Follow-up kind {kind.name!r} names no owner.")
    _KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """For tests that declare a kind of their own."""
    _KINDS.pop(name, None)


def registered_kinds() -> list[FollowUpKind]:
    return list(_KINDS.values())


def get_kind(name: str) -> FollowUpKind:
    return _KINDS[name]


# What the municipality can do with a stuck item of a kind: a URL name taking the item's pk, registered by
# a higher app (insight registers the regie's page for stuck signals); the stuck page links each row to it.
_STUCK_ACTIONS: dict[str, str] = {}


def register_stuck_action(kind_name: str, url_name: str) -> None:
    _STUCK_ACTIONS[kind_name] = url_name


def stuck_action(kind_name: str) -> str:
    return _STUCK_ACTIONS.get(kind_name, "")


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def local_text(moment: datetime | date, zone: ZoneInfo | None = None) -> str:
    """A due time as people read it: local "dd-mm-jjjj uu:mm", or "dd-mm-jjjj" for a date."""
    if isinstance(moment, datetime):
        return moment.astimezone(zone or DEFAULT_CALENDAR.zone).strftime("%d-%m-%Y %H:%M")
    return moment.strftime("%d-%m-%Y")
