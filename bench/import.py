"""Bulk CSV import: a seeded file of 1,000,000 arrears signals through `waakvlam import-signals`.

The file looks like a real creditor's export: semicolons, a UTF-8 BOM, CRLF line ends, comma decimals,
postcodes and house numbers spelled every which way, contact details on most rows, a standard note on
some, and about 1% bad rows. For each database (PostgreSQL, and SQLite) a fresh database gets the demo
town with BENCH_IMPORT_HOUSEHOLDS addresses (no signals), then the import runs in its own process, timed
from start to exit, with its peak memory (ru_maxrss from wait4). Everything the import does is measured:
validation, address look-up, household linking, routing, encryption of the contact details, two history
steps and one access-log entry per signal.

The floor: PostgreSQL's own COPY of the same file into a bare table of text columns, from the same
client, i.e. what moving the bytes into the database costs without any of that work.

Target (issue 4): 1M rows under 60 s on PostgreSQL on 2 cores, peak memory under 1 GB.

    python -m bench import        # BENCH_IMPORT_ROWS=100000 for a quick run; BENCH_IMPORT_DATABASES=postgres
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT, bench_env, fresh_database, postgres_available, waakvlam, write_result

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
HOUSEHOLDS = int(os.environ.get("BENCH_IMPORT_HOUSEHOLDS", "200000"))
SEED = 7513
TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 1024

HEADER = [
    "external_id",
    "signal_date",
    "category",
    "source_kind",
    "postcode",
    "house_number",
    "house_letter",
    "house_number_addition",
    "arrears_amount",
    "arrears_months",
    "surname",
    "initials",
    "birth_date",
    "phone",
    "email",
    "note",
]
SURNAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Yilmaz", "El Amrani", "Kaya",
    "Nguyen", "Öztürk", "Çelik", "Müller", "Kowalski", "Sánchez", "van 't Hof",
]  # fmt: skip
NOTES = [
    "Huurachterstand, herinnering en aanmaning verstuurd.",
    "Geen reactie op brieven en telefoontjes.",
    "Betalingsregeling niet nagekomen.",
    "Energierekening twee maanden niet betaald.",
    "Bewoner gaf aan hulp te willen bij de post.",
    "Incasso gestorneerd.",
    "Contact met dhr. Jansen via 06-12345678 mislukt.",
    "Zorgpremie vier maanden achterstallig.",
]
SOURCES = ["housing", "housing", "housing", "energy", "energy", "water", "health_insurance", "other"]


def demo_addresses(households: int) -> list[tuple[str, int, str]]:
    """The addresses `load-demo --households N --seed 7513` creates, without a database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from waakvlam.demo import town
    from waakvlam.demo.services import demo_address_plan

    digits = town.MUNICIPALITY[0][2:]
    codes = sorted(f"BU{digits}{s}{i:02d}" for s, _, hoods in town.DISTRICTS for i in range(len(hoods)))
    rng = random.Random(SEED)
    out = []
    for plan in demo_address_plan(codes, households, rng):
        for number in range(1, plan.houses + 1):
            out.append((plan.postcode, number, "A" if number % 17 == 0 else ""))
    return out


def _spell(postcode: str, number: int, letter: str, rng: random.Random) -> tuple[str, str, str]:
    """The same address as different partners write it."""
    style = rng.random()
    if style < 0.5:
        return postcode, str(number), letter
    if style < 0.7:
        return f"{postcode[:4]} {postcode[4:].lower()}", f"{number}{letter.lower()}", ""
    if style < 0.85:
        return f"{postcode[:4]} {postcode[4:]}", f"{number}-{letter}" if letter else str(number), ""
    return postcode.lower(), f"{number} {letter}".strip(), ""


