from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from waakvlam.core.apikeys import api_keys_forget
from waakvlam.core.cache import process_cache_forget
from waakvlam.core.models import Municipality
from waakvlam.demo.services import demo_load_town


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the database the suite ran on, so a CI log shows that the PostgreSQL run really was one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        where = str(database["NAME"])
    else:
        where = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}/{database['NAME']}"
    terminalreporter.write_line(f"database: {engine} {where}; the tests ran in a throw-away test database beside it")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    # argon2 is deliberately slow; the suite logs in hundreds of times. Production keeps argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _own_anchor_file(settings: object, tmp_path: object) -> None:
    # Each test's access log starts empty, so each gets its own anchor file (privacy/anchor.py).
    settings.ACCESS_LOG_ANCHOR_FILE = tmp_path / "access-log-anchors.jsonl"  # type: ignore[attr-defined,operator]


@pytest.fixture(autouse=True)
def _fresh_routing_tables() -> Iterator[None]:
    # Every test's data is rolled back (and SQLite hands out the same ids again), which no model signal
    # reports: a routing table or verified API key cached by one test must not serve the next one.
    process_cache_forget()
    api_keys_forget()
    yield
    process_cache_forget()
    api_keys_forget()


@pytest.fixture
def town(db: None) -> Municipality:
    """Demodorp's districts, neighbourhoods, organisations, teams and demo users (no bulk data)."""
    return demo_load_town()


@pytest.fixture
def login(client: Client, town: Municipality):  # type: ignore[no-untyped-def]
    """Log in as a demo user by name; returns the client."""

    def _login(username: str) -> Client:
        from waakvlam.core.models import User

        client.force_login(User.objects.get(username=username))
        return client

    return _login
