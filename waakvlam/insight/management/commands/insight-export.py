"""`waakvlam insight-export --month YYYY-MM OUT.csv`: one month's open-data CSV (docs/open-data.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from waakvlam.core.models import Municipality
from waakvlam.insight.opendata import MonthError, open_data_csv, parse_month


class Command(BaseCommand):
    help = "Write one month's suppressed figures per neighbourhood as the open-data CSV."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", required=True, help="the month, YYYY-MM")
        parser.add_argument("--municipality", default="", help="CBS code (GMxxxx); needed when there are several")
        parser.add_argument("out", help="the CSV file to write ('-' for standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except MonthError as error:
            raise CommandError(str(error)) from None
        municipalities = Municipality.objects.all()
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"].upper())
        if municipalities.count() != 1:
            raise CommandError("Name exactly one municipality with --municipality GMxxxx.")
        text = open_data_csv(municipalities.get(), month, now=timezone.now())
        if options["out"] == "-":
            self.stdout.write(text, ending="")
        else:
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"written: {options['out']}")
