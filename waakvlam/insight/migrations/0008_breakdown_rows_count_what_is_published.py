"""A breakdown's signal cell (category, source, outcome) counts only what is published of it: its signals in,
and an outcome's also its closed ones (models.SignalCell). Before, every breakdown row carried all five
counts, so a pickup or an escalation rewrote the category and source rows of its day, month and year too,
though nothing reads those counts there.

Only the signal facts are emptied here: the first pass after this migration sees no facts and writes the
facts and every signal and pickup cell again from the signals (rollups.py, as after 0005). Until then the
requests read the cells as they were, whose published counts are the same. Rewriting the breakdown rows in
place instead would touch most of the table (~26 million rows at ten million signals) inside the migration."""

from typing import Any

from django.db import migrations


def empty_signal_facts(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("TRUNCATE insight_signalfact")
        else:
            cursor.execute("DELETE FROM insight_signalfact")


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0007_rollup_cells_autovacuum"),
    ]

    operations = [
        migrations.RunPython(empty_signal_facts, migrations.RunPython.noop),
    ]
