"""ImportJob, moved here from intake: the model takes over the existing table intake_importjob (db_table)
with its rows; nothing in the database changes (intake/migrations/0009 drops it from intake's picture)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0001_initial"),
        ("intake", "0009_importjob_moves_to_bulkimport"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token", models.CharField(editable=False, max_length=32, unique=True)),
                        ("filename", models.CharField(max_length=200, verbose_name="bestandsnaam")),
                        ("size_bytes", models.BigIntegerField(default=0)),
                        ("dry_run", models.BooleanField(default=False, verbose_name="alleen controleren")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "In de wachtrij"),
                                    ("running", "Bezig"),
                                    ("done", "Klaar"),
                                    ("refused", "Geweigerd"),
                                    ("failed", "Mislukt"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("message", models.CharField(blank=True, max_length=500, verbose_name="melding")),
                        ("lines_total", models.BigIntegerField(default=0)),
                        ("rows_read", models.BigIntegerField(default=0)),
                        ("imported", models.BigIntegerField(default=0)),
                        ("duplicates", models.BigIntegerField(default=0)),
                        ("rejected", models.BigIntegerField(default=0)),
                        ("problems", models.JSONField(blank=True, default=list)),
                        ("has_report", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField()),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="import_jobs",
                                to="core.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "intake_importjob",
                        "indexes": [models.Index(fields=["status", "heartbeat_at"], name="import_job_status")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