def rows(count: int, households: int, seed: int = SEED) -> Iterator[list[str]]:
    rng = random.Random(seed)
    addresses = demo_addresses(households)
    today = date(2026, 11, 1)
    for i in range(count):
        postcode, number, letter = rng.choice(addresses)
        pc, nr, lt = _spell(postcode, number, letter, rng)
        has_contact = rng.random() < 0.9
        row = [
            f"WBV-2026-{i:07d}",
            (today - timedelta(days=rng.randrange(300))).isoformat(),
            "payment_arrears" if rng.random() < 0.92 else "eviction_risk",
            rng.choice(SOURCES),
            pc,
            nr,
            lt,
            "",
            f"{rng.randrange(50, 5000)},{rng.randrange(100):02d}",
            str(rng.randrange(1, 12)),
            rng.choice(SURNAMES) if has_contact else "",
            rng.choice(["J.", "A.B.", "M.", "P.J.", "S."]) if has_contact else "",
            date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)).isoformat()
            if has_contact
            else "",
            f"06-{rng.randrange(10**8):08d}" if rng.random() < 0.5 else "",
            f"debiteur{i}@example.nl" if rng.random() < 0.3 else "",
            rng.choice(NOTES) if rng.random() < 0.3 else "",
        ]
        roll = rng.random()
        if roll < 0.005:
            row[4] = "12345"  # a bad postcode
        elif roll < 0.01:
            row[1] = "31-13-2026"  # a bad date
        yield row


def write_file(path: Path, count: int, households: int) -> int:
    """The messy-but-valid CSV a creditor sends; returns its size in bytes."""
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(count, households))
    return path.stat().st_size


class BackendCpu:
    """CPU seconds the database's server processes spent for one database while the import ran (PostgreSQL
    on this machine): sampled from /proc, since a backend's time is gone when its connection closes. With
    the import's own CPU time this tells what an idle machine would take, whatever else is running."""

    def __init__(self, database_url: str) -> None:
        self.url = "postgresql://" + database_url.split("://", 1)[1]
        self.name = database_url.rsplit("/", 1)[1]
        self.seen: dict[int, float] = {}
        self.kinds: dict[int, str] = {}  # the import's own connections, or background work (autovacuum)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                pids = conn.execute(
                    "SELECT pid, backend_type FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.name],
                ).fetchall()
                for pid, kind in pids:
                    # Another role's processes (autovacuum) show no backend_type to the benchmark's role.
                    self.kinds[pid] = "client backends" if kind == "client backend" else "other (autovacuum)"
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
                self.stop.wait(0.2)

    def __enter__(self) -> BackendCpu:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def by_kind(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, seconds in self.seen.items():
            kind = self.kinds.get(pid, "other (autovacuum)")
            out[kind] = round(out.get(kind, 0.0) + seconds, 2)
        return out

    @property
    def seconds(self) -> float:
        return round(sum(self.seen.values()), 2)


class TreeRss:
    """The peak of the summed resident memory of a process and its children (the import reads the file in
    a child process of its own), sampled every 50 ms; wait4's ru_maxrss is one process's peak only."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        return pids

    def _run(self) -> None:
        while not self.stop.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(self._rss_kb(pid) for pid in self._tree()))

    def close(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak_kb / 1024


def run_import(env: dict[str, str], path: Path, org: str = "woonstede") -> dict[str, Any]:
    """The CLI in a child process: wall time, CPU time (wait4: the child and the reading process it
    waited for), and peak memory: the larger of wait4's ru_maxrss and the sampled sum over the child and
    its own children."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "waakvlam.config.cli", "import-signals", str(path), "--org", org],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=err,
        )
        memory = TreeRss(child.pid)
        # wait4 instead of wait(): it hands back this child's own resource usage, peak memory included.
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        tree_mb = memory.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if child.returncode != 0:
        raise RuntimeError(f"import-signals failed ({child.returncode}):\n{output}\n{errors}")
    summary = next((line for line in output.splitlines() if line.startswith("read ")), output.strip()[-300:])
    return {
        "seconds": round(seconds, 2),
        # CPU time of the import process itself; the rest of the wall time is the database's work.
        "python_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(max(usage.ru_maxrss / 1024, tree_mb), 1),
        "summary": summary,
    }


