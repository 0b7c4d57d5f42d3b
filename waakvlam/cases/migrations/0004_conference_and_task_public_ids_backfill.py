"""Give every existing case conference and task its random public id: one UPDATE each on PostgreSQL, in
batches elsewhere."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import backfill_public_ids


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_conference_and_task_public_ids")]

    operations = [
        migrations.RunPython(backfill_public_ids("cases", "CaseConference"), migrations.RunPython.noop),
        migrations.RunPython(backfill_public_ids("cases", "Task"), migrations.RunPython.noop),
    ]
