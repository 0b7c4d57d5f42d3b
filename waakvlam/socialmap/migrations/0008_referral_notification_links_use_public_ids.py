"""Notifications sent before referrals got public ids (the follow-up clock's "not answered in time" and its
summaries) link to /verwijzingen/<integer>/, a URL that no longer exists: point them at the referral's public
id."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import relink_notifications


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0007_referral_public_id_required"), ("notify", "0003_notification_ref")]

    operations = [
        migrations.RunPython(relink_notifications("/verwijzingen/", "socialmap", "Referral"), migrations.RunPython.noop)
    ]
