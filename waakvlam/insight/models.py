"""Rollups for neighbourhood insight: counts per municipality x organisation x neighbourhood x day and month.

No personal data lives here: only counts. Id columns are plain integers rather than foreign keys so the
rollups can be rebuilt, truncated and bulk-written without touching the tables they summarise, and so
"everyone" (organisation 0) and "no neighbourhood" (neighbourhood 0) are ordinary keys.

Each figure is kept at three grains: per day ("d"), per calendar month ("m") and per calendar year ("y"). A
period from/to is answered from the years it covers whole, the other months it covers whole and the days at
its edges, so any period reads at most ~60 day rows per neighbourhood, up to 22 month rows and one row per
year (docs/insight.md).
"""

from __future__ import annotations

from django.db import models

from waakvlam.core.id_feed import IdCursor

ALL_ORGANISATIONS = 0
NO_NEIGHBOURHOOD = 0
# Tenths of an hour per pickup bucket (2 hours): chosen by measurement (docs/benchmarks.md, "Insight"). A
# change needs a migration that rewrites PickupCell.bucket and the bucket cells.
PICKUP_BUCKET_WIDTH = 20
SIGNAL_COLUMNS = ["signals_in", "picked_up", "picked_up_in_time", "escalated", "closed"]


class Grain(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"
    YEAR = "y", "year"  # the sum of its months: a long period reads one row per neighbourhood a year


class SignalCell(models.Model):
    """Signals received in one period, by one breakdown (`dim`: all, category, source, outcome).

    The organisation is the reporter's (the housing association's own signals); 0 sums every reporter. Only
    the 'all' row counts all five measures; a breakdown's row counts what is published of it, its signals in
    (and an outcome's its closed ones), the rest 0: a pickup or an escalation then changes one row a period,
    not every breakdown of it (insight migration 0008)."""

    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    dim = models.CharField(max_length=8)
    value = models.CharField(max_length=32, blank=True)
    signals_in = models.IntegerField(default=0)
    picked_up = models.IntegerField(default=0)
    picked_up_in_time = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        # Covering: a request reads only this index (an index-only scan), never the table's pages. Unique
        # on the whole key, so the worker's pass adds its differences in place (INSERT ... ON CONFLICT).
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality_id",
                    "organisation_id",
                    "grain",
                    "period_start",
                    "neighbourhood_id",
                    "dim",
                    "value",
                ],
                include=SIGNAL_COLUMNS,
                name="insight_signal_cell_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.period_start} {self.neighbourhood_id} {self.dim}={self.value}: {self.signals_in}"


class PickupCell(models.Model):
    """How many signals received in one period were picked up after `tenths` tenths of an hour (floored).

    An exact frequency table at the resolution the figures are published in (0.1 hour), so medians and
    90th percentiles over any period are exact, not estimated from coarse buckets. `bucket` is
    tenths // PICKUP_BUCKET_WIDTH: a request reads only the fine rows of the buckets its percentiles fall in
    (insight/percentiles.py), so the key starts with the neighbourhood and bucket."""

    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    bucket = models.IntegerField()
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    tenths = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality_id",
                    "organisation_id",
                    "neighbourhood_id",
                    "bucket",
                    "grain",
                    "period_start",
                    "tenths",
                ],
                include=["n"],
                name="insight_pickup_cell_bucket_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.period_start} {self.neighbourhood_id} {self.tenths / 10} h: {self.n}"


class PickupBucketCell(models.Model):
    """The pickup frequency table per bucket of PICKUP_BUCKET_WIDTH tenths: always the sum of the PickupCell
    rows with the same key and bucket (the rebuild sums them, the worker's pass adds the same differences).
    A request sums these first to find the bucket each percentile falls in (docs/insight.md)."""

    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_id", "organisation_id", "grain", "period_start", "neighbourhood_id", "bucket"],
                include=["n"],
                name="insight_pickup_bucket_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.period_start} {self.neighbourhood_id} bucket {self.bucket}: {self.n}"


