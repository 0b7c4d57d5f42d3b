"""Old notifications are forgotten once sent or given up on; nothing still waiting is ever deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.notify.helpers import NOW, enqueue
from waakvlam.core.models import Municipality
from waakvlam.core.worker import registered_sweeps
from waakvlam.notify.models import Channel, Notification
from waakvlam.notify.prune import notifications_prune

pytestmark = pytest.mark.django_db

OLD = NOW - timedelta(days=120)


@pytest.fixture
def rows(town: Municipality) -> None:
    enqueue(town, "old:sent", "waakvlammer", when=OLD)  # in-app (delivered at once) + digest e-mail
    Notification.objects.filter(dedupe_key="old:sent", channel=Channel.EMAIL_DIGEST).update(delivered_at=OLD)
    enqueue(town, "old:failed", email="melder@example.org", when=OLD)
    Notification.objects.filter(dedupe_key="old:failed").update(failed_at=OLD)
    enqueue(town, "old:waiting", email="melder@example.org", when=OLD)  # never sent yet: kept
    enqueue(town, "new:sent", "waakvlammer", when=NOW - timedelta(days=10))


def _keys() -> set[tuple[str, str]]:
    return set(Notification.objects.values_list("dedupe_key", "channel"))


def test_sent_and_failed_notifications_older_than_the_period_go(rows: None) -> None:
    assert notifications_prune(NOW) == {"notifications_pruned": 3}
    assert _keys() == {
        ("old:waiting", Channel.EMAIL_NOW),
        ("new:sent", Channel.IN_APP),
        ("new:sent", Channel.EMAIL_DIGEST),
    }
    assert notifications_prune(NOW) == {"notifications_pruned": 0}


def test_the_period_is_configurable_and_checked(rows: None, settings: object) -> None:
    settings.WAAKVLAM_NOTIFICATION_RETENTION_DAYS = 5  # type: ignore[attr-defined]
    assert notifications_prune(NOW) == {"notifications_pruned": 4}  # the new in-app row was delivered at once
    settings.WAAKVLAM_NOTIFICATION_RETENTION_DAYS = "0"  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="WAAKVLAM_NOTIFICATION_RETENTION_DAYS"):
        notifications_prune(NOW)


def test_the_worker_prunes_at_most_once_an_hour(rows: None) -> None:
    sweep = next(s for s in registered_sweeps() if s.name == "notify.prune")
    assert sweep.run(NOW) == {"notifications_pruned": 3}
    assert sweep.run(NOW + timedelta(minutes=20)) == {"notifications_pruned": 0}
