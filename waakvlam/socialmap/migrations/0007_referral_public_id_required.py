"""The public id is required and unique from now on (0006 filled it for every existing referral)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0006_referral_public_id_backfill")]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
