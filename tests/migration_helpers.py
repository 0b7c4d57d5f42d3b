"""Migrating back and forward within a test, for the data migrations' tests (the public-id backfills of
ADR 0009 in tests/households, tests/network and tests/cases): go back to before a migration, write rows the
way the old schema held them, and come forward to the latest migration again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import user
from waakvlam.core.models import Municipality
from waakvlam.notify.models import Notification

Migration = tuple[str, str]  # (app label, migration name)


def migrate_to(targets: list[Migration]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest_migrations(apps: Iterable[str]) -> list[Migration]:
    apps = set(apps)
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in apps]


@contextmanager
def migrated_back(targets: list[Migration]) -> Iterator[None]:
    """Before the targets' next migrations inside the block; at the latest of every app after it, also when
    the block fails (the database must be whole again for the next test). Every app, not only the targets':
    going back also unapplies other apps' migrations that depend on the targets' later ones (intake 0013
    on households 0008), and those must come back too."""
    latest = latest_migrations(app for app, _name in MigrationExecutor(connection).loader.graph.leaf_nodes())
    migrate_to(targets)
    try:
        yield
    finally:
        migrate_to(latest)


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def stored_notification(municipality: Municipality, key: str, link: str, *, now: datetime | None = None) -> None:
    """A notification to the demo steward as an older release stored it (the link as it was then)."""
    now = now or timezone.now()
    Notification.objects.create(
        municipality=municipality,
        channel="in_app",
        kind="test",
        subject="s",
        body="b",
        recipient=user("waakvlammer"),
        link=link,
        dedupe_key=key,
        created_at=now,
        deliver_after=now,
    )
