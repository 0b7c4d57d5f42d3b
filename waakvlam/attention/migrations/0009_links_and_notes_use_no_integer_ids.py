"""Stored texts that still name an attention item or a case conference by its integer id:
- notifications sent before (the follow-up clock's "not decided in time" and its summaries) link to
  /aandacht/<integer>/, a URL that no longer exists: point them at the item's public id;
- an item taken up by convening a case conference says "Casusoverleg <integer> belegd", shown with the item:
  name the conference by its date instead, as attention/services.py now writes it."""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

from waakvlam.core.public_ids import relink_notifications

NOTE = re.compile(r"^Casusoverleg (\d+) belegd$")
BATCH = 2000


def rename_conference_notes(apps: Any, schema_editor: Any) -> None:
    item_model = apps.get_model("attention", "AttentionItem")
    conference_model = apps.get_model("cases", "CaseConference")
    last = 0
    while True:
        rows = list(
            item_model.objects.filter(pk__gt=last, take_up="case_conference", decision_note__startswith="Casusoverleg ")
            .order_by("pk")
            .only("pk", "decision_note")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1].pk
        named = {row: int(m.group(1)) for row in rows if (m := NOTE.match(row.decision_note))}
        dates = dict(
            conference_model.objects.filter(pk__in=set(named.values())).values_list("pk", "meets_on")
        )
        changed = []
        for row, pk in named.items():
            # A conference that no longer exists is named without a date: the id goes either way.
            row.decision_note = f"Casusoverleg belegd voor {dates[pk]:%d-%m-%Y}" if pk in dates else "Casusoverleg belegd"
            changed.append(row)
        item_model.objects.bulk_update(changed, ["decision_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("attention", "0008_attentionitem_public_id_required"),
        ("notify", "0003_notification_ref"),
        ("cases", "0002_task_events_and_owner"),
    ]

    operations = [
        migrations.RunPython(
            relink_notifications("/aandacht/", "attention", "AttentionItem"), migrations.RunPython.noop
        ),
        migrations.RunPython(rename_conference_notes, migrations.RunPython.noop),
    ]
