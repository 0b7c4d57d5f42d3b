"""The public id is required and unique from now on (0010 filled it for every existing row)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contact", "0010_consent_earlywarningplan_contactmoment_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name=model,
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        )
        for model in ("consent", "earlywarningplan", "contactmoment")
    ]