def copy_floor(database_url: str, path: Path) -> float:
    """PostgreSQL COPY of the same file into a bare text table: the floor for moving the rows at all."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        conn.execute(f"CREATE TABLE bench_floor ({', '.join(f'{c} text' for c in HEADER)})")
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY bench_floor FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')") as copy,
            path.open("rb") as stream,
        ):
            while chunk := stream.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


# The server settings the import's figures depend on (docs/operations.md, "PostgreSQL settings").
PG_SETTINGS = [
    "shared_buffers",
    "max_wal_size",
    "wal_buffers",
    "checkpoint_timeout",
    "synchronous_commit",
    "server_version",
]


def postgres_settings(database_url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        return {name: str(conn.execute(f"SHOW {name}").fetchone()[0]) for name in PG_SETTINGS}  # type: ignore[index]


def measure(kind: str, path: Path, workdir: Path) -> dict[str, Any]:
    with fresh_database(kind, workdir) as url:
        env = bench_env(url, workdir)
        setup = time.perf_counter()
        waakvlam(["migrate", "-v0"], env)
        waakvlam(["load-demo", "--households", str(HOUSEHOLDS), "--signals", "0", "--seed", str(SEED)], env)
        if kind == "postgres":
            _settle(url)
        setup_seconds = time.perf_counter() - setup
        load_before = os.getloadavg()[0]  # other work on the machine slows every figure below
        if kind == "postgres":
            with BackendCpu(url) as server:
                first = run_import(env, path)
            first["postgres_cpu_seconds"] = server.seconds
            first["postgres_cpu_by_kind"] = server.by_kind
            # Parsing and the database overlap (a writer thread), so an idle 2-core machine needs about
            # the larger of the two CPU times.
            first["idle_machine_estimate_seconds"] = max(first["python_cpu_seconds"], server.seconds)
        else:
            first = run_import(env, path)
        again = run_import(env, path)  # the same file again: everything is a duplicate, nothing written
        result: dict[str, Any] = {
            "database": kind,
            "setup_seconds": round(setup_seconds, 1),
            "load_average_before": round(load_before, 2),
            "import": {**first, "rows_per_second": round(ROWS / first["seconds"])},
            "reimport_same_file": {**again, "rows_per_second": round(ROWS / again["seconds"])},
        }
        if kind == "postgres":
            result["postgres_settings"] = postgres_settings(url)
            floor = copy_floor(url, path)
            result["copy_floor"] = {"seconds": round(floor, 2), "rows_per_second": round(ROWS / floor)}
            if ROWS >= 1_000_000:
                result["under_target"] = first["seconds"] < TARGET_SECONDS and first["peak_rss_mb"] < TARGET_PEAK_MB
            _await_autovacuum(url)
        return result


def _settle(database_url: str) -> None:
    """After loading the demo town: VACUUM ANALYZE, as a database in use has been, and wait until
    autovacuum has left it. Without this the import ran while autovacuum worked through the 200,000
    addresses just loaded, with tables the planner had no statistics for (80 s against 60 s)."""
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    _await_autovacuum(database_url)


def _await_autovacuum(database_url: str, limit: float = 300.0) -> None:
    """Wait for autovacuum to leave the database: DROP DATABASE … WITH (FORCE) may not end a worker that
    the benchmark's role does not own, and the million new rows set one off soon after the import."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    deadline = time.monotonic() + limit
    with psycopg.connect(database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        while time.monotonic() < deadline:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'autovacuum worker'",
                [name],
            ).fetchone()
            if not busy or not busy[0]:
                return
            time.sleep(1)


def main() -> None:
    chosen = os.environ.get("BENCH_IMPORT_DATABASES", "postgres,sqlite").split(",")
    kinds = [k for k in chosen if k == "sqlite" or (k == "postgres" and postgres_available())]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "achterstanden.csv"
        started = time.perf_counter()
        size = write_file(path, ROWS, HOUSEHOLDS)
        generated = time.perf_counter() - started
        by_database = {kind: measure(kind, path, workdir) for kind in kinds}
    write_result(
        "import",
        {
            "rows": ROWS,
            "file_mb": round(size / (1 << 20), 1),
            "file_seconds_to_generate": round(generated, 1),
            "households_loaded": HOUSEHOLDS,
            "targets": {"postgres_seconds": f"< {TARGET_SECONDS:.0f}", "peak_rss_mb": f"< {TARGET_PEAK_MB}"},
            "by_database": by_database,
        },
    )


if __name__ == "__main__":
    main()
