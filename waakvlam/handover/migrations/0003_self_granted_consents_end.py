"""Consents someone recorded for their own organisation had no basis (docs/decisions/0010).

- recorded by the sending organisation of a handover of that resident: they end on the handover's last
  overlap day (or earlier, if they already did) — access that came from the overlap ends with it;
- any other self-granted consent still active is revoked now, with the reason, so the registry says why.
Both leave the row (and the access log) in place."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

REASON = "Vastgelegd door de eigen organisatie: geen grondslag (besluit 0010)."


def end_self_granted(apps: Any, schema_editor: Any) -> None:
    Consent = apps.get_model("contact", "Consent")
    Handover = apps.get_model("handover", "Handover")
    now = timezone.now()
    rows = Consent.objects.filter(
        revoked_at__isnull=True, recorded_by__isnull=False, recorded_by__organisation_id__isnull=False
    ).select_related("recorded_by")
    for consent in rows.iterator():
        if consent.recorded_by.organisation_id != consent.organisation_id:
            continue
        overlap = (
            Handover.objects.filter(resident_id=consent.resident_id, from_organisation_id=consent.organisation_id)
            .order_by("-overlap_until")
            .values_list("overlap_until", flat=True)
            .first()
        )
        if overlap is not None and overlap >= consent.valid_from:
            consent.valid_until = min(consent.valid_until, overlap)
            consent.save(update_fields=["valid_until"])
        else:
            consent.revoked_at, consent.revoke_reason = now, REASON
            consent.save(update_fields=["revoked_at", "revoke_reason"])


class Migration(migrations.Migration):
    dependencies = [("handover", "0002_followup_clock"), ("contact", "0004_consent_valid_until_required")]

    operations = [migrations.RunPython(end_self_granted, migrations.RunPython.noop)]
