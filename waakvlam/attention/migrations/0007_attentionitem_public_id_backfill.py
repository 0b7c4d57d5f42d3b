"""Give every existing attention item its random public id: one UPDATE on PostgreSQL, in batches elsewhere."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import backfill_public_ids


class Migration(migrations.Migration):
    dependencies = [("attention", "0006_attentionitem_public_id")]

    operations = [
        migrations.RunPython(backfill_public_ids("attention", "AttentionItem"), migrations.RunPython.noop)
    ]
