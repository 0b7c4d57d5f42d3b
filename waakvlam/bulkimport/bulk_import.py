"""Bulk CSV import of signals (payment-arrears early warning and other partner feeds; INTERFACE.md).

The file is read twice, both times as a stream, so its size does not matter for memory:

1. the pre-check (`import_precheck`) reads it in 1 MiB chunks: size limit, UTF-8 throughout, no binary
   content, a header with every required column. A file that fails is refused as a whole, before anything
   is written, with a message that says what to do.
2. the import reads it record by record with the csv module (comma or semicolon, sniffed from the header;
   quoted fields with newlines; CRLF; a UTF-8 BOM; empty lines skipped), validates every row
   (`RowValidator`, one problem per bad column) and hands the good rows to the writer in batches of
   BATCH_SIZE (`import_write.BatchWriter`), one transaction per batch. A large file is read in a child
   process, and on PostgreSQL two writer threads write batches at once (ADR 0008); the outcome is the
   same as one writer's (tests/intake/test_import_parallel.py).

Bad rows go to the report (line, external_id, column, reason) and never stop the good ones. Re-importing
a file creates nothing new: external_id is unique per organisation, so a row already in counts as a
duplicate. A killed import can therefore simply be run again: every batch committed or not at all.
"""

from __future__ import annotations

import codecs
import csv
import multiprocessing
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.utils import timezone

from waakvlam.bulkimport.import_rows import COLUMNS, REQUIRED, Problem, Row, RowValidator
from waakvlam.bulkimport.import_write import BatchWriter, encrypt_details, taken_external_ids
from waakvlam.core.csvfiles import csv_writer
from waakvlam.core.models import Organisation
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

# Rows per transaction. 5,000 rather than 2,000: fewer round trips and look-ups per row (a million rows:
# 62.0 s against 63.3 s), and at most about eight batches are in memory at once (queues and writers).
BATCH_SIZE = 5000
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
        self.writer = csv_writer(stream, delimiter=delimiter) if stream is not None else None
        self.result = result
        if self.writer is not None:
            self.writer.writerow(REPORT_HEADER)

    def add(self, problem: Problem) -> None:
        if self.writer is not None:
            self.writer.writerow([problem.line, problem.external_id, problem.column, problem.outcome, problem.reason])
        if len(self.result.problems) < MAX_PREVIEW:
            self.result.problems.append(problem)


Write = Callable[[list[Row], bool], list[Row]]  # (rows, final) -> the duplicates, not written

# Writer threads on PostgreSQL, each with its own connection, taking batches as they come: while
# PostgreSQL inserts and indexes one batch (on one core), the other thread prepares the next one (on
# the other), instead of the two waiting for each other. ADR 0008.
WRITERS = 2  # three were slower: the backends then mostly contend for the same index pages


class _Pipeline:
    """Hands full batches to the writers: `threads` writer threads of their own (PostgreSQL), so reading
    the next batch and preparing one overlap the database's work on another; or in line (threads=0). At
    most two batches wait, so memory stays bounded whatever the file's size.

    Each thread has its own BatchWriter (from `make_writer`) and its own connection, so two batches may
    be in their transactions at once: what makes that safe is in ADR 0008 and BatchWriter's doc. In line,
    the last batch is written with final=True (a synchronous commit, which makes every earlier one
    durable); with threads, close() does that flush itself once every batch has committed."""

    def __init__(self, make_writer: Callable[[], Write], *, threads: int) -> None:
        self.make_writer = make_writer
        self.threads = threads
        self.done: queue.Queue[tuple[int, list[Row]] | BaseException] = queue.Queue()
        self.closed = False
        if threads:
            self.todo: queue.Queue[list[Row] | None] = queue.Queue(maxsize=2)
            self.workers = [
                threading.Thread(target=self._run, name=f"import-writer-{i}", daemon=True) for i in range(threads)
            ]
            for worker in self.workers:
                worker.start()
        else:
            self.write = make_writer()

    def _run(self) -> None:
        from django.db import connection

        try:
            write = self.make_writer()
            while (rows := self.todo.get()) is not None:
                self.done.put((len(rows), write(rows, False)))
        except BaseException as error:  # handed to the reading thread, which raises it
            self.done.put(error)
            while self.todo.get() is not None:  # let the reader finish putting, then stop
                pass
        finally:
            connection.close()

    def submit(self, rows: list[Row], *, final: bool = False) -> None:
        if not self.threads:
            self.done.put((len(rows), self.write(rows, final)))
        elif rows:
            self.todo.put(rows)

    def results(self) -> list[tuple[int, list[Row]]]:
        out: list[tuple[int, list[Row]]] = []
        while True:
            try:
                item = self.done.get_nowait()
            except queue.Empty:
                return out
            if isinstance(item, BaseException):
                self.close(flush=False)
                raise item
            out.append(item)

    def close(self, *, flush: bool = True) -> None:
        """Wait for the writers to finish; then (threads, flush) make every batch durable at once."""
        if not self.threads or self.closed:
            return
        self.closed = True
        for _worker in self.workers:
            self.todo.put(None)  # each thread takes exactly one, whether it stops normally or after an error
        for worker in self.workers:
            worker.join()
        if flush and all(not isinstance(item, BaseException) for item in list(self.done.queue)):
            self.make_writer()([], True)


