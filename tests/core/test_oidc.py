"""OIDC proves identity only: it logs in existing accounts by verified e-mail and never creates one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from waakvlam.core.models import Municipality, User
from waakvlam.core.oidc import WaakvlamOIDCBackend

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backend(settings: object) -> WaakvlamOIDCBackend:
    for name in ["OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET"]:
        setattr(settings, name, "https://idp.example/x")
    settings.OIDC_RP_SIGN_ALGO = "HS256"  # type: ignore[attr-defined]
    return WaakvlamOIDCBackend()


def test_existing_user_is_found_by_verified_email(town: Municipality, backend: WaakvlamOIDCBackend) -> None:
    user = User.objects.get(username="coordinator")
    assert list(backend.filter_users_by_claims({"email": user.email.upper(), "email_verified": True})) == [user]


def test_unverified_or_unknown_email_finds_nobody(town: Municipality, backend: WaakvlamOIDCBackend) -> None:
    user = User.objects.get(username="coordinator")
    assert not backend.filter_users_by_claims({"email": user.email, "email_verified": False}).exists()
    assert not backend.filter_users_by_claims({"email": "nobody@example.org"}).exists()
    assert backend.create_user({"email": "nobody@example.org"}) is None
    assert not backend.verify_claims({"sub": "x"})


def test_oidc_half_configured_fails_clearly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAAKVLAM_")}
    env.update(
        {
            "WAAKVLAM_VAR_DIR": str(tmp_path),
            "WAAKVLAM_OIDC_CLIENT_ID": "waakvlam",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "waakvlam.config.cli", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "WAAKVLAM_OIDC_AUTHORIZATION_ENDPOINT is missing" in result.stderr


def test_oidc_fully_configured_starts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAAKVLAM_")}
    env.update(
        {
            "WAAKVLAM_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "WAAKVLAM_OIDC_CLIENT_ID": "waakvlam",
            "WAAKVLAM_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
            "WAAKVLAM_OIDC_TOKEN_ENDPOINT": "https://idp.example/token",
            "WAAKVLAM_OIDC_USER_ENDPOINT": "https://idp.example/userinfo",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "waakvlam.config.cli", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
