"""Shared pieces for benchmarks: a throw-away database, a real production server, a load driver."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = os.environ.get("WAAKVLAM_BENCH_POSTGRES", "postgres://waakvlam:waakvlam@127.0.0.1:5432/waakvlam")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def fresh_database(kind: str, workdir: Path) -> Iterator[str]:
    """A new, empty database URL of the given kind ("sqlite" or "postgres"), dropped afterwards."""
    if kind == "sqlite":
        path = workdir / f"bench-{secrets.token_hex(4)}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = f"waakvlam_bench_{secrets.token_hex(4)}"
    admin = PG_ADMIN_URL.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        _drop_database(admin, name)


def _drop_database(admin: str, name: str) -> None:
    import psycopg

    for attempt in range(20):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            # FORCE may not end an autovacuum worker (the superuser's) for the benchmark's role: it is
            # still vacuuming the tables just written, so wait for it rather than leave the database.
            if attempt == 19:
                raise
            time.sleep(1)


def code_env(env: dict[str, str], code: Path | None) -> dict[str, str]:
    """env for running another checkout's waakvlam (code: a directory holding waakvlam/), which then comes
    first on the path, this checkout's bench/ after it; env itself for this checkout (code None)."""
    return env if code is None else {**env, "PYTHONPATH": f"{code}:{ROOT}"}


def inner_json(command: list[str], env: dict[str, str], *, code: Path | None = None, what: str = "") -> dict[str, Any]:
    """Run a benchmark's inner part (`python -m MODULE --inner …`, or a script as a file) in a process of its
    own, with this checkout's code or another one's (code), and return the JSON object it prints last."""
    child = subprocess.run(
        [sys.executable, *command], env=code_env(env, code), cwd=code or ROOT, capture_output=True, text=True
    )
    if child.returncode != 0:
        raise RuntimeError(f"{what or ' '.join(command)} failed:\n{child.stderr[-4000:]}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


def waakvlam(
    args: list[str], env: dict[str, str], *, code: Path | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """`waakvlam ARGS` of this checkout, or of another one (code)."""
    return subprocess.run(
        [sys.executable, "-m", "waakvlam.config.cli", *args],
        env=code_env(env, code),
        cwd=code or ROOT,
        capture_output=True,
        text=True,
        check=True,
        **kwargs,
    )


def bench_env(database_url: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAAKVLAM_")}
    env.update({"DATABASE_URL": database_url, "WAAKVLAM_VAR_DIR": str(workdir), "WAAKVLAM_LOG_LEVEL": "WARNING"})
    return env


@dataclass(frozen=True)
class Served:
    port: int
    process_group: int  # the server's master and workers, for cpu_measured


@contextmanager
def running_server(
    env: dict[str, str], *, workers: int | None = None, threads: int | None = None, code: Path | None = None
) -> Iterator[Served]:
    """`waakvlam serve` on a free port; workers and threads are the command's defaults unless given; this
    checkout's code, or another one's (code, as for `waakvlam`)."""
    # The server's log goes to a file: a pipe nobody reads fills up after 64 KiB of warnings (every 4xx
    # logs one) and then blocks the workers mid-request.
    with tempfile.TemporaryFile() as log:
        yield from _serve(env, log, workers=workers, threads=threads, code=code)


def _serve(
    env: dict[str, str], log: Any, *, workers: int | None, threads: int | None, code: Path | None
) -> Iterator[Served]:
    port = free_port()
    sizing = [*(["--workers", str(workers)] if workers else []), *(["--threads", str(threads)] if threads else [])]
    process = subprocess.Popen(
        [sys.executable, "-m", "waakvlam.config.cli", "serve", "--port", str(port), *sizing],
        env=code_env(env, code),
        cwd=code or ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            log.seek(0)
            tail = log.read()[-4000:].decode(errors="replace")
            raise RuntimeError(f"the server did not become ready within 60 s:\n{tail}")
        yield Served(port, process.pid)  # start_new_session: the group's id is the master's pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _cpu_snapshot(process_group: int) -> tuple[float, float, list[int]] | None:
    """CPU seconds so far of the server's process group and of all PostgreSQL processes, and the machine's
    /proc/stat counters; None where there is no /proc (the figures are then left out)."""
    try:
        machine_line = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    server = postgres = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        seconds = (int(rest[11]) + int(rest[12])) / tick
        if int(rest[2]) == process_group:
            server += seconds
        elif name == "postgres":
            postgres += seconds
    return server, postgres, [int(x) for x in machine_line]


@dataclass
class CpuUse:
    """Where the CPU went during one load run, so a ratio can be explained and a busy host recognised."""

    server: float
    postgres: float
    load_generator: float
    busy: float  # share of the machine's CPU time in use
    steal: float  # share the hypervisor gave to others: a high figure marks a noisy run

    def summary(self, requests: int) -> dict[str, Any]:
        per = 1000 / requests if requests else 0.0
        return {
            "cpu_ms_per_request": {
                "server": round(self.server * per, 3),
                "postgres": round(self.postgres * per, 3),
                "load_generator": round(self.load_generator * per, 3),
            },
            "machine_busy": round(self.busy, 3),
            "machine_steal": round(self.steal, 3),
        }


@contextmanager
def cpu_measured(process_group: int) -> Iterator[list[CpuUse]]:
    """Yields a list that holds one CpuUse after the block (none without /proc)."""
    measured: list[CpuUse] = []
    before, own_before = _cpu_snapshot(process_group), time.process_time()
    yield measured
    after, own_after = _cpu_snapshot(process_group), time.process_time()
    if before is None or after is None:
        return
    ticks = [b - a for a, b in zip(before[2], after[2], strict=True)]
    total = sum(ticks) or 1
    idle, steal = ticks[3] + ticks[4], ticks[7] if len(ticks) > 7 else 0
    measured.append(
        CpuUse(
            server=after[0] - before[0],
            postgres=after[1] - before[1],
            load_generator=own_after - own_before,
            busy=(total - idle - steal) / total,
            steal=steal / total,
        )
    )


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def summary(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies_ms) or [0.0]
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        }


RequestFactory = Callable[[int, int], tuple[str, str, bytes | None, dict[str, str], int]]


def drive(port: int, make_request: RequestFactory, *, clients: int, seconds: float) -> LoadResult:
    """`clients` threads, each with a keep-alive connection, sending requests for `seconds`.

    make_request(client_index, sequence) -> (method, path, body, headers, expected_status)."""
    stop_at = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sequence = 0
        while time.monotonic() < stop_at:
            method, path, body, headers, expected = make_request(index, sequence)
            sequence += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == expected
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                latencies[index].append(elapsed)
            else:
                errors[index] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    flat = [x for per_client in latencies for x in per_client]
    return LoadResult(requests=len(flat), errors=sum(errors), seconds=elapsed, latencies_ms=flat)


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload, indent=2))
    return path


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}


