"""`waakvlam import-signals FILE --org SLUG [--dry-run] [--report OUT.csv]` (INTERFACE.md).

Exit 0 when the file was read (even with bad rows: they are in the counts and the report), 1 when it
could not be (unknown organisation, missing file, not UTF-8, not CSV, a required column missing), with a
message that says what to do. On a terminal a progress bar shows rows per second; otherwise (a log, a
pipe) a plain line every few seconds.
"""

from __future__ import annotations

import gc
import getpass
import sys
import time
import uuid
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waakvlam.bulkimport.bulk_import import BATCH_SIZE, ImportRefused, ImportResult, signals_import
from waakvlam.core.models import Organisation
from waakvlam.privacy.services import Actor

PLAIN_EVERY = 5.0  # seconds between progress lines when stdout is not a terminal
BAR_EVERY = 0.2


def _n(number: float) -> str:
    """1.234.567: the Dutch way of grouping digits."""
    return f"{number:,.0f}".replace(",", ".")


class Progress:
    def __init__(self, out: TextIO, *, tty: bool) -> None:
        self.out, self.tty = out, tty
        self.started = self.last = time.monotonic()
        self.width = 30

    def __call__(self, lines: int, result: ImportResult) -> None:
        now = time.monotonic()
        if now - self.last < (BAR_EVERY if self.tty else PLAIN_EVERY) and lines < result.lines_total:
            return
        self.last = now
        total = max(result.lines_total, 1)
        fraction = min(1.0, lines / total)
        rate = result.read / max(now - self.started, 1e-6)
        if self.tty:
            done = int(fraction * self.width)
            bar = "#" * done + "." * (self.width - done)
            self.out.write(f"\r[{bar}] {fraction:4.0%} {_n(lines)}/{_n(total)} lines, {_n(rate)} rows/s ")
        else:
            self.out.write(f"{fraction:.0%}: {_n(lines)} of {_n(total)} lines, {_n(rate)} rows/s\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("\n")


class Command(BaseCommand):
    help = (
        "Import signals from a CSV file for an organisation (payment-arrears early warning and other partner "
        "feeds). Bad rows are reported and skipped; re-importing the same file creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file (UTF-8, comma or semicolon, header row)")
        parser.add_argument("--org", required=True, metavar="SLUG", help="the organisation that delivers the file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--report", metavar="OUT.csv", help="write every rejected or duplicate row here")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"rows per transaction ({BATCH_SIZE})")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.select_related("municipality").filter(slug=options["org"]).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True)[:30])
            raise CommandError(f"Onbekende organisatie {options['org']!r}. Kies een van: {known or '(nog geen)'}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Het bestand {path} bestaat niet. Controleer de naam en de map.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size moet minstens 1 zijn.")
        actor = Actor(username=f"cli:{_login()}", role="system", organisation=organisation.slug)
        report_path = Path(options["report"]) if options["report"] else None
        # The raw stream: OutputWrapper would end every write with a newline, and the bar redraws one line.
        raw: TextIO = getattr(self.stdout, "_out", sys.stdout)
        progress = Progress(raw, tty=self.stdout.isatty())
        report = report_path.open("w", encoding="utf-8-sig", newline="") if report_path else None
        # This process does nothing but the import, and the rows it makes hold no reference cycles: the
        # collector would only walk the ever more objects in memory (a tenth of the import's own CPU time).
        gc.disable()
        try:
            result = signals_import(
                path=path,
                organisation=organisation,
                actor=actor,
                run_id=f"cli:{uuid.uuid4().hex}",
                dry_run=options["dry_run"],
                report=report,
                progress=progress,
                batch_size=options["batch_size"],
                context=f"cli:import-signals {path.name}"[:200],
            )
        except ImportRefused as refused:
            if report is not None:
                report.close()
                report = None
                if report_path is not None:
                    report_path.unlink(missing_ok=True)
            raise CommandError(refused.message) from None
        except KeyboardInterrupt:
            progress.finish()
            raise CommandError(
                "Afgebroken. Wat al was ingelezen blijft staan; draai dezelfde opdracht opnieuw om de rest in te "
                "lezen (regels die er al zijn tellen dan als dubbel)."
            ) from None
        finally:
            gc.enable()
            if report is not None:
                report.close()
        progress.finish()
        self._summary(result, report_path)

    def _summary(self, result: ImportResult, report_path: Path | None) -> None:
        rate = result.read / result.seconds if result.seconds else 0
        mode = "dry run, nothing written: " if result.dry_run else ""
        would = "would be imported" if result.dry_run else "imported"
        self.stdout.write(
            f"{mode}read {result.read}, {would} {result.imported}, duplicates {result.duplicates}, "
            f"rejected {result.rejected} ({result.seconds:.1f} s, {_n(rate)} rows/s)"
        )
        if result.ignored_columns:
            self.stdout.write(f"Columns not used: {', '.join(result.ignored_columns)}")
        for problem in result.problems[:10]:
            where = f" [{problem.column}]" if problem.column else ""
            self.stdout.write(f"  line {problem.line}{where} {problem.external_id}: {problem.reason}")
        if result.rejected + result.duplicates > 10:
            hint = f"all of them are in {report_path}" if report_path else "use --report OUT.csv to get all of them"
            self.stdout.write(f"  … {result.rejected + result.duplicates - 10} more; {hint}.")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
