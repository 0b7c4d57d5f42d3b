"""The public id is required and unique from now on (0005 filled it for every existing handover)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("handover", "0005_handover_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="handover",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