def _threaded_writes() -> bool:
    """A writer thread needs a connection of its own that sees what this one committed: PostgreSQL, outside
    a transaction (a test's transaction would hide its data from the other connection)."""
    from django.db import connection

    return connection.vendor == "postgresql" and not connection.in_atomic_block


@dataclass
class _Batch:
    """What reading the file yields: up to batch_size valid rows, with the problems, counts and position
    of the stretch of file they came from."""

    rows: list[Row]
    problems: list[Problem]
    read: int  # records read in this stretch (blank lines not counted)
    rejected: int
    last_line: int  # the file's line number at the end of this stretch
    final: bool = False  # the rest of the file: the last batch, possibly empty


def _batches(path: Path, pre: Precheck, validator: RowValidator, batch_size: int) -> Iterator[_Batch]:
    """Read and validate the whole file, one batch at a time; the last one (possibly empty) at the end."""
    batch = _Batch([], [], 0, 0, 0)
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
                    batch.read += 1
                    batch.rejected += 1
                    reason = f"Geen geldige CSV-regel ({error}); staat er een aanhalingsteken dat niet wordt gesloten?"
                    batch.problems.append(Problem(last_line + 1, "", "", reason))
                    last_line = reader.line_num
                    continue
                line, last_line = last_line + 1, reader.line_num
                if not fields or not any(f.strip() for f in fields):
                    continue
                batch.read += 1
                checked = validator.validate(fields, line)
                if isinstance(checked, Row):
                    batch.rows.append(checked)
                    if len(batch.rows) >= batch_size:
                        batch.last_line = last_line
                        yield batch
                        batch = _Batch([], [], 0, 0, 0)
                else:
                    batch.rejected += 1
                    batch.problems.extend(checked)
            batch.last_line, batch.final = last_line, True
            yield batch
    finally:
        csv.field_size_limit(previous_limit)


# A file this large is read and validated in a process of its own (see _read_elsewhere).
READER_PROCESS_LINES = 50_000
SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005


def _reader_process_possible() -> bool:
    """A child process by fork: only where fork is safe (no other thread whose locks the child would
    inherit half-held: the command line, not the web process's import jobs) and worth it (PostgreSQL,
    whose writer thread then has this process's interpreter to itself)."""
    return _threaded_writes() and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _reader_main(
    path: Path, pre: Precheck, validator: RowValidator, batch_size: int, out: Any, encrypt_for: int | None
) -> None:  # pragma: no cover - runs in the child process (its effect is tested through signals_import)
    from django.db import connections

    parent = os.getppid()

    def put(item: object) -> None:
        # Never blocks for good: when the parent is gone (killed), nobody reads the queue any more.
        while True:
            try:
                out.put(item, timeout=1)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(1)

    # A connection of the child's own (the inherited one belongs to the parent and is never touched).
    database = connections.create_connection("default") if encrypt_for is not None else None
    try:
        for batch in _batches(path, pre, validator, batch_size):
            if database is not None and encrypt_for is not None:
                _encrypt_new(batch.rows, database, encrypt_for)
            put(batch)
        put(None)
    except BaseException as error:  # handed to the parent, which raises it
        put(RuntimeError(f"Reading the file failed: {error!r}"))
    finally:
        if database is not None:
            database.close()
    out.close()
    out.join_thread()


def _encrypt_new(rows: list[Row], database: Any, organisation_id: int) -> None:
    """Encrypt the debtor details of the rows whose external_id the organisation does not have yet, in
    the reading process: Fernet is a fifth of the writer's Python time, and here it runs on the other
    core. Rows already in (a re-import) are left alone, so a re-import encrypts nothing; the writer
    encrypts whatever is left (a row this check saw as taken that was not, which cannot happen unless
    a signal was deleted)."""

    wanted = [row.external_id for row in rows if row.debtor_details]
    if not wanted:
        return
    with database.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_bitmapscan = off")
        taken = taken_external_ids(cursor, organisation_id, wanted)
    encrypt_details([row for row in rows if row.debtor_details and row.external_id not in taken])


