"""Bad configuration fails at start with a message an operator can act on, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WAAKVLAM_", "DATABASE_URL"))}
    clean.update({"WAAKVLAM_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", **env})
    return subprocess.run(
        [sys.executable, "-m", "waakvlam.config.cli", "check"],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unknown_database_scheme_is_refused_clearly(tmp_path: Path) -> None:
    result = run_check(tmp_path, DATABASE_URL="mysql://u:p@localhost/db")
    assert result.returncode == 2
    assert "DATABASE_URL uses the scheme 'mysql'" in result.stderr
    assert "postgres://" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_secret_is_refused_clearly(tmp_path: Path) -> None:
    result = run_check(tmp_path, WAAKVLAM_ENV="production")
    assert result.returncode == 2
    assert "WAAKVLAM_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_access_log_key_is_refused(tmp_path: Path) -> None:
    result = run_check(
        tmp_path, WAAKVLAM_ENV="production", WAAKVLAM_SECRET_KEY="k" * 50, WAAKVLAM_FIELD_ENCRYPTION_KEY="f" * 50
    )
    assert result.returncode == 2
    assert "WAAKVLAM_ACCESS_LOG_KEY is not set" in result.stderr


def test_debug_in_production_is_refused(tmp_path: Path) -> None:
    result = run_check(tmp_path, WAAKVLAM_ENV="production", WAAKVLAM_SECRET_KEY="k" * 50, WAAKVLAM_DEBUG="1")
    assert result.returncode == 2
    assert "WAAKVLAM_DEBUG must never be on in production" in result.stderr


def test_unknown_boolean_is_refused(tmp_path: Path) -> None:
    result = run_check(tmp_path, WAAKVLAM_DEBUG="maybe")
    assert result.returncode == 2
    assert "WAAKVLAM_DEBUG='maybe' is not a yes/no value" in result.stderr


def test_development_generates_and_keeps_a_secret(tmp_path: Path) -> None:
    assert run_check(tmp_path).returncode == 0
    first = (tmp_path / "secret_key").read_text()
    assert run_check(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == first
    assert len(first) >= 50


@pytest.mark.parametrize(
    ("url", "expected_engine"),
    [
        ("sqlite:///var/a.sqlite3", "sqlite3"),
        ("postgres://u:p@db:5432/w", "postgresql"),
        ("postgresql://u@db/w", "postgresql"),
    ],
)
def test_database_urls(url: str, expected_engine: str, tmp_path: Path) -> None:
    from waakvlam.config.env import database_config

    assert database_config(url, tmp_path)["ENGINE"].endswith(expected_engine)
