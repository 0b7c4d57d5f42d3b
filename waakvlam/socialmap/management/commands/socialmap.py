"""`waakvlam socialmap import PATH [--dry-run] [--report OUT.csv]` and `waakvlam socialmap export DIR`
(INTERFACE.md). Import exits 0 when the dataset was read (refused records are counted and reported), 1
when it could not be read at all; then nothing changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waakvlam.core.models import Municipality
from waakvlam.socialmap.hsds_export import hsds_export
from waakvlam.socialmap.hsds_import import Unreadable, read_path, report_write
from waakvlam.socialmap.hsds_write import hsds_records_write


def _municipality(code: str) -> Municipality:
    code = (code or str(getattr(settings, "WAAKVLAM_MUNICIPALITY", "") or "")).upper()
    found = Municipality.objects.filter(code=code).first() if code else Municipality.objects.order_by("pk").first()
    if found is None:
        raise CommandError(f"Onbekende gemeente {code or '(geen)'}: laad eerst de gemeente (waakvlam load-demo).")
    return found


class Command(BaseCommand):
    help = "Import or export the social map as an Open Referral HSDS 3.0 dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="read an HSDS 3.0 JSON document, list page or tabular datapackage folder")
        imp.add_argument("path")
        imp.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
        imp.add_argument("--report", metavar="OUT.csv", help="write each refused record and why")
        imp.add_argument("--municipality", default="", metavar="GMxxxx", help="default: WAAKVLAM_MUNICIPALITY")
        exp = sub.add_parser("export", help="write a tabular datapackage (CSV + datapackage.json) and JSON")
        exp.add_argument("dir")
        exp.add_argument("--municipality", default="", metavar="GMxxxx")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = _municipality(options["municipality"])
        if options["action"] == "export":
            counts = hsds_export(municipality, Path(options["dir"]))
            total = sum(counts.values())
            self.stdout.write(f"{total} rijen in {len(counts)} tabellen geschreven naar {options['dir']}")
            return
        try:
            records = read_path(Path(options["path"]))
        except Unreadable as error:
            self.stderr.write(f"waakvlam: niet ingelezen, er is niets veranderd: {error}")
            sys.exit(1)
        result = hsds_records_write(records, municipality=municipality, now=timezone.now(), dry_run=options["dry_run"])
        if options["report"]:
            report_write(Path(options["report"]), result.refused)
        verb = "zouden worden" if options["dry_run"] else "zijn"
        self.stdout.write(
            f"{len(records)} records gelezen: {result.created} nieuw, {result.updated} bijgewerkt, "
            f"{len(result.refused)} geweigerd ({verb} verwerkt in {municipality.name})."
        )
        for label, reason in result.refused[:20]:
            self.stdout.write(f"  geweigerd: {label}: {reason}")
