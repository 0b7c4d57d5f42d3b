"""Reading configuration from the environment, with messages an operator can act on."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

SUPPORTED_DATABASE_SCHEMES = {"sqlite": "sqlite", "postgres": "postgres", "postgresql": "postgres", "pgsql": "postgres"}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value; use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_config(url: str, base_dir: Path) -> dict[str, Any]:
    """Turn DATABASE_URL into Django's DATABASES entry, refusing anything we do not run on."""
    import dj_database_url

    scheme = urlparse(url).scheme.lower()
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL uses the scheme {scheme or '(none)'!r}, which Waakvlam does not support. "
            "Use sqlite:///var/waakvlam.sqlite3 (the default) or postgres://user:password@host:5432/name."
        )
    if SUPPORTED_DATABASE_SCHEMES[scheme] == "sqlite":
        # sqlite:///var/x.sqlite3 is relative to the project; sqlite:////abs/x.sqlite3 is absolute.
        path = url.split("://", 1)[1].removeprefix("/")
        if not path or path == ":memory:":
            raise ImproperlyConfigured("DATABASE_URL must name a SQLite file, e.g. sqlite:///var/waakvlam.sqlite3.")
        db_path = Path(path) if Path(path).is_absolute() else base_dir / path
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(db_path),
            # WAL lets the worker and the web server read while the other writes; IMMEDIATE avoids
            # "database is locked" upgrades half-way through a transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    config["ENGINE"] = "django.db.backends.postgresql"
    return dict(config)


def secret_key(var_dir: Path, production: bool) -> str:
    key = os.environ.get("WAAKVLAM_SECRET_KEY", "").strip()
    if key:
        if production and len(key) < 32:
            raise ImproperlyConfigured("WAAKVLAM_SECRET_KEY must be at least 32 characters in production.")
        return key
    if production:
        raise ImproperlyConfigured(
            "WAAKVLAM_SECRET_KEY is not set. In production (WAAKVLAM_ENV=production) the secret key must come "
            "from the environment, e.g. WAAKVLAM_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Development and demo: generate once and keep it, so sessions survive restarts.
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    generated = secrets.token_urlsafe(50)
    path.write_text(generated)
    path.chmod(0o600)
    return generated


def email_config(url: str) -> dict[str, Any]:
    if url in {"", "console", "console://"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url in {"locmem", "locmem://"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps", "submission"}:
        raise ImproperlyConfigured(
            f"WAAKVLAM_EMAIL_URL uses the scheme {parsed.scheme!r}; use console, smtp://user:pass@host:25 "
            "or smtps://user:pass@host:465."
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port
        or (465 if parsed.scheme == "smtps" else 587 if parsed.scheme == "submission" else 25),
        "EMAIL_HOST_USER": parsed.username or "",
        "EMAIL_HOST_PASSWORD": parsed.password or "",
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "submission",
    }
