"""Fixtures for intake: postcode areas (the demo town fixture has none), API keys and request helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Neighbourhood, Organisation, PostcodeArea


@pytest.fixture
def areas(town: Municipality) -> dict[str, Neighbourhood]:
    """9901AB → Binnenstad (Centrum, team Centrum-Oost); 9921CD → Zonnehoek (West, team West);
    9902EF 1-49 → Stationskwartier and 50+ → Molenwijk (a postcode split by house number)."""
    hoods = {n.code: n for n in Neighbourhood.objects.filter(municipality=town)}
    rows = [
        ("9901AB", "BU99990100", "Dorpsstraat", 1, 99999),
        ("9921CD", "BU99990300", "Tulpstraat", 1, 99999),
        ("9902EF", "BU99990101", "Stationsweg", 1, 49),
        ("9902EF", "BU99990200", "Stationsweg", 50, 99999),
    ]
    for postcode, code, street, low, high in rows:
        PostcodeArea.objects.create(
            municipality=town,
            neighbourhood=hoods[code],
            postcode=postcode,
            street=street,
            city="Demodorp",
            number_from=low,
            number_to=high,
        )
    return hoods


@pytest.fixture
def api_key(town: Municipality) -> Callable[..., str]:
    """A new API key for an organisation (default woonstede) with the given scopes."""

    def _make(org: str = "woonstede", scopes: tuple[str, ...] = ("signals:write", "signals:read")) -> str:
        _, key = api_key_create(organisation=Organisation.objects.get(slug=org), scopes=list(scopes))
        return key

    return _make


@pytest.fixture
def post_json(client: Client) -> Callable[..., Any]:
    def _post(path: str, body: Any, *, key: str | None = None, idem: str | None = None, **headers: str) -> Any:
        if key:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        if idem is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = idem
        return client.post(path, body, content_type="application/json", **headers)

    return _post


def signal_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "neglect",
        "urgency": "normal",
        "description": "Post stapelt zich op, de gordijnen blijven dicht.",
        "address": {"postcode": "9901 ab", "house_number": "12"},
    }
    body.update(overrides)
    return body


@pytest.fixture
def mid_minute() -> Any:
    """Rate limits count per clock minute: hold the clock still, half-way through one, so a test never
    straddles two windows."""
    moment = timezone.now().replace(second=30, microsecond=0)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller
