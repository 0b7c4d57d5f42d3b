from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from waakvlam.core.models import Municipality, User
from waakvlam.notify.services import notification_enqueue

# 10:00 in Amsterdam on a winter Tuesday: past today's 07:00, so the digest goes out tomorrow at 07:00.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# Tomorrow 07:00 in Amsterdam (CET = UTC+1).
DIGEST_AT = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def user(username: str) -> User:
    return User.objects.get(username=username)


def enqueue(town: Municipality, key: str, *usernames: str, when: datetime = NOW, **extra: Any) -> int:
    values: dict[str, Any] = {
        "municipality_id": town.pk,
        "kind": "signal_assigned",
        "subject": f"Nieuw signaal {key}",
        "body": "Er is een signaal aan je team toegewezen.",
        "dedupe_key": key,
        "now": when,
        "recipients": [user(u) for u in usernames],
        "link": "/signalen/1/",
    }
    values.update(extra)
    return notification_enqueue(**values)
