"""The public id is required and unique from now on (0004 filled it for every existing supporter link)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0004_supporterlink_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="supporterlink",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
