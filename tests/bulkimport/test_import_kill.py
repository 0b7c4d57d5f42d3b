"""An import killed halfway (SIGKILL) and run again ends in the same state as one that was never
interrupted: every batch is one transaction, and external_id is unique per organisation, so the second run
adds exactly what the first did not. The real command in a real process, on a database of its own (a
temporary SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL); also checks the
command's exit status."""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import signal as signals
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ROWS = 12_000
BATCH = 150


@dataclass
class Site:
    env: dict[str, str]
    database_url: str

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "waakvlam.config.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check:
            assert result.returncode == 0, f"waakvlam {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "waakvlam.config.cli", *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def scalar(self, sql: str) -> int:
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30) as db:
                return int(db.execute(sql).fetchone()[0])
        import psycopg

        with psycopg.connect("postgresql://" + self.database_url.split("://", 1)[1]) as db:
            row = db.execute(sql).fetchone()  # type: ignore[arg-type]
            assert row is not None
            return int(row[0])


def _suite_postgres() -> str:
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        return ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database.get('USER', '')}:{database.get('PASSWORD', '')}@{host}:{port}/{database['NAME']}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("import-kill")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAAKVLAM_", "DATABASE_URL"))}
    env.update(WAAKVLAM_VAR_DIR=str(tmp), WAAKVLAM_SECRET_KEY=secrets.token_urlsafe(40), WAAKVLAM_LOG_LEVEL="WARNING")
    pg, created = _suite_postgres(), ""
    if pg:
        import psycopg

        created = f"waakvlam_import_kill_{secrets.token_hex(4)}"
        with psycopg.connect("postgresql://" + pg.split("://", 1)[1], autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{created}"')  # type: ignore[arg-type]
        url = pg.rsplit("/", 1)[0] + f"/{created}"
    else:
        url = f"sqlite:///{tmp / 'import.sqlite3'}"
    env["DATABASE_URL"] = url
    where = Site(env=env, database_url=url)
    try:
        where.run("migrate", "--no-input")
        where.run("load-demo", "--households", "600", "--signals", "0", "--seed", "7513")
        yield where
    finally:
        if created:
            import psycopg

            with psycopg.connect("postgresql://" + pg.split("://", 1)[1], autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def arrears_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bench's messy creditor file (semicolons, BOM, CRLF, comma decimals, ~1% bad rows), small."""
    bench = importlib.import_module("bench.import")
    path = tmp_path_factory.mktemp("file") / "achterstanden.csv"
    bench.write_file(path, ROWS, 600)
    return path


def _counts(site: Site) -> dict[str, int]:
    return {
        "signals": site.scalar("SELECT COUNT(*) FROM intake_signal"),
        "distinct_external_ids": site.scalar("SELECT COUNT(DISTINCT external_id) FROM intake_signal"),
        "events": site.scalar("SELECT COUNT(*) FROM intake_signalevent"),
        "logged": site.scalar(
            "SELECT COUNT(*) FROM privacy_accesslogentry WHERE object_type = 'intake.signal' AND action = 'create'"
        ),
        "without_household": site.scalar("SELECT COUNT(*) FROM intake_signal WHERE household_id IS NULL"),
    }


def test_exit_status(site: Site, arrears_file: Path, tmp_path: Path) -> None:
    unknown = site.run("import-signals", str(arrears_file), "--org", "nobody", check=False)
    assert unknown.returncode == 1 and "Onbekende organisatie" in unknown.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "external_id;signal_date;source_kind;postcode;house_number\nX;2026-10-01;housing;9901AB;1é\n".encode("latin-1")
    )
    refused = site.run("import-signals", str(latin), "--org", "woonstede", check=False)
    assert refused.returncode == 1 and "UTF-8" in refused.stderr
    missing = site.run("import-signals", str(tmp_path / "weg.csv"), "--org", "woonstede", check=False)
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr


def test_an_import_killed_halfway_and_run_again_ends_as_if_never_interrupted(site: Site, arrears_file: Path) -> None:
    dry = site.run("import-signals", str(arrears_file), "--org", "woonstede", "--dry-run")
    expected = int(dry.stdout.split("would be imported ")[1].split(",")[0])
    assert ROWS * 0.97 < expected < ROWS
    # The demo's own stories (attention list, case conferences) bring a few signals: count from there.
    before = _counts(site)

    def counts() -> dict[str, int]:
        now = _counts(site)
        return {key: now[key] - before[key] for key in now}

    process = site.start("import-signals", str(arrears_file), "--org", "woonstede", "--batch-size", str(BATCH))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(Exception):  # the database may be busy (SQLite): look again
            if site.scalar("SELECT COUNT(*) FROM intake_signal") - before["signals"] >= expected // 4:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be killed; make the file larger"
    process.send_signal(signals.SIGKILL)
    process.wait(timeout=30)

    halfway = counts()
    assert 0 < halfway["signals"] < expected
    # Every committed batch is whole: each signal has its two history steps and its access-log entry.
    assert halfway["events"] == 2 * halfway["signals"] == 2 * halfway["logged"]
    assert halfway["distinct_external_ids"] == halfway["signals"] and halfway["without_household"] == 0

    again = site.run("import-signals", str(arrears_file), "--org", "woonstede", "--batch-size", str(BATCH))
    imported = int(again.stdout.split("imported ")[1].split(",")[0])
    assert imported == expected - halfway["signals"]
    final = counts()
    assert final == {
        "signals": expected,
        "distinct_external_ids": expected,
        "events": 2 * expected,
        "logged": expected,
        "without_household": 0,
    }
    assert "chain verified" in site.run("verify-access-log").stdout
    once_more = site.run("import-signals", str(arrears_file), "--org", "woonstede")
    assert f"imported 0, duplicates {expected}" in once_more.stdout
    assert counts() == final
