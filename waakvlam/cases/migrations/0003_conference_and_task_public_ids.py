"""Case conferences and tasks get a random public id (docs/decisions/0009, point 3): added empty, filled by
0004, then required and unique in 0005."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_task_events_and_owner")]

    operations = [
        migrations.AddField(
            model_name="caseconference",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
        migrations.AddField(
            model_name="task",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
