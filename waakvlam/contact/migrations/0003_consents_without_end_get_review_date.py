"""Every consent has an end or review date (docs/decisions/0010-consent-follows-a-basis.md).

Consents recorded without one get a review date one year after they were recorded (or after they start,
if later): the documented default. The steward then asks the resident again; nothing ends silently today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

REVIEW_AFTER = timedelta(days=365)


def review_dates(apps: Any, schema_editor: Any) -> None:
    Consent = apps.get_model("contact", "Consent")
    for consent in Consent.objects.filter(valid_until__isnull=True).iterator():
        recorded = timezone.localdate(consent.recorded_at)
        consent.valid_until = max(recorded, consent.valid_from) + REVIEW_AFTER
        consent.save(update_fields=["valid_until"])


class Migration(migrations.Migration):
    dependencies = [("contact", "0002_followup_clock")]

    operations = [migrations.RunPython(review_dates, migrations.RunPython.noop)]
