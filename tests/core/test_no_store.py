"""Pages and API answers that may show personal data are never stored by a browser or proxy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import signal_for, team

pytestmark = pytest.mark.django_db


def test_pages_and_api_answers_carry_no_store(login: Callable[[str], Client]) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    client = login("waakvlammer")
    for path in ("/", f"/signalen/{signal.pk}/", f"/api/v1/signals/{signal.pk}", "/api/v1/signals", "/inloggen/"):
        response = client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), path
