"""Attention items get a random public id (docs/decisions/0009, point 3): each names a household, and its
integer id counted how many households were flagged and which is new. Added empty, filled by 0007, then
required and unique in 0008."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("attention", "0005_item_indexes_for_bulk_writes")]

    operations = [
        migrations.AddField(
            model_name="attentionitem",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        ),
    ]
