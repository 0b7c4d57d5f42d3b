"""Handovers get a random public id (docs/decisions/0009, point 3): added empty, filled by 0005, then required
and unique in 0006."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("handover", "0003_self_granted_consents_end")]

    operations = [
        migrations.AddField(
            model_name="handover",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
