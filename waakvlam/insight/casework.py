"""Day cells for the figures of the later capabilities: referrals (socialmap), case conferences and their
tasks (cases), area alarms (cases' spikes and area meetings). Kept in insight_carecell like contacts, plans
and handovers (`dim` below), so a request reads them from the same index as the other care figures.

| dim | day | a | b | organisation |
|---|---|---|---|---|
| referrals | sent (created_at) | referrals made | of those, connected (reached "connected" by now) | the receiving (owner) organisation |
| collective | sent | referrals to a collective service | (none) | the receiving organisation |
| cases | meets_on | case conferences held | (none) | the convening organisation |
| tasks | due_on | tasks due (from conferences and area meetings) | of those, done by their due time | the owner |
| alarms | detected / meets_on | area alarms (spikes) detected | area meetings held | none (municipality only) |

The neighbourhood is the referral's own, the conference household's, the area meeting's or spike's.
What changed since the last pass is found by time (rows with `updated_at`, else their created and settled
or closed moments); a changed row's days are recomputed whole, so reading too much is harmless, and the
nightly rebuild makes everything exact again (a conference whose date was edited, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from waakvlam.cases.models import AreaMeeting, CaseConference, Spike, Task
from waakvlam.cases.workflow import TaskStatus
from waakvlam.followup.calendar import DEFAULT_CALENDAR
from waakvlam.socialmap.referral_models import Referral, ReferralEvent, ReferralStatus

CASEWORK_DIMS = ("referrals", "collective", "cases", "tasks", "alarms")
TIME_OVERLAP = timedelta(minutes=10)
Add = Callable[..., None]  # add(org, hood, day, a=, b=, c=)


def _day(moment: datetime) -> date:
    return moment.astimezone(DEFAULT_CALENDAR.zone).date()


def _start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=DEFAULT_CALENDAR.zone)


def _on_days(field: str, days: set[date]) -> Q:
    """The moments on the given local days: one range per run of consecutive days, not the whole span from
    the first to the last (a pass's changed days can lie months apart)."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    ranges = Q()
    for run in runs:
        ranges |= Q(**{f"{field}__gte": _start(run[0]), f"{field}__lt": _start(run[-1] + timedelta(days=1))})
    return ranges


def _referrals(municipality_id: int, days: set[date], add: Add, *, collective_only: bool) -> None:
    connected = ReferralEvent.objects.filter(referral=OuterRef("pk"), to_status=ReferralStatus.CONNECTED)
    rows = Referral.objects.filter(_on_days("created_at", days), municipality_id=municipality_id)
    if collective_only:
        rows = rows.filter(collective=True)
    values: Iterable[tuple[Any, ...]] = (
        rows.annotate(was_connected=Exists(connected))
        .order_by()
        .values_list("owner_organisation_id", "neighbourhood_id", "created_at", "status", "was_connected")
        .iterator(chunk_size=20000)
    )
    for org, hood, created, status, was_connected in values:
        day = _day(created)
        if day in days:
            done = status == ReferralStatus.CONNECTED or bool(was_connected)
            add(org, hood, day, a=1, b=0 if collective_only else int(done))


def _conferences(municipality_id: int, days: set[date], add: Add) -> None:
    rows = CaseConference.objects.filter(municipality_id=municipality_id, meets_on__in=days).values_list(
        "organisation_id", "household__neighbourhood_id", "meets_on"
    )
    for org, hood, day in rows.iterator(chunk_size=20000):
        add(org, hood, day, a=1)


def _tasks(municipality_id: int, days: set[date], add: Add) -> None:
    rows = Task.objects.filter(municipality_id=municipality_id, due_on__in=days).values_list(
        "owner_organisation_id",
        "conference__household__neighbourhood_id",
        "area_meeting__neighbourhood_id",
        "due_on",
        "status",
        "settled_at",
        "due_at",
    )
    for org, conference_hood, meeting_hood, day, status, settled_at, due_at in rows.iterator(chunk_size=20000):
        in_time = status == TaskStatus.DONE and settled_at is not None and settled_at <= due_at
        add(org, conference_hood or meeting_hood, day, a=1, b=int(in_time))


def _alarms(municipality_id: int, days: set[date], add: Add) -> None:
    spikes = Spike.objects.filter(_on_days("detected_at", days), municipality_id=municipality_id)
    for hood, detected in spikes.values_list("neighbourhood_id", "detected_at"):
        if _day(detected) in days:
            add(None, hood, _day(detected), a=1)
    meetings = AreaMeeting.objects.filter(municipality_id=municipality_id, meets_on__in=days)
    for hood, day in meetings.values_list("neighbourhood_id", "meets_on"):
        add(None, hood, day, b=1)


def casework_day_cells(municipality_id: int, dim: str, days: set[date], add: Add) -> None:
    """Add the day cells of one casework dim for the given days through `add` (rollups' accumulator)."""
    if dim == "referrals":
        _referrals(municipality_id, days, add, collective_only=False)
    elif dim == "collective":
        _referrals(municipality_id, days, add, collective_only=True)
    elif dim == "cases":
        _conferences(municipality_id, days, add)
    elif dim == "tasks":
        _tasks(municipality_id, days, add)
    elif dim == "alarms":
        _alarms(municipality_id, days, add)
    else:
        raise ValueError(dim)


class Window:
    """The rows a pass reads by time: changed in (the last pass - TIME_OVERLAP, this pass's now], by the given
    moment fields (`updated_at` by default; any of them). The overlap re-reads rows whose transaction committed
    after the last pass read (their moment lies before it); a moment after `now` (a clock ahead of the
    worker's) is read by the pass whose window holds it. Without a last pass: every row."""

    def __init__(self, last_at: datetime | None, now: datetime) -> None:
        self.since = None if last_at is None else last_at - TIME_OVERLAP
        self.now = now

    def __call__(self, rows: QuerySet[Any], *fields: str) -> QuerySet[Any]:
        if self.since is None:
            return rows
        window = Q()
        for field in fields or ("updated_at",):
            window |= Q(**{f"{field}__gt": self.since, f"{field}__lte": self.now})
        return rows.filter(window)


def casework_changed_days(window: Window) -> dict[str, set[tuple[int, date]]]:
    """(municipality, day) per casework dim whose cells may have changed in the pass's time window."""
    changed: dict[str, set[tuple[int, date]]] = {dim: set() for dim in CASEWORK_DIMS}
    referrals = window(Referral.objects.all())
    for muni, created in referrals.values_list("municipality_id", "created_at").iterator(chunk_size=20000):
        changed["referrals"].add((muni, _day(created)))
    changed["collective"] = set(changed["referrals"])
    conferences = window(CaseConference.objects.all(), "created_at", "closed_at")
    tasks = window(Task.objects.all(), "created_at", "settled_at")
    spikes = window(Spike.objects.all(), "detected_at")
    meetings = window(AreaMeeting.objects.all(), "created_at", "closed_at")
    changed["cases"] = set(conferences.values_list("municipality_id", "meets_on").distinct())
    changed["tasks"] = set(tasks.values_list("municipality_id", "due_on").distinct())
    changed["alarms"] = {(m, _day(d)) for m, d in spikes.values_list("municipality_id", "detected_at")}
    changed["alarms"] |= set(meetings.values_list("municipality_id", "meets_on").distinct())
    return changed
