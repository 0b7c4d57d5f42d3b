"""The field-encryption key: required in production, derived from the secret key elsewhere."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_settings import run_check

SECRET = "s" * 50
PRODUCTION = {"WAAKVLAM_ENV": "production", "WAAKVLAM_SECRET_KEY": SECRET, "WAAKVLAM_ACCESS_LOG_KEY": "a" * 50}


def test_production_without_field_key_is_refused_clearly(tmp_path: Path) -> None:
    result = run_check(tmp_path, **PRODUCTION)
    assert result.returncode == 2
    assert "WAAKVLAM_FIELD_ENCRYPTION_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_short_field_key(tmp_path: Path) -> None:
    result = run_check(tmp_path, **PRODUCTION, WAAKVLAM_FIELD_ENCRYPTION_KEY="short")
    assert result.returncode == 2 and "at least 32 characters" in result.stderr


def test_production_with_field_keys_starts(tmp_path: Path) -> None:
    keys = "n" * 40 + "," + "o" * 40
    result = run_check(tmp_path, **PRODUCTION, WAAKVLAM_FIELD_ENCRYPTION_KEY=keys)
    assert result.returncode == 0, result.stderr


def test_development_needs_no_field_key(tmp_path: Path) -> None:
    assert run_check(tmp_path).returncode == 0
