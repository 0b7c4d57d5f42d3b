"""Pickup buckets: each pickup cell gets its bucket (tenths // 20, two hours), the pickup cells a key that
starts with neighbourhood and bucket, and a second, coarse frequency table per bucket (PickupBucketCell),
filled here from the fine cells so no rebuild is needed (insight/percentiles.py reads both).

Not atomic on PostgreSQL, so the last step can VACUUM the rewritten tables: requests read them by
index-only scans, which need the visibility map (as after a rebuild). The bucket is written by rewriting the
table once (ALTER COLUMN … TYPE … USING), which leaves no dead rows, rather than by an UPDATE of every row.
The width is written out here: the models' PICKUP_BUCKET_WIDTH may change later, with a migration of its own.
"""

from typing import Any

from django.db import migrations, models

WIDTH = 20

FILL_BUCKET_CELLS = """
INSERT INTO insight_pickupbucketcell (municipality_id, organisation_id, neighbourhood_id, grain, period_start,
  bucket, n)
SELECT municipality_id, organisation_id, neighbourhood_id, grain, period_start, bucket, sum(n)
FROM insight_pickupcell GROUP BY municipality_id, organisation_id, neighbourhood_id, grain, period_start, bucket
"""


def write_buckets(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE insight_pickupcell ALTER COLUMN bucket TYPE integer USING tenths / {WIDTH}")
        else:
            cursor.execute(f"UPDATE insight_pickupcell SET bucket = tenths / {WIDTH}")


def fill_bucket_cells(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL_BUCKET_CELLS)


def vacuum(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql" and not schema_editor.connection.in_atomic_block:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE insight_pickupcell")
            cursor.execute("VACUUM ANALYZE insight_pickupbucketcell")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("insight", "0005_signal_facts_and_unique_cell_keys"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="pickupcell",
            name="insight_pickup_cell_key",
        ),
        migrations.AddField(
            model_name="pickupcell",
            name="bucket",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(write_buckets, migrations.RunPython.noop, atomic=True),
        migrations.AddConstraint(
            model_name="pickupcell",
            constraint=models.UniqueConstraint(
                fields=(
                    "municipality_id",
                    "organisation_id",
                    "neighbourhood_id",
                    "bucket",
                    "grain",
                    "period_start",
                    "tenths",
                ),
                include=("n",),
                name="insight_pickup_cell_bucket_key",
            ),
        ),
        migrations.CreateModel(
            name="PickupBucketCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("municipality_id", models.IntegerField()),
                ("organisation_id", models.IntegerField(default=0)),
                ("neighbourhood_id", models.IntegerField(default=0)),
                ("grain", models.CharField(choices=[("d", "day"), ("m", "month"), ("y", "year")], max_length=1)),
                ("period_start", models.DateField()),
                ("bucket", models.IntegerField()),
                ("n", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "municipality_id",
                            "organisation_id",
                            "grain",
                            "period_start",
                            "neighbourhood_id",
                            "bucket",
                        ),
                        include=("n",),
                        name="insight_pickup_bucket_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_bucket_cells, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(vacuum, migrations.RunPython.noop),
    ]
