"""POST /api/v1/signals/{id}/claim · /transfer · /close: status codes, bodies, and 404 for the invisible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import signal_for, team
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Organisation
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(town: Municipality) -> Signal:
    return signal_for(team("Waakvlam Centrum-Oost"))


def _post(client: Client, path: str, body: object | None = None, **extra: str) -> tuple[int, object]:
    response = client.post(path, body if body is not None else {}, content_type="application/json", **extra)  # type: ignore[arg-type]
    return response.status_code, response.json()


def test_claim(login: Callable[[str], Client], signal: Signal) -> None:
    client = login("waakvlammer")
    before = AccessLogEntry.objects.count()
    status, body = _post(client, f"/api/v1/signals/{signal.pk}/claim")
    assert status == 200
    assert isinstance(body, dict)
    assert (body["status"], body["owner"], body["id"]) == ("assigned", "waakvlammer", signal.pk)
    assert [e["kind"] for e in body["history"]] == ["received", "claimed"]
    assert AccessLogEntry.objects.count() == before + 1  # the update, not also a view
    assert AccessLogEntry.objects.order_by("-seq").first().context == "api:signal_claim"  # type: ignore[union-attr]
    status, body = _post(client, f"/api/v1/signals/{signal.pk}/claim")
    assert status == 409
    assert body == {"detail": "Je hebt dit signaal al opgepakt."}


def test_close_and_close_again(login: Callable[[str], Client], signal: Signal) -> None:
    client = login("waakvlammer")
    status, body = _post(
        client, f"/api/v1/signals/{signal.pk}/close", {"outcome": "contact_made", "note": "Koffie gedronken."}
    )
    assert status == 200
    assert isinstance(body, dict) and (body["status"], body["outcome"]) == ("closed", "contact_made")
    status, body = _post(client, f"/api/v1/signals/{signal.pk}/close", {"outcome": "contact_made"})
    assert status == 409
    assert body == {"detail": "Dit signaal is al afgesloten."}
    assert _post(client, f"/api/v1/signals/{signal.pk}/claim")[0] == 409
    assert (
        _post(client, f"/api/v1/signals/{signal.pk}/transfer", {"team_id": team("Waakvlam West").pk, "reason": "x"})[0]
        == 409
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"outcome": "solved"},
        {"outcome": ""},
        {"outcome": "contact_made", "note": "x" * 501},
        {"outcome": None},
    ],
)
def test_close_with_a_bad_body_is_422(login: Callable[[str], Client], signal: Signal, body: dict[str, object]) -> None:
    status, answer = _post(login("waakvlammer"), f"/api/v1/signals/{signal.pk}/close", body)
    assert status == 422
    assert isinstance(answer, dict) and isinstance(answer["detail"], list) and answer["detail"]
    signal.refresh_from_db()
    assert signal.status == "received"


def test_transfer_to_team_and_person(login: Callable[[str], Client], signal: Signal) -> None:
    client = login("coordinator")
    status, body = _post(
        client,
        f"/api/v1/signals/{signal.pk}/transfer",
        {"team_id": team("Waakvlam West").pk, "reason": "Woont in West."},
    )
    assert status == 200
    assert isinstance(body, dict) and (body["owner"], body["status"]) == ("Waakvlam West", "received")
    status, body = _post(
        client, f"/api/v1/signals/{signal.pk}/transfer", {"username": "waakvlammer", "reason": "Kent haar."}
    )
    assert status == 200
    assert isinstance(body, dict) and body["owner"] == "waakvlammer"
    assert SignalEvent.objects.filter(signal=signal, kind="transferred").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"team_id": 1}, "reason"),
        ({"reason": "Reden."}, None),
        ({"team_id": 1, "username": "waakvlammer2", "reason": "Reden."}, None),
        ({"username": "waakvlammer2", "reason": "   "}, None),
        ({"username": "niemand", "reason": "Reden."}, "username"),
        ({"username": "signaleerder", "reason": "Reden."}, "username"),
        ({"team_id": 999999, "reason": "Reden."}, "team_id"),
        ({"team_id": "west", "reason": "Reden."}, "team_id"),
        ({"username": "ander", "reason": "Reden."}, "username"),  # another municipality's steward
    ],
)
def test_transfer_with_a_bad_body_is_422(
    login: Callable[[str], Client], signal: Signal, body: dict[str, object], field: str | None
) -> None:
    from tests.factories import other_municipality

    other_municipality()
    status, answer = _post(login("waakvlammer"), f"/api/v1/signals/{signal.pk}/transfer", body)
    assert status == 422, answer
    assert isinstance(answer, dict)
    if field:
        assert any(field in map(str, entry["loc"]) for entry in answer["detail"]), answer
    assert SignalEvent.objects.filter(signal=signal, kind="transferred").count() == 0


@pytest.mark.parametrize("username", ["waakvlammer2", "ggz", "signaleerder", "regie", "privacy", "beheer"])
def test_invisible_signals_answer_404(login: Callable[[str], Client], signal: Signal, username: str) -> None:
    client = login(username)
    before = AccessLogEntry.objects.count()
    for action, body in (
        ("claim", {}),
        ("close", {"outcome": "no_concern"}),
        ("transfer", {"team_id": team("Waakvlam West").pk, "reason": "x"}),
    ):
        status, answer = _post(client, f"/api/v1/signals/{signal.pk}/{action}", body)
        assert status == 404
        assert answer == _post(client, f"/api/v1/signals/999999/{action}", body)[1] == {"detail": "Not found."}
    assert AccessLogEntry.objects.count() == before
    signal.refresh_from_db()
    assert signal.status == "received"


def test_without_credentials_401(client: Client, signal: Signal) -> None:
    assert _post(client, f"/api/v1/signals/{signal.pk}/claim")[0] == 401


def test_api_keys(client: Client, signal: Signal) -> None:
    buurtwerk = Organisation.objects.get(slug="buurtwerk")
    _, writer = api_key_create(organisation=buurtwerk, scopes=["signals:read", "signals:write"])
    _, reader = api_key_create(organisation=buurtwerk, scopes=["signals:read"])
    _, outsider = api_key_create(
        organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:read", "signals:write"]
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {writer}"}
    assert _post(client, f"/api/v1/signals/{signal.pk}/claim", **auth)[0] == 403  # claiming needs a person
    assert (
        _post(
            client,
            f"/api/v1/signals/{signal.pk}/close",
            {"outcome": "no_concern"},
            HTTP_AUTHORIZATION=f"Bearer {reader}",
        )[0]
        == 403
    )
    assert (
        _post(
            client,
            f"/api/v1/signals/{signal.pk}/close",
            {"outcome": "no_concern"},
            HTTP_AUTHORIZATION=f"Bearer {outsider}",
        )[0]
        == 404
    )
    status, body = _post(client, f"/api/v1/signals/{signal.pk}/close", {"outcome": "no_concern"}, **auth)
    assert status == 200 and isinstance(body, dict) and body["status"] == "closed"


def test_openapi_documents_the_actions(login: Callable[[str], Client]) -> None:
    schema = login("waakvlammer").get("/api/v1/openapi.json").json()
    for action in ("claim", "transfer", "close"):
        assert f"/api/v1/signals/{{signal_id}}/{action}" in schema["paths"]


@pytest.mark.parametrize("action", ["claim", "transfer", "close"])
def test_the_409_of_a_closed_signal_is_in_the_openapi_document(action: str) -> None:
    from waakvlam.config.api import api

    responses = api.get_openapi_schema()["paths"][f"/api/v1/signals/{{signal_id}}/{action}"]["post"]["responses"]
    assert 409 in responses or "409" in responses
