"""One index for the signals of a household: (household_id, id, outcome) replaces the foreign key's own
index on household_id, and attention 0010 then drops attention's partial (household_id, id) index, which
this one covers (the newest counted signal per household is read from it alone, outcome being in it).
A new signal then updates one index for its household instead of two: the second cost 6 µs of PostgreSQL
CPU per imported signal at a million signals (docs/benchmarks.md, "Issue 13 item 5"). The new index is
built before the old one goes, so household look-ups always have one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_light_roles"),
        ("households", "0008_resident_public_id_required"),
        ("intake", "0011_signal_unpicked_due_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="signal",
            index=models.Index(fields=["household", "id", "outcome"], name="signal_household"),
        ),
        migrations.AlterField(
            model_name="signal",
            name="household",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signals",
                to="households.household",
                verbose_name="huishouden",
            ),
        ),
    ]
