"""Consents, early-warning plans and contact moments get a random public id (docs/decisions/0009, point 3): added
empty, filled by 0010, then required and unique in 0011."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contact", "0008_notification_links_use_public_ids")]

    operations = [
        migrations.AddField(
            model_name=model,
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="publiek kenmerk"),
        )
        for model in ("consent", "earlywarningplan", "contactmoment")
    ]
