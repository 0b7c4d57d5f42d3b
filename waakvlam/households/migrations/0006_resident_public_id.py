"""Residents get a random public id (docs/decisions/0009, point 3): added empty, filled by 0007, then required
and unique in 0008."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("households", "0005_household_public_id_required")]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
