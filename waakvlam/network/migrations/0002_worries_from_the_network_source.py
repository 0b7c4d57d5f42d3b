"""Worries reported before the informal network had its own source were taken in as `resident`; the signal
each one became is known (SupporterReport.signal), so it moves to `network`."""

from typing import Any

from django.db import migrations


def _network_source(apps: Any, schema_editor: Any) -> None:
    report = apps.get_model("network", "SupporterReport")
    signal = apps.get_model("intake", "Signal")
    ids = report.objects.filter(signal__isnull=False).values("signal_id")
    signal.objects.filter(pk__in=ids, source_kind="resident").update(source_kind="network")


def _resident_source(apps: Any, schema_editor: Any) -> None:
    report = apps.get_model("network", "SupporterReport")
    signal = apps.get_model("intake", "Signal")
    ids = report.objects.filter(signal__isnull=False).values("signal_id")
    signal.objects.filter(pk__in=ids, source_kind="network").update(source_kind="resident")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_supporter_links_and_reports"),
        ("intake", "0008_network_worry_source"),
    ]

    operations = [migrations.RunPython(_network_source, _resident_source)]
