"""Attach every existing signal with an address to the household at that address, creating the households
that do not exist yet. Set-based (one INSERT per chunk of addresses, one UPDATE), so it stays quick on a
production-sized database."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery

CHUNK = 5000


def link(apps, schema_editor):
    Signal = apps.get_model("intake", "Signal")
    Household = apps.get_model("households", "Household")
    Address = apps.get_model("core", "Address")
    alias = schema_editor.connection.alias
    unlinked = Signal.objects.using(alias).filter(address__isnull=False, household__isnull=True)
    # The household "exists since" its first signal: the earliest moment anyone worried about it.
    first_seen = (
        unlinked.exclude(address__household__isnull=False)
        .values("address_id")
        .annotate(first=Min("received_at"))
        .order_by("address_id")
    )
    batch = []
    for row in first_seen.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            _create(Household, Address, batch, alias)
            batch = []
    _create(Household, Address, batch, alias)
    household_of = Household.objects.using(alias).filter(address_id=OuterRef("address_id")).values("pk")[:1]
    unlinked.update(household_id=Subquery(household_of))


def _create(Household, Address, rows, alias):
    if not rows:
        return
    addresses = {
        a["pk"]: a
        for a in Address.objects.using(alias)
        .filter(pk__in=[r["address_id"] for r in rows])
        .values("pk", "municipality_id", "neighbourhood_id")
    }
    Household.objects.using(alias).bulk_create(
        [
            Household(
                address_id=r["address_id"],
                municipality_id=addresses[r["address_id"]]["municipality_id"],
                neighbourhood_id=addresses[r["address_id"]]["neighbourhood_id"],
                created_at=r["first"],
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_household_arrears_import"),
        ("households", "0001_initial"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop, elidable=True)]
