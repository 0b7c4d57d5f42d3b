"""ADR 0009: an "already exists" answer about something the caller may not see is the same whether or not it
exists. On intake: an `external_id` or an `Idempotency-Key` another organisation already used, over the API, is
answered as if it were new; the caller's own are answered as duplicates. (The import report's part is in
tests/bulkimport/test_no_existence_oracle.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.intake.conftest import signal_body
from waakvlam.core.models import Neighbourhood
from waakvlam.intake.models import Signal

pytestmark = pytest.mark.django_db

Post = Callable[..., Any]
Key = Callable[..., str]


def _shape(response: Any) -> tuple[int, list[str], str | None]:
    return response.status_code, sorted(response.json()), response.get("Idempotent-Replayed")


def test_another_organisations_external_id_is_answered_as_a_new_one(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    theirs = api_key(org="politie")
    assert post_json("/api/v1/signals", signal_body(external_id="EXT-1"), key=theirs).status_code == 201
    ours = api_key()
    used_elsewhere = post_json("/api/v1/signals", signal_body(external_id="EXT-1"), key=ours)
    unused = post_json("/api/v1/signals", signal_body(external_id="EXT-2"), key=ours)
    assert _shape(used_elsewhere) == _shape(unused) == (201, sorted(unused.json()), None)
    # The caller's own external id is theirs to know about: a 409.
    assert post_json("/api/v1/signals", signal_body(external_id="EXT-2"), key=ours).status_code == 409


def test_another_organisations_idempotency_key_is_answered_as_a_new_one(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    theirs = api_key(org="politie")
    first = post_json("/api/v1/signals", signal_body(), key=theirs, idem="shared-key")
    assert first.status_code == 201
    ours = api_key()
    used_elsewhere = post_json("/api/v1/signals", signal_body(urgency="high"), key=ours, idem="shared-key")
    unused = post_json("/api/v1/signals", signal_body(urgency="high"), key=ours, idem="fresh-key")
    assert _shape(used_elsewhere) == _shape(unused)
    assert used_elsewhere.status_code == 201 and used_elsewhere.json()["id"] != first.json()["id"]
    assert Signal.objects.count() == 3
