"""Bulk CSV import of signals (payment-arrears early warning and other partner feeds; INTERFACE.md).

The file is read twice, both times as a stream, so its size does not matter for memory:

1. the pre-check (`import_precheck`) reads it in 1 MiB chunks: size limit, UTF-8 throughout, no binary
   content, a header with every required column. A file that fails is refused as a whole, before anything
   is written, with a message that says what to do.
2. the import reads it record by record with the csv module (comma or semicolon, sniffed from the header;
   quoted fields with newlines; CRLF; a UTF-8 BOM; empty lines skipped), validates every row
   (`RowValidator`, one problem per bad column) and hands the good rows to the writer in batches of
   BATCH_SIZE (`import_write.BatchWriter`), one transaction per batch.

Bad rows go to the report (line, external_id, column, reason) and never stop the good ones. Re-importing
a file creates nothing new: external_id is unique per organisation, so a row already in counts as a
duplicate. A killed import can therefore simply be run again: every batch committed or not at all.
"""

from __future__ import annotations

import codecs
import csv
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from waakvlam.core.models import Organisation
from waakvlam.intake.import_rows import COLUMNS, REQUIRED, Problem, Row, RowValidator
from waakvlam.privacy.services import Actor

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "REQUIRED",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "import_precheck",
    "max_import_bytes",
    "signals_import",
]

BATCH_SIZE = 2000
MAX_PREVIEW = 50  # problems kept in memory for the summary on screen; the report file has them all
CHUNK = 1 << 20
# csv's own limit is 128 KiB per field; a note is at most 5,000 characters, so a field this long is an
# unclosed quote swallowing the lines after it. Keeping the limit bounds the memory one record can take.
FIELD_LIMIT = 64 * 1024


class ImportRefused(Exception):
    """The file as a whole cannot be imported; `message` says why and what to do (Dutch)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    lines_total: int = 0
    delimiter: str = ","
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PREVIEW
    seconds: float = 0.0
    dry_run: bool = False


def max_import_bytes() -> int:
    """The largest file we take (default 1 GiB, about six million rows): WAAKVLAM_IMPORT_MAX_MB."""
    configured = getattr(settings, "WAAKVLAM_IMPORT_MAX_BYTES", None)
    if configured:
        return int(configured)
    return int(os.environ.get("WAAKVLAM_IMPORT_MAX_MB", "1024")) << 20


# --- 1. the pre-check ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Precheck:
    size: int
    lines: int
    delimiter: str
    header: list[str]  # normalised column names, in file order
    ignored: list[str]  # columns we do not know (left alone)


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB".replace(",", ".")


def import_precheck(path: Path, *, max_bytes: int | None = None) -> Precheck:
    """Refuse a file that cannot be imported, reading it as a stream; raises ImportRefused."""
    limit = max_import_bytes() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportRefused(
            f"Het bestand {path.name} bestaat niet of is niet te lezen. Controleer de naam en de map."
        ) from None
    if size > limit:
        raise ImportRefused(
            f"Het bestand is {_mib(size)} groot; de grens is {_mib(limit)}. Splits het in kleinere bestanden "
            "(elk met de kopregel) of laat de beheerder WAAKVLAM_IMPORT_MAX_MB verhogen."
        )
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    lines, first = 0, bytearray()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if b"\x00" in chunk:
                raise ImportRefused(
                    "Dit is geen CSV-bestand: het bevat binaire gegevens (is het misschien een Excel-bestand?). "
                    "Sla het op als 'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw."
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = lines + chunk.count(b"\n", 0, error.start) + 1
                raise ImportRefused(
                    f"Het bestand is geen UTF-8 (het eerste onleesbare teken staat op regel {line}). Sla het op als "
                    "'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw."
                ) from None
            if len(first) < FIELD_LIMIT and b"\n" not in first:
                first += chunk[: FIELD_LIMIT - len(first)]
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ImportRefused(
                "Het bestand is geen UTF-8 (het houdt midden in een teken op). Sla het op als "
                "'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw."
            ) from None
    if size and not first.endswith(b"\n"):
        lines += 1  # a last line without a line end
    header_line = bytes(first).split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
    if not header_line.strip():
        raise ImportRefused(
            "Het bestand is leeg of begint met een lege regel. De eerste regel moet de kolomnamen bevatten, "
            "zoals external_id;signal_date;source_kind;postcode;house_number."
        )
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [_column_name(name) for name in next(csv.reader([header_line], delimiter=delimiter))]
    known = [name for name in header if name in COLUMNS]
    if not known:
        raise ImportRefused(
            "Dit lijkt geen CSV-bestand met signalen: de eerste regel moet de kolomnamen bevatten, gescheiden "
            "door komma's of puntkomma's, zoals external_id;signal_date;source_kind;postcode;house_number."
        )
    doubles = sorted({name for name in known if known.count(name) > 1})
    if doubles:
        raise ImportRefused(f"De kolom {', '.join(doubles)} staat twee keer in de kopregel. Haal er één weg.")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRefused(
            f"Verplichte kolom ontbreekt: {', '.join(missing)}. Voeg die toe aan de kopregel (verplicht zijn "
            f"{', '.join(REQUIRED)}) en probeer het opnieuw."
        )
    ignored = [name for name in header if name and name not in COLUMNS]
    return Precheck(size=size, lines=lines, delimiter=delimiter, header=header, ignored=ignored)


def _column_name(raw: str) -> str:
    """`External ID`, `external-id` and ` external_id ` all name the column external_id."""
    return re.sub(r"[\s\-]+", "_", raw.strip().lstrip("\ufeff").strip().lower())


# --- 2. the whole file ------------------------------------------------------------------------------------------

Progress = Callable[[int, ImportResult], None]  # (lines read so far, counts so far)
REPORT_HEADER = ["regel", "external_id", "kolom", "uitkomst", "reden"]
DUPLICATE_REASON = "Al eerder ingelezen; niets gewijzigd."


class _Report:
    def __init__(self, stream: TextIO | None, delimiter: str, result: ImportResult) -> None:
        self.writer = csv.writer(stream, delimiter=delimiter) if stream is not None else None
        self.result = result
        if self.writer is not None:
            self.writer.writerow(REPORT_HEADER)

    def add(self, problem: Problem) -> None:
        if self.writer is not None:
            self.writer.writerow([problem.line, problem.external_id, problem.column, problem.outcome, problem.reason])
        if len(self.result.problems) < MAX_PREVIEW:
            self.result.problems.append(problem)


class _Pipeline:
    """Hands full batches to the writer: in a thread of its own when `threaded` (PostgreSQL), so parsing
    and validating the next batch overlaps the database's work on this one; otherwise in line. At most
    two batches wait, so memory stays bounded whatever the file's size."""

    def __init__(self, write: Callable[[list[Row], bool], list[Row]], *, threaded: bool) -> None:
        self.write = write
        self.threaded = threaded
        self.done: queue.Queue[tuple[int, list[Row]] | BaseException] = queue.Queue()
        if threaded:
            self.todo: queue.Queue[tuple[list[Row], bool] | None] = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        from django.db import connection

        try:
            while (item := self.todo.get()) is not None:
                rows, final = item
                self.done.put((len(rows), self.write(rows, final)))
        except BaseException as error:  # handed to the reading thread, which raises it
            self.done.put(error)
            while self.todo.get() is not None:  # let the reader finish putting, then stop
                pass
        finally:
            connection.close()

    def submit(self, rows: list[Row], *, final: bool = False) -> None:
        if not self.threaded:
            self.done.put((len(rows), self.write(rows, final)))
            return
        self.todo.put((rows, final))

    def results(self) -> list[tuple[int, list[Row]]]:
        out: list[tuple[int, list[Row]]] = []
        while True:
            try:
                item = self.done.get_nowait()
            except queue.Empty:
                return out
            if isinstance(item, BaseException):
                self.close()
                raise item
            out.append(item)

    def close(self) -> None:
        if self.threaded and self.thread.is_alive():
            self.todo.put(None)
            self.thread.join()


