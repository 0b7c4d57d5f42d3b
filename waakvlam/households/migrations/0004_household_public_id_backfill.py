"""Give every existing household its random public id: one UPDATE on PostgreSQL, in batches elsewhere."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations

BATCH = 5000


def backfill(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE households_household SET public_id = gen_random_uuid() WHERE public_id IS NULL")
        return
    Household = apps.get_model("households", "Household")
    while True:
        batch = list(Household.objects.filter(public_id__isnull=True).only("pk")[:BATCH])
        if not batch:
            return
        for household in batch:
            household.public_id = uuid.uuid4()
        Household.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("households", "0003_household_public_id")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
