"""A commit-safe "new rows since" feed over a table with an increasing id (signals, their history steps).

Reading "every row with an id above the last one read" misses rows on PostgreSQL: ids come from a sequence
when a row is inserted, not when its transaction commits, so a transaction that inserted id 100 and
commits after another one committed id 101 is invisible when a reader takes 101 and moves on. The feed
keeps, besides `last_id` (the highest id read), a `safe_id` below which every row is known to be final,
and how many rows it has handed out in between (`seen`). A row above `safe_id` can only still appear if
the transaction that inserted it was open when `last_id` was read (`read_at`, the database's clock). So at
the start of a read, once no transaction of this database that began before `read_at` is still open
(pg_stat_activity), the rows in (`safe_id`, `last_id`] are final: counted (an index-only count), and only
if there are more than were handed out are they read again — the late rows are among them. Then `safe_id`
moves up to `last_id`. A row is handed out at least once, almost always exactly once; readers are
idempotent (recomputing a household twice changes nothing).

SQLite has one writer at a time, so ids are committed in order there: `safe_id` simply follows `last_id`.

The caller keeps the cursor (attention keeps it on its Watermark row); insight's rollups, which read
SignalEvent ids with a fixed overlap of 2,000 ids behind their watermark, can move onto this feed by
keeping an `IdCursor` per watermark and calling `id_feed_read(SignalEvent, cursor, ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import connection, models

# Only client sessions of this database can hold an uncommitted row of ours; autovacuum and other databases
# in the cluster cannot. Sessions of other roles show no xact_start: the application writes with one role.
_OLDEST_OPEN_SQL = """
SELECT min(xact_start) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND backend_type = 'client backend' AND xact_start IS NOT NULL
"""


@dataclass(frozen=True)
class IdCursor:
    last_id: int = 0  # the highest id handed out
    safe_id: int = 0  # every row with an id up to here is final and was handed out
    seen: int = 0  # rows handed out with an id in (safe_id, last_id]
    read_at: datetime | None = None  # the database's clock when last_id was read (PostgreSQL only)


@dataclass(frozen=True)
class FeedRead:
    rows: list[tuple[Any, ...]]  # (id, *fields) of every row handed out now: new rows, then any re-read
    cursor: IdCursor
    reread: int  # rows read again because some had committed late


def _in_flight_since(read_at: datetime | None) -> bool:
    if read_at is None:
        return False
    with connection.cursor() as cur:
        cur.execute(_OLDEST_OPEN_SQL)
        (oldest,) = cur.fetchone() or (None,)
    return oldest is not None and oldest <= read_at


def _db_now() -> datetime:
    with connection.cursor() as cur:
        cur.execute("SELECT clock_timestamp()")
        (moment,) = cur.fetchone()  # type: ignore[misc]
    return moment  # type: ignore[no-any-return]


def id_feed_read(model: type[models.Model], cursor: IdCursor, *, fields: tuple[str, ...], limit: int) -> FeedRead:
    """The rows of `model` that are new to `cursor` (at most `limit` above `last_id`), plus, once it is safe
    to tell, the rows that committed late below it. Run it inside the caller's transaction that stores the
    returned cursor, so a pass that fails hands the same rows out again."""
    rows: list[tuple[Any, ...]] = []
    reread = 0
    postgres = connection.vendor == "postgresql"
    if postgres and cursor.last_id > cursor.safe_id and not _in_flight_since(cursor.read_at):
        between = model._default_manager.filter(pk__gt=cursor.safe_id, pk__lte=cursor.last_id)
        if between.count() > cursor.seen:
            late = list(between.order_by("pk").values_list("pk", *fields))
            rows.extend(late)
            reread = len(late)
        cursor = replace(cursor, safe_id=cursor.last_id, seen=0)
    new = list(model._default_manager.filter(pk__gt=cursor.last_id).order_by("pk").values_list("pk", *fields)[:limit])
    # Taken after the read's snapshot: every transaction that could hold an id below the newest read began
    # before this moment.
    read_at = _db_now() if postgres else None
    rows = new + rows
    last_id = new[-1][0] if new else cursor.last_id
    if postgres:
        cursor = IdCursor(last_id=last_id, safe_id=cursor.safe_id, seen=cursor.seen + len(new), read_at=read_at)
    else:
        cursor = IdCursor(last_id=last_id, safe_id=last_id, seen=0, read_at=None)
    return FeedRead(rows=rows, cursor=cursor, reread=reread)


def id_feed_position(model: type[models.Model], cursor: IdCursor) -> IdCursor:
    """Where the feed would stand after a reader that handles every row visible now by other means (a full
    recompute, which calls this just before it reads): the newest id, how many rows above `safe_id` it sees
    and the moment, in one statement so that the three agree. Store it with `id_feed_adopt` afterwards."""
    if connection.vendor != "postgresql":
        newest = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
        return IdCursor(last_id=newest, safe_id=newest)
    table, pk = model._meta.db_table, model._meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cur:
        cur.execute(
            f'SELECT max("{pk}"), count(*), clock_timestamp() FROM "{table}" WHERE "{pk}" > %s',  # noqa: S608
            [cursor.safe_id],
        )
        newest, count, moment = cur.fetchone()  # type: ignore[misc]
    return IdCursor(last_id=newest or cursor.safe_id, safe_id=cursor.safe_id, seen=count, read_at=moment)


def id_feed_adopt(*, before: IdCursor, current: IdCursor, position: IdCursor) -> IdCursor:
    """The cursor after a full read taken at `position` (from the cursor `before`), unless the feed moved
    meanwhile: then it stays as it is (handing rows out again is harmless, skipping them is not)."""
    if current != before or position.last_id <= current.last_id:
        return current
    return position
