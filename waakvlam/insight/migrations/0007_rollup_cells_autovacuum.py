"""Autovacuum the rollup cells after a fixed number of changed rows, not a fifth of the table.

Requests read the cells by index-only scans (the covering keys), which skip the table only for pages the
visibility map marks all-visible. The worker's pass updates cells in place and no update can be HOT (the
counts are in the key's included columns), so every pass clears the bit on the pages it touches, and only a
VACUUM sets it again. With PostgreSQL's default (a fifth of the table dead) the ~21 million signal cells of a
national installation wait for 4 million dead rows, so the index-only scans fetch more and more heap pages:
at 10 million signals, after a day's pass, half the pickup bucket rows a year's request read were heap
fetches (docs/benchmarks.md, "Insight", session 10). Here autovacuum comes after 10,000 changed (or
inserted) rows whatever the table's size: at 10 million signals roughly once per day's worth of passes.
PostgreSQL only; SQLite has no such setting.
"""

from typing import Any

from django.db import migrations

TABLES = ("insight_signalcell", "insight_pickupcell", "insight_pickupbucketcell", "insight_carecell")
SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0",
    "autovacuum_vacuum_threshold": "10000",
    "autovacuum_vacuum_insert_scale_factor": "0",
    "autovacuum_vacuum_insert_threshold": "10000",
}


def set_autovacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    options = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET ({options})")


def reset_autovacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("insight", "0006_pickup_buckets")]

    operations = [migrations.RunPython(set_autovacuum, reset_autovacuum)]
