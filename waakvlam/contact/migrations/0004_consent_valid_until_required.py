"""Every consent has an end or review date: the column is required from now on (after 0003 filled it)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contact", "0003_consents_without_end_get_review_date")]

    operations = [
        migrations.RemoveConstraint(model_name="consent", name="consent_until_after_from"),
        migrations.AlterField(
            model_name="consent",
            name="valid_until",
            field=models.DateField(verbose_name="geldig tot en met (of herzien op)"),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="consent_until_on_or_after_from"
            ),
        ),
    ]
