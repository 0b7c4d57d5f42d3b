# A public reporter's e-mail address in the outbox is a contact detail (SECURITY.md: encrypted at rest,
# found by a blind index). Staff rows no longer copy the address: delivery mails a member of staff at
# their current one. Existing rows are carried over: reporters' addresses encrypted, staff copies dropped.

from django.conf import settings
from django.db import migrations, models

import waakvlam.core.encryption


def seal_reporter_addresses(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    rows = Notification.objects.filter(recipient__isnull=True).exclude(email="").only("pk", "email")
    for row in rows.iterator(chunk_size=2000):
        index = waakvlam.core.encryption.email_index(row.email)
        Notification.objects.filter(pk=row.pk).update(email_sealed=row.email, email_index=index)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notify", "0001_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="notification", name="notification_once_by_email"),
        migrations.RemoveConstraint(model_name="notification", name="notification_has_recipient"),
        migrations.AddField(
            model_name="notification",
            name="email_index",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_sealed",
            field=waakvlam.core.encryption.EncryptedCharField(blank=True, max_length=254, null=True),
        ),
        migrations.RunPython(seal_reporter_addresses, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="email"),
        migrations.RenameField(model_name="notification", old_name="email_sealed", new_name="email"),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("recipient__isnull", True)),
                fields=("dedupe_key", "channel", "email_index"),
                name="notification_once_by_email",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("recipient__isnull", False), models.Q(("email_index", ""), _negated=True), _connector="OR"
                ),
                name="notification_has_recipient",
            ),
        ),
    ]