def _read_elsewhere(
    path: Path, pre: Precheck, validator: RowValidator, batch_size: int, encrypt_for: int | None
) -> Iterator[_Batch]:
    """_batches, run in a forked child process: parsing and validating (about 40% of the import's Python
    time) then run on another core than the writing, instead of sharing this interpreter's lock with it.
    At most four batches wait in the queue, so memory stays bounded. The child starts here, at once (not
    when the batches are first asked for), so that it is forked before any other thread exists."""
    context = multiprocessing.get_context("fork")
    channel: Any = context.Queue(maxsize=4)
    child = context.Process(
        target=_reader_main,
        args=(path, pre, validator, batch_size, channel, encrypt_for),
        name="import-reader",
        daemon=True,
    )
    child.start()

    def receive() -> Iterator[_Batch]:
        try:
            while True:
                try:
                    item = channel.get(timeout=5)
                except queue.Empty:
                    if not child.is_alive():
                        raise RuntimeError(f"The import's reading process died (exit code {child.exitcode}).") from None
                    continue
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            if child.is_alive():
                child.terminate()
            child.join()
            channel.close()

    return receive()


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
    reader_process: bool | None = None,
) -> ImportResult:
    """Import the signals in the CSV file at `path` for `organisation`; see the module doc.

    Raises ImportRefused (nothing written) when the file as a whole cannot be imported. `run_id` names
    this run in the notifications it queues (one per owning team per run). With `dry_run` every row is
    validated and checked for duplicates, and nothing is written. `reader_process`: read and validate in
    a child process (default: for files of READER_PROCESS_LINES lines or more, where that is possible)."""

    started = time.monotonic()
    pre = import_precheck(path, max_bytes=max_bytes)
    result = ImportResult(lines_total=pre.lines, delimiter=pre.delimiter, ignored_columns=pre.ignored, dry_run=dry_run)
    sink = _Report(report, pre.delimiter, result)
    validator = RowValidator(pre.header, now=timezone.now())
    if reader_process is None:
        reader_process = pre.lines >= READER_PROCESS_LINES and _reader_process_possible()
    # The child is forked before the writer thread starts, so it inherits no thread at all.
    switch_interval = sys.getswitchinterval()
    if reader_process:
        # The reading process encrypts the details of new rows on PostgreSQL (it asks which are new).
        encrypt_for = organisation.pk if not dry_run and _threaded_writes() else None
        batches = _read_elsewhere(path, pre, validator, batch_size, encrypt_for)
        # This process is then the import alone (reader_process needs a single thread): its two writer
        # threads and the thread taking batches from the reader hand the interpreter to each other at
        # every round trip to the database, and the default 5 ms slice made each wait for the other.
        sys.setswitchinterval(SWITCH_INTERVAL)
    else:
        batches = _batches(path, pre, validator, batch_size)

    def make_writer() -> Write:
        writer = BatchWriter(organisation=organisation, actor=actor, run_id=run_id, context=context, dry_run=dry_run)
        return lambda rows, final: writer.write(rows, final=final)

    # A dry run keeps one writer: it remembers the external ids met earlier in the file.
    pipeline = _Pipeline(make_writer, threads=WRITERS if _threaded_writes() and not dry_run else 0)

    def count(done: list[tuple[int, list[Row]]]) -> None:
        for written, duplicates in done:
            for row in duplicates:
                sink.add(Problem(row.line, row.external_id, "external_id", DUPLICATE_REASON, "dubbel"))
            result.duplicates += len(duplicates)
            result.imported += written - len(duplicates)

    try:
        for batch in batches:
            result.read += batch.read
            result.rejected += batch.rejected
            for problem in batch.problems:
                sink.add(problem)
            # The last batch goes in also when empty: its (synchronous) commit makes the others durable.
            pipeline.submit(batch.rows, final=batch.final)
            count(pipeline.results())
            if progress is not None:
                progress(batch.last_line, result)
        pipeline.close()
        count(pipeline.results())
    finally:
        pipeline.close(flush=False)
        if isinstance(batches, Generator):
            batches.close()
        sys.setswitchinterval(switch_interval)
    result.seconds = time.monotonic() - started
    if progress is not None:
        progress(pre.lines, result)
    return result
