"""The public ids are required and unique from now on (0004 filled them for every existing row)."""

from __future__ import annotations

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_conference_and_task_public_ids_backfill")]

    operations = [
        migrations.AlterField(
            model_name="caseconference",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
        migrations.AlterField(
            model_name="task",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="publiek kenmerk"),
        ),
    ]