class SignalFact(models.Model):
    """What one signal contributes to the signal and pickup cells, as the rollups last counted it.

    The worker's pass takes a changed signal's old contribution away and adds its new one (cells are sums,
    and the pickup cells a frequency table, so the median and 90th percentile stay exact), instead of
    recounting every day a pickup reaches back to. Only codes and counts, no personal data."""

    signal_id = models.BigIntegerField(primary_key=True)
    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)  # the reporter's; 0: none
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    day = models.DateField()  # the local day of receipt
    category = models.CharField(max_length=32)
    source_kind = models.CharField(max_length=32)
    outcome = models.CharField(max_length=32, blank=True)
    picked_up = models.BooleanField()
    picked_up_in_time = models.BooleanField()
    escalated = models.BooleanField()
    closed = models.BooleanField()
    tenths = models.IntegerField(null=True)  # time to pickup in tenths of an hour; None: not picked up

    def __str__(self) -> str:
        return f"signal {self.signal_id}: {self.day} {self.neighbourhood_id}"


class CareCell(models.Model):
    """Contact moments, contact plans and warm handovers in one period (`dim`: contacts, plans, handovers).

    contacts: a = contacts made, b = attempts without contact (by the day they happened);
    plans: a = plans started (starts_on), b = plans ended (the day closed);
    handovers: a = discharges (discharge_on), b = first contact within the agreed days, c = first contact made.
    The organisation is the plan's organisation, or the handover's sending organisation (the care provider)."""

    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    dim = models.CharField(max_length=10)
    a = models.IntegerField(default=0)
    b = models.IntegerField(default=0)
    c = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["municipality_id", "organisation_id", "grain", "period_start"],
                include=["neighbourhood_id", "dim", "a", "b"],
                name="insight_care_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain}{self.period_start} {self.neighbourhood_id} {self.dim}: {self.a}/{self.b}/{self.c}"


class Watermark(models.Model):
    """How far the incremental pass has read each source: by id for append-only rows (through the commit-safe
    feed, core/id_feed.py: `safe_id`, `seen` and `read_at` are its cursor besides `last_id`), by time
    otherwise (`last_at`, the moment of the last pass)."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)
    safe_id = models.BigIntegerField(default=0)
    seen = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)

    CURSOR_FIELDS = ("last_id", "safe_id", "seen", "read_at")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_id} {self.last_at}"

    @property
    def cursor(self) -> IdCursor:
        return IdCursor(last_id=self.last_id, safe_id=self.safe_id, seen=self.seen, read_at=self.read_at)

    def move_to(self, cursor: IdCursor) -> None:
        self.last_id, self.safe_id, self.seen, self.read_at = (
            cursor.last_id,
            cursor.safe_id,
            cursor.seen,
            cursor.read_at,
        )


class StateCell(models.Model):
    """A state at the end of the worker's last pass rather than a count over a period: signals late without
    the escalation they are owed ("stuck", 0 after every deadline sweep; by the reporter's organisation) and
    running contact plans past their next contact ("flames going out"; by the plan's organisation). Kept by the
    insight pass (after the deadline sweep) so no request scans the open signals or the plans; `at` says when."""

    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    stuck = models.IntegerField(default=0)
    plans_overdue = models.IntegerField(default=0)  # flames going out: running plans past their next contact
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["municipality_id", "organisation_id"], name="insight_state_scope")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.neighbourhood_id}: {self.stuck} stuck"


class Unblock(models.TextChoices):
    """What ended a signal's time at the top of the ladder."""

    WAITING = "waiting", "still at the top"
    PICKED_UP = "picked_up", "picked up"
    TEAM_TRANSFER = "team_transfer", "handed on by its team"
    REGIE_TRANSFER = "regie_transfer", "handed on by the regie"
    CLOSED = "closed", "closed"


class TopSpell(models.Model):
    """One stretch of a signal at the top of the ladder (the municipality's level): when it got there, when
    and by what it came down, and whether the regie acted on it before (asked, put on an area meeting).
    Derived from the signal's history (SignalEvent) by the worker's pass; no personal data."""

    signal_id = models.BigIntegerField()
    municipality_id = models.IntegerField()
    organisation_id = models.IntegerField(default=ALL_ORGANISATIONS)  # the reporter's organisation (0: none)
    neighbourhood_id = models.IntegerField(default=NO_NEIGHBOURHOOD)
    reached_at = models.DateTimeField()
    reached_on = models.DateField()  # local day, the period a spell belongs to
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=Unblock.choices, default=Unblock.WAITING)
    regie_asked = models.BooleanField(default=False)
    regie_meeting = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["municipality_id", "reached_on"], name="insight_spell_period"),
            models.Index(fields=["signal_id"], name="insight_spell_signal"),
        ]

    def __str__(self) -> str:
        return f"signal {self.signal_id} at the top {self.reached_at:%Y-%m-%d}: {self.ended_by}"
