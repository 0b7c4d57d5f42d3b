"""Notifications sent before case conferences and tasks got public ids (the invitation, the new task, the
follow-up clock's "not done in time" and its summaries) link to /casusoverleg/<integer>/ and /taken/<integer>/,
URLs that no longer exist: point them at the public ids."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import relink_notifications


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_conference_and_task_public_ids_required"), ("notify", "0003_notification_ref")]

    operations = [
        migrations.RunPython(
            relink_notifications("/casusoverleg/", "cases", "CaseConference"), migrations.RunPython.noop
        ),
        migrations.RunPython(relink_notifications("/taken/", "cases", "Task"), migrations.RunPython.noop),
    ]
