"""The public id is required and unique from now on (0007 filled it for every existing attention item)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("attention", "0007_attentionitem_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="attentionitem",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
