"""Give every existing consent, early-warning plan and contact moment its random public id: one UPDATE per table
on PostgreSQL, in batches elsewhere.

No stored notification needs relinking: no notification links to, or names in its `ref`, a consent, an
early-warning plan or a contact moment (the UI reaches an early-warning plan through its resident's public id,
and a contact moment through its plan's)."""

from __future__ import annotations

from django.db import migrations

from waakvlam.core.public_ids import backfill_public_ids


class Migration(migrations.Migration):
    dependencies = [("contact", "0009_consent_earlywarningplan_contactmoment_public_id")]

    operations = [
        migrations.RunPython(backfill_public_ids("contact", model), migrations.RunPython.noop)
        for model in ("Consent", "EarlyWarningPlan", "ContactMoment")
    ]
