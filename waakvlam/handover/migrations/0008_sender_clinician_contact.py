"""The sending clinician's name and contact on each handover; earlier handovers take them from the account
that announced them (name and e-mail; no phone was ever recorded)."""

from typing import Any

from django.db import migrations, models


def fill_from_announcer(apps: Any, schema_editor: Any) -> None:
    Handover = apps.get_model("handover", "Handover")
    for handover in Handover.objects.filter(created_by__isnull=False).select_related("created_by").iterator():
        user = handover.created_by
        handover.sender_name = (f"{user.first_name} {user.last_name}".strip() or user.username)[:150]
        handover.sender_email = user.email or ""
        handover.save(update_fields=["sender_name", "sender_email"])


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0007_notification_links_use_public_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="handover",
            name="sender_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-mail behandelaar"),
        ),
        migrations.AddField(
            model_name="handover",
            name="sender_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="behandelaar"),
        ),
        migrations.AddField(
            model_name="handover",
            name="sender_phone",
            field=models.CharField(blank=True, max_length=30, verbose_name="telefoon behandelaar"),
        ),
        migrations.RunPython(fill_from_announcer, migrations.RunPython.noop),
    ]
