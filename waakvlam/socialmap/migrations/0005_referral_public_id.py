"""Referrals get a random public id (docs/decisions/0009, point 3): added empty, filled by 0006, then required
and unique in 0007."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0004_resident_need")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
