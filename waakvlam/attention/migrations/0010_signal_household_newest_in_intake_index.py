"""attention_signal_household_newest (0004) goes: intake's signal_household index (intake 0012) leads with
(household_id, id) and holds outcome, so the newest counted signal per household is still one index-only
step, and every new signal no longer pays for a second household index."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("attention", "0009_links_and_notes_use_no_integer_ids"),
        ("intake", "0012_signal_household_index"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS attention_signal_household_newest",
            reverse_sql="CREATE INDEX IF NOT EXISTS attention_signal_household_newest ON intake_signal"
            " (household_id, id) WHERE outcome <> 'duplicate'",
        )
    ]
