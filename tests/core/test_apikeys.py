"""API keys: verified once per process for a few seconds, revoked at once in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waakvlam.core import apikeys
from waakvlam.core.apikeys import api_key_authenticate, api_key_create, api_key_revoke
from waakvlam.core.models import ApiKey, Municipality, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(town: Municipality) -> tuple[ApiKey, str]:
    return api_key_create(organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:write"])


def test_a_verified_key_is_checked_again_without_a_query(key: tuple[ApiKey, str]) -> None:
    row, secret = key
    assert api_key_authenticate(secret) is not None  # reads the row and notes last_used_at
    with CaptureQueriesContext(connection) as queries:
        again = api_key_authenticate(secret)
    assert again is not None and again.pk == row.pk
    assert again.organisation.municipality.code  # loaded with the key: no lazy query later
    assert len(queries) == 0


def test_a_wrong_secret_with_a_known_prefix_is_refused_from_the_cache_too(key: tuple[ApiKey, str]) -> None:
    _, secret = key
    assert api_key_authenticate(secret) is not None
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert api_key_authenticate(forged) is None


def test_revoking_in_this_process_stops_the_key_at_once(key: tuple[ApiKey, str]) -> None:
    row, secret = key
    assert api_key_authenticate(secret) is not None
    api_key_revoke(api_key=row)
    assert api_key_authenticate(secret) is None


def test_a_key_revoked_elsewhere_stops_once_the_cache_expires(
    key: tuple[ApiKey, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    row, secret = key
    assert api_key_authenticate(secret) is not None
    # Another process (the `apikey revoke` command) writes the row; this process has not seen it.
    ApiKey.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    assert api_key_authenticate(secret) is not None
    clock = apikeys.time.monotonic() + apikeys.VERIFIED_KEY_SECONDS + 1
    monkeypatch.setattr(apikeys.time, "monotonic", lambda: clock)
    assert api_key_authenticate(secret) is None


def test_using_a_cached_key_does_not_keep_it_cached_for_ever(
    key: tuple[ApiKey, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, secret = key
    start = apikeys.time.monotonic()
    assert api_key_authenticate(secret) is not None
    expires = apikeys._verified[key[0].prefix][0]
    monkeypatch.setattr(apikeys.time, "monotonic", lambda: start + 1)
    assert api_key_authenticate(secret) is not None
    assert apikeys._verified[key[0].prefix][0] == expires


def test_last_used_is_written_at_most_once_a_minute(key: tuple[ApiKey, str]) -> None:
    row, secret = key
    now = timezone.now()
    api_key_authenticate(secret, now=now)
    api_key_authenticate(secret, now=now + timedelta(seconds=30))
    row.refresh_from_db()
    assert row.last_used_at == now
    api_key_authenticate(secret, now=now + timedelta(minutes=2))
    row.refresh_from_db()
    assert row.last_used_at == now + timedelta(minutes=2)
