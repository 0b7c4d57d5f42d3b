"""ImportJob moved to the bulkimport app (docs/architecture.md): only Django's picture of the models
changes; the table intake_importjob and its rows stay where they are (bulkimport/migrations/0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0008_network_worry_source"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
