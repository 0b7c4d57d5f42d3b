"""Notifications sent before handovers got public ids link to /overdrachten/<integer>/, a URL that no longer
exists: point them at the handover's public id."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import relink_notifications


class Migration(migrations.Migration):
    dependencies = [("handover", "0006_handover_public_id_required"), ("notify", "0003_notification_ref")]

    operations = [
        migrations.RunPython(relink_notifications("/overdrachten/", "handover", "Handover"), migrations.RunPython.noop)
    ]