def database_kinds(requested: list[str] | None) -> list[str]:
    """The databases to measure on: the ones asked for, else SQLite and PostgreSQL when it answers."""
    return requested or ["sqlite", *(["postgres"] if postgres_available() else [])]


def run_inner_on_fresh_database(kind: str, module: str, args: list[str]) -> dict[str, Any]:
    """Migrate a fresh database of `kind`, run `python -m MODULE --inner ARGS` against it, and return the
    JSON object the inner run prints last. A separate process, so settings pick up the new DATABASE_URL."""
    with tempfile.TemporaryDirectory() as tmp, fresh_database(kind, Path(tmp)) as url:
        env = bench_env(url, Path(tmp))
        waakvlam(["migrate", "-v0"], env)
        return inner_json(["-m", module, "--inner", *args], env, what=f"{module} on {kind}")


def run_inner_on_named_database(name: str, module: str, args: list[str]) -> dict[str, Any]:
    """As run_inner_on_fresh_database, on the PostgreSQL database NAME, created when missing and kept
    afterwards: for data sets that take minutes to generate and are timed again later (`--reuse`)."""
    import psycopg

    admin = PG_ADMIN_URL.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(url, Path(tmp))
        waakvlam(["migrate", "-v0"], env)
        return inner_json(["-m", module, "--inner", *args], env, what=f"{module} on {name}")
