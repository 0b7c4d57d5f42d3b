"""Supporter links get a random public id (docs/decisions/0009, point 3): added empty, filled by 0004, then required
and unique in 0005."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0002_worries_from_the_network_source")]

    operations = [
        migrations.AddField(
            model_name="supporterlink",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
