"""Give every existing supporter link its random public id: one UPDATE on PostgreSQL, in batches elsewhere.

No stored notification needs relinking: a worry's notification links to the resident's contact plan (already a
public id), and the supporter's report URL is a form target (POST only) that no notification names."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import backfill_public_ids


class Migration(migrations.Migration):
    dependencies = [("network", "0003_supporterlink_public_id")]

    operations = [migrations.RunPython(backfill_public_ids("network", "SupporterLink"), migrations.RunPython.noop)]
