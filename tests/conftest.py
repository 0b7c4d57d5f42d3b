from __future__ import annotations

import pytest
from django.test import Client

from waakvlam.core.models import Municipality
from waakvlam.demo.services import demo_load_town


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    # argon2 is deliberately slow; the suite logs in hundreds of times. Production keeps argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


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
