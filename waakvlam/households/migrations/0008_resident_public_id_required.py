"""The public id is required and unique from now on (0007 filled it for every existing resident)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("households", "0007_resident_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="resident",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
