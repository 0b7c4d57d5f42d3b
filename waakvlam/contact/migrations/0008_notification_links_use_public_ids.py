"""Notifications sent before contact plans got public ids link to /waakvlamcontact/<integer>/, a URL that no
longer exists: point them at the plan's public id."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import relink_notifications


class Migration(migrations.Migration):
    dependencies = [("contact", "0007_contactplan_public_id_required"), ("notify", "0003_notification_ref")]

    operations = [
        migrations.RunPython(
            relink_notifications("/waakvlamcontact/", "contact", "ContactPlan"), migrations.RunPython.noop
        )
    ]