def _threaded_writes() -> bool:
    """A writer thread needs a connection of its own that sees what this one committed: PostgreSQL, outside
    a transaction (a test's transaction would hide its data from the other connection)."""
    from django.db import connection

    return connection.vendor == "postgresql" and not connection.in_atomic_block


def signals_import(
    *,
    path: Path,
    organisation: Organisation,
    actor: Actor,
    run_id: str,
    dry_run: bool = False,
    report: TextIO | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    context: str = "import:csv",
    max_bytes: int | None = None,
) -> ImportResult:
    """Import the signals in the CSV file at `path` for `organisation`; see the module doc.

    Raises ImportRefused (nothing written) when the file as a whole cannot be imported. `run_id` names
    this run in the notifications it queues (one per owning team per run). With `dry_run` every row is
    validated and checked for duplicates, and nothing is written."""
    from waakvlam.intake.import_write import BatchWriter

    started = time.monotonic()
    pre = import_precheck(path, max_bytes=max_bytes)
    result = ImportResult(lines_total=pre.lines, delimiter=pre.delimiter, ignored_columns=pre.ignored, dry_run=dry_run)
    sink = _Report(report, pre.delimiter, result)
    writer = BatchWriter(
        organisation=organisation,
        actor=actor,
        run_id=run_id,
        context=context,
        dry_run=dry_run,
    )
    validator = RowValidator(pre.header, now=timezone.now())
    pipeline = _Pipeline(lambda rows, final: writer.write(rows, final=final), threaded=_threaded_writes())
    batch: list[Row] = []

    def count(done: list[tuple[int, list[Row]]]) -> None:
        for written, duplicates in done:
            for row in duplicates:
                sink.add(Problem(row.line, row.external_id, "external_id", DUPLICATE_REASON, "dubbel"))
            result.duplicates += len(duplicates)
            result.imported += written - len(duplicates)

    previous_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, delimiter=pre.delimiter)
            next(reader, None)  # the header, checked above
            last_line = reader.line_num
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    result.read += 1
                    result.rejected += 1
                    reason = f"Geen geldige CSV-regel ({error}); staat er een aanhalingsteken dat niet wordt gesloten?"
                    sink.add(Problem(last_line + 1, "", "", reason))
                    last_line = reader.line_num
                    continue
                line, last_line = last_line + 1, reader.line_num
                if not fields or not any(f.strip() for f in fields):
                    continue
                result.read += 1
                checked = validator.validate(fields, line)
                if isinstance(checked, Row):
                    batch.append(checked)
                    if len(batch) >= batch_size:
                        pipeline.submit(batch)
                        batch = []
                        count(pipeline.results())
                else:
                    result.rejected += 1
                    for problem in checked:
                        sink.add(problem)
                if progress is not None and result.read % batch_size == 0:
                    progress(last_line, result)
        pipeline.submit(batch, final=True)  # also when empty: the final commit makes the others durable
        pipeline.close()
        count(pipeline.results())
    finally:
        pipeline.close()
        csv.field_size_limit(previous_limit)
    result.seconds = time.monotonic() - started
    if progress is not None:
        progress(pre.lines, result)
    return result
