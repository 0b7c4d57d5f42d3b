from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client

from tests.notify.helpers import NOW, enqueue, user
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Organisation
from waakvlam.notify.models import Channel, Notification

Login = Callable[[str], Client]


def _own(username: str, key: str) -> Notification:
    return Notification.objects.get(recipient=user(username), dedupe_key=key, channel=Channel.IN_APP)


def test_list_is_own_only_newest_first_and_paginated(town: Municipality, login: Login) -> None:
    for i in range(5):
        enqueue(town, f"k{i}", "waakvlammer", subject=f"Melding {i}", when=NOW + timedelta(minutes=i))
    enqueue(town, "theirs", "coordinator", subject="Niet voor jou")
    client = login("waakvlammer")
    body = client.get("/api/v1/notifications?limit=2").json()
    assert body["count"] == 5
    assert [n["subject"] for n in body["items"]] == ["Melding 4", "Melding 3"]
    assert set(body["items"][0]) == {
        "id",
        "kind",
        "urgent",
        "subject",
        "body",
        "link",
        "created_at",
        "read_at",
        "available",
    }
    rest = client.get("/api/v1/notifications?limit=2&offset=4").json()
    assert [n["subject"] for n in rest["items"]] == ["Melding 0"]
    assert client.get("/api/v1/notifications?limit=0").status_code == 422


def test_mark_read_and_unread_filter(town: Municipality, login: Login) -> None:
    enqueue(town, "a", "waakvlammer")
    enqueue(town, "b", "waakvlammer")
    client = login("waakvlammer")
    target = _own("waakvlammer", "a")
    response = client.post(f"/api/v1/notifications/{target.pk}/read")
    assert response.status_code == 200
    assert response.json()["id"] == target.pk and response.json()["read_at"] is not None
    # Marking again is harmless.
    assert client.post(f"/api/v1/notifications/{target.pk}/read").status_code == 200
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert [n["id"] for n in unread["items"]] == [_own("waakvlammer", "b").pk]
    assert client.post("/api/v1/notifications/read").json() == {"marked": 1}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0


def test_someone_elses_notification_is_404(town: Municipality, login: Login) -> None:
    enqueue(town, "theirs", "coordinator")
    theirs = _own("coordinator", "theirs")
    client = login("waakvlammer")
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert client.post("/api/v1/notifications/999999/read").status_code == 404
    assert _own("coordinator", "theirs").read_at is None


def test_session_only(town: Municipality, client: Client) -> None:
    assert client.get("/api/v1/notifications").status_code == 401
    _, key = api_key_create(organisation=Organisation.objects.get(slug="buurtwerk"))
    assert client.get("/api/v1/notifications", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_half_logged_in_user_without_second_factor_is_refused(town: Municipality, client: Client) -> None:
    steward = user("waakvlammer")
    steward.two_factor_exempt = False
    steward.save()
    enqueue(town, "a", "waakvlammer")
    client.force_login(steward)
    assert client.get("/api/v1/notifications").status_code == 401


def test_documented_in_openapi(client: Client, town: Municipality) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/notifications",
        "/api/v1/notifications/read",
        "/api/v1/notifications/{notification_id}/read",
    } <= set(paths)
