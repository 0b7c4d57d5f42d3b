"""The signals API: every status code, idempotency, the public endpoint and the tracking answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.factories import signal_for, team, user
from tests.intake.conftest import signal_body
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.intake.models import IdempotencyKey, Signal
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.routing.services import signal_claim, signal_close

pytestmark = pytest.mark.django_db

Post = Callable[..., Any]
Key = Callable[..., str]


# --- POST /api/v1/signals ---------------------------------------------------------------------------------


def test_created_answer_names_owner_due_time_and_warnings(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    body = signal_body(description="Mevrouw Jansen van nummer 14 belt steeds, 06-12345678.")
    response = post_json("/api/v1/signals", body, key=api_key())
    assert response.status_code == 201
    answer = response.json()
    assert set(answer) == {"id", "tracking_code", "status", "owner", "due_at", "privacy_warnings", "privacy_flags"}
    assert answer["status"] == "received" and answer["owner"] == "Waakvlam Centrum-Oost"
    assert answer["privacy_flags"] == ["name", "phone"] and len(answer["privacy_warnings"]) == 2
    signal = Signal.objects.get(pk=answer["id"])
    assert signal.source_kind == "partner_system" and signal.reporter_organisation.slug == "woonstede"  # type: ignore[union-attr]
    assert (
        AccessLogEntry.objects.filter(action="create", object_id=str(signal.pk), context="api:signal_create").count()
        == 1
    )


def test_professional_session_may_post(areas: dict[str, Neighbourhood], login: Callable[[str], Client]) -> None:
    client = login("wijkagent")
    response = client.post("/api/v1/signals", signal_body(), content_type="application/json")
    assert response.status_code == 201
    assert Signal.objects.get(pk=response.json()["id"]).reporter_user == user("wijkagent")


def test_idempotent_retry_returns_the_first_answer_and_creates_nothing(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    key = api_key()
    first = post_json("/api/v1/signals", signal_body(), key=key, idem="retry-1")
    # The same body with other key order and white space is the same request.
    again = post_json("/api/v1/signals", json.dumps(signal_body(), indent=2, sort_keys=True), key=key, idem="retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Signal.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert AccessLogEntry.objects.filter(action="create").count() == 1


def test_same_key_other_body_is_a_conflict(areas: dict[str, Neighbourhood], post_json: Post, api_key: Key) -> None:
    key = api_key()
    assert post_json("/api/v1/signals", signal_body(), key=key, idem="k").status_code == 201
    response = post_json("/api/v1/signals", signal_body(urgency="high"), key=key, idem="k")
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()["detail"]
    assert Signal.objects.count() == 1


def test_keys_are_scoped_per_organisation(areas: dict[str, Neighbourhood], post_json: Post, api_key: Key) -> None:
    assert post_json("/api/v1/signals", signal_body(), key=api_key("woonstede"), idem="shared").status_code == 201
    other = post_json("/api/v1/signals", signal_body(urgency="high"), key=api_key("energie-noord"), idem="shared")
    assert other.status_code == 201
    assert Signal.objects.count() == 2


def test_a_failed_request_does_not_use_up_its_key(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    key = api_key()
    bad = post_json("/api/v1/signals", signal_body(address={"postcode": "nope", "house_number": 1}), key=key, idem="x")
    assert bad.status_code == 422
    assert post_json("/api/v1/signals", signal_body(), key=key, idem="x").status_code == 201


@pytest.mark.parametrize("value", ["", " ", "k" * 201, "a\tb"])
def test_unusable_idempotency_key_is_422(town: Municipality, post_json: Post, api_key: Key, value: str) -> None:
    response = post_json("/api/v1/signals", signal_body(), key=api_key(), idem=value)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["header", "Idempotency-Key"]
    assert not Signal.objects.exists()


def test_idempotency_key_of_200_characters_is_fine(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key
) -> None:
    assert post_json("/api/v1/signals", signal_body(), key=api_key(), idem="k" * 200).status_code == 201


def test_external_id_twice_is_a_conflict(areas: dict[str, Neighbourhood], post_json: Post, api_key: Key) -> None:
    key = api_key()
    assert post_json("/api/v1/signals", signal_body(external_id="WBV-2026-1"), key=key).status_code == 201
    response = post_json("/api/v1/signals", signal_body(external_id="WBV-2026-1", urgency="high"), key=key)
    assert response.status_code == 409
    assert "external_id" in response.json()["detail"]
    assert Signal.objects.count() == 1


@pytest.mark.parametrize("urgency", ["acute", "emergency", "spoed", "critical", 3, None])
def test_acute_danger_is_refused_with_112(town: Municipality, post_json: Post, api_key: Key, urgency: object) -> None:
    response = post_json("/api/v1/signals", signal_body(urgency=urgency), key=api_key())
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "urgency"] and "112" in error["msg"]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("category", ["domestic_violence", "child_abuse", "", "NUISANCE", 7])
def test_unknown_category_lists_the_codes_and_veilig_thuis(
    town: Municipality, post_json: Post, api_key: Key, category: object
) -> None:
    response = post_json("/api/v1/signals", signal_body(category=category), key=api_key())
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "category"]
    assert "nuisance" in error["msg"] and "payment_arrears" in error["msg"] and "Veilig Thuis" in error["msg"]


def test_one_error_per_offending_field(town: Municipality, post_json: Post, api_key: Key) -> None:
    body = signal_body(category="nope", urgency="acute", description="x" * 5001, location_text=7)
    response = post_json("/api/v1/signals", body, key=api_key())
    assert response.status_code == 422
    fields = sorted(e["loc"][-1] for e in response.json()["detail"])
    assert fields == ["category", "description", "location_text", "urgency"]


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ({"postcode": "12345", "house_number": "1"}, "postcode"),
        ({"postcode": "9901AB", "house_number": "twaalf"}, "house_number"),
        ({"postcode": "9901AB", "house_number": "12", "house_letter": "7"}, "house_letter"),
        ({"postcode": "9901AB", "house_number": "12b", "house_letter": "a"}, "house_letter"),
        ({"postcode": "9901AB", "house_number": "12", "house_number_addition": "@@"}, "house_number_addition"),
    ],
)
def test_bad_address_is_422_naming_the_field(
    town: Municipality, post_json: Post, api_key: Key, address: dict[str, str], field: str
) -> None:
    response = post_json("/api/v1/signals", signal_body(address=address), key=api_key())
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "address", field]


@pytest.mark.parametrize(
    "address",
    [
        {"postcode": "9901AB", "house_number": "12", "house_letter": "A"},
        {"postcode": "9901 ab", "house_number": "12a"},
        {"postcode": "9901ab", "house_number": "12 A"},
        {"postcode": " 9901 AB ", "house_number": "12-a"},
    ],
)
def test_address_spellings_land_on_one_address(
    areas: dict[str, Neighbourhood], post_json: Post, api_key: Key, address: dict[str, str]
) -> None:
    key = api_key()
    first = post_json(
        "/api/v1/signals", signal_body(address={"postcode": "9901AB", "house_number": 12, "house_letter": "a"}), key=key
    )
    again = post_json("/api/v1/signals", signal_body(address=address), key=key)
    assert first.status_code == again.status_code == 201
    one, two = (Signal.objects.get(pk=r.json()["id"]) for r in (first, again))
    assert one.address_id == two.address_id and one.address.key == "9901AB|12|A|"  # type: ignore[union-attr]


def test_address_or_place_is_required(town: Municipality, post_json: Post, api_key: Key) -> None:
    body = signal_body()
    del body["address"]
    response = post_json("/api/v1/signals", body, key=api_key())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "address"]
    assert (
        post_json("/api/v1/signals", {**body, "location_text": "Speeltuin Kerkplein"}, key=api_key()).status_code == 201
    )


def test_observed_in_the_future_is_422(town: Municipality, post_json: Post, api_key: Key) -> None:
    later = (timezone.now() + timedelta(days=3)).isoformat()
    response = post_json("/api/v1/signals", signal_body(observed_at=later), key=api_key())
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "observed_at"


def test_no_credentials_is_401(town: Municipality, post_json: Post) -> None:
    response = post_json("/api/v1/signals", signal_body())
    assert response.status_code == 401 and "detail" in response.json()


def test_key_without_write_scope_is_403(town: Municipality, post_json: Post, api_key: Key) -> None:
    response = post_json("/api/v1/signals", signal_body(), key=api_key(scopes=("signals:read",)))
    assert response.status_code == 403 and "signals:write" in response.json()["detail"]


@pytest.mark.parametrize("username", ["regie", "privacy", "beheer"])
def test_roles_that_do_not_report_get_403(town: Municipality, login: Callable[[str], Client], username: str) -> None:
    response = login(username).post("/api/v1/signals", signal_body(), content_type="application/json")
    assert response.status_code == 403


def test_bad_json_is_400(town: Municipality, post_json: Post, api_key: Key) -> None:
    for raw in ["{bad", "", "[" * 5000, '{"category": "nuisance"'.encode("latin-1") + b"\xff"]:
        response = post_json("/api/v1/signals", raw, key=api_key())
        assert response.status_code in {400, 422}, raw[:20]
        assert "detail" in response.json()


@pytest.mark.parametrize("raw", ["[]", "7", '"text"', "null", '{"category": {"a": 1}}'])
def test_wrong_shapes_are_422(town: Municipality, post_json: Post, api_key: Key, raw: str) -> None:
    assert post_json("/api/v1/signals", raw, key=api_key()).status_code == 422


def test_huge_body_is_413(town: Municipality, post_json: Post, api_key: Key) -> None:
    response = post_json("/api/v1/signals", signal_body(description="x" * 100_000), key=api_key())
    assert response.status_code == 413 and "detail" in response.json()


@pytest.mark.parametrize("text", ["nul\x00byte", "half \ud800 surrogate"])
def test_text_the_database_would_refuse_is_422(town: Municipality, post_json: Post, api_key: Key, text: str) -> None:
    raw = json.dumps(signal_body(description=text))
    response = post_json("/api/v1/signals", raw, key=api_key())
    assert response.status_code == 422


def test_no_team_to_route_to_is_503(town: Municipality, post_json: Post, api_key: Key) -> None:
    from waakvlam.core.models import Team

    Team.objects.all().update(municipality=Municipality.objects.create(code="GM9997", name="Elders"))
    response = post_json("/api/v1/signals", signal_body(), key=api_key())
    assert response.status_code == 503 and not Signal.objects.exists()


# --- POST /api/v1/public/signals ------------------------------------------------------------------------


def test_public_report_returns_only_the_tracking_code(areas: dict[str, Neighbourhood], post_json: Post) -> None:
    body = signal_body(reporter={"name": "Anna", "email": "anna@example.nl", "may_contact": True})
    response = post_json("/api/v1/public/signals", body)
    assert response.status_code == 201
    assert set(response.json()) == {"tracking_code"}
    signal = Signal.objects.get(tracking_code=response.json()["tracking_code"])
    assert signal.source_kind == "resident" and signal.reporter_email == "anna@example.nl"


def test_public_report_validates_like_the_other(town: Municipality, post_json: Post) -> None:
    assert post_json("/api/v1/public/signals", signal_body(urgency="acute")).status_code == 422
    bad_mail = post_json("/api/v1/public/signals", signal_body(reporter={"email": "not-an-address"}))
    assert bad_mail.status_code == 422 and bad_mail.json()["detail"][0]["loc"][-1] == "email"
    assert post_json("/api/v1/public/signals", signal_body(external_id="X")).status_code == 422


@pytest.mark.usefixtures("mid_minute")
def test_public_endpoint_is_rate_limited(areas: dict[str, Neighbourhood], post_json: Post, settings: Any) -> None:
    settings.WAAKVLAM_PUBLIC_RATE_LIMIT = 3
    codes = [post_json("/api/v1/public/signals", signal_body()).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    limited = post_json("/api/v1/public/signals", signal_body())
    assert "detail" in limited.json() and int(limited["Retry-After"]) >= 1
    # Another address has its own allowance.
    assert post_json("/api/v1/public/signals", signal_body(), REMOTE_ADDR="10.9.8.7").status_code == 201
    assert Signal.objects.count() == 4


# --- GET /api/v1/track/{code} -----------------------------------------------------------------------------

_NEVER_IN_TRACKING = (
    "owner",
    "Waakvlam",
    "description",
    "Post stapelt",
    "address",
    "9901",
    "Dorpsstraat",
    "outcome",
    "contact_made",
    "waakvlammer",
)


def _track(client: Client, code: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/track/{code}")
    assert response.status_code == 200
    text = response.content.decode()
    for secret in _NEVER_IN_TRACKING:
        assert secret not in text
    answer: dict[str, Any] = response.json()
    assert set(answer) == {"status", "updated_at"}
    return answer


def test_tracking_shows_status_and_moment_only(
    areas: dict[str, Neighbourhood], post_json: Post, client: Client
) -> None:
    code = post_json("/api/v1/public/signals", signal_body()).json()["tracking_code"]
    signal = Signal.objects.get(tracking_code=code)
    assert _track(client, code)["status"] == "received"

    later = timezone.now() + timedelta(hours=2)
    signal_claim(signal=signal, by=user("waakvlammer"), now=later)
    picked = _track(client, code)
    assert picked["status"] == "picked_up" and picked["updated_at"].startswith(later.strftime("%Y-%m-%dT%H"))

    signal_close(signal=signal, by=user("waakvlammer"), outcome="contact_made", now=later + timedelta(days=1))
    assert _track(client, code)["status"] == "closed"
    assert _track(client, code.lower())["status"] == "closed"  # codes are read case-insensitively


def test_unknown_tracking_code_is_404(town: Municipality, client: Client) -> None:
    for code in ["NOSUCHCODE", "x" * 300, "%00"]:
        response = client.get(f"/api/v1/track/{code}")
        assert response.status_code == 404 and "detail" in response.json()


# --- GET /api/v1/signals and /signals/{id} ----------------------------------------------------------------


def test_list_shows_visible_signals_with_filters_and_counts(town: Municipality, login: Callable[[str], Client]) -> None:
    ours = team("Waakvlam Centrum-Oost")
    west = team("Waakvlam West")
    hood, other_hood = ours.neighbourhoods.order_by("code")[:2]
    for _ in range(3):
        signal_for(ours, neighbourhood=hood)
    late = signal_for(ours, neighbourhood=other_hood, category="isolation", due_at=timezone.now() - timedelta(hours=1))
    signal_for(west)
    client = login("waakvlammer")

    page = client.get("/api/v1/signals?limit=2").json()
    assert page["count"] == 4 and len(page["items"]) == 2 and page["limit"] == 2
    assert set(page["items"][0]) >= {"id", "tracking_code", "category", "status", "owner", "due_at", "overdue"}
    assert "description" not in page["items"][0] and "address" not in page["items"][0]
    rest = client.get("/api/v1/signals?limit=2&offset=2").json()
    assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in rest["items"]})

    assert client.get("/api/v1/signals?category=isolation").json()["count"] == 1
    overdue = client.get("/api/v1/signals?overdue=true").json()
    assert [i["id"] for i in overdue["items"]] == [late.pk] and overdue["items"][0]["overdue"]
    assert client.get("/api/v1/signals?overdue=false").json()["count"] == 3
    assert client.get(f"/api/v1/signals?neighbourhood={hood.code}").json()["count"] == 3
    assert client.get(f"/api/v1/signals?owner={ours.pk}").json()["count"] == 4
    assert client.get(f"/api/v1/signals?owner={west.pk}").json()["count"] == 0  # hidden ones are not counted
    assert client.get("/api/v1/signals?status=closed").json()["count"] == 0

    assert login("coordinator").get("/api/v1/signals").json()["count"] == 5
    assert login("waakvlammer2").get("/api/v1/signals").json()["count"] == 1


@pytest.mark.parametrize("query", ["neighbourhood=%00", "owner=a%00b"])
def test_nul_in_a_filter_is_a_422(town: Municipality, login: Callable[[str], Client], query: str) -> None:
    assert login("coordinator").get(f"/api/v1/signals?{query}").status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "status=open",
        "category=domestic_violence",
        "limit=0",
        "limit=101",
        "offset=-1",
        "overdue=maybe",
        "offset=99999999999999999999",
    ],
)
def test_bad_list_filters_are_422(town: Municipality, login: Callable[[str], Client], query: str) -> None:
    response = login("waakvlammer").get(f"/api/v1/signals?{query}")
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)


def test_list_needs_read_scope(town: Municipality, client: Client, api_key: Key) -> None:
    response = client.get("/api/v1/signals", HTTP_AUTHORIZATION=f"Bearer {api_key('buurtwerk', ('signals:write',))}")
    assert response.status_code == 403
    readable = client.get("/api/v1/signals", HTTP_AUTHORIZATION=f"Bearer {api_key('buurtwerk', ('signals:read',))}")
    assert readable.status_code == 200
    assert client.get("/api/v1/signals").status_code == 401


def test_detail_shows_text_contact_and_history_to_the_owner(
    areas: dict[str, Neighbourhood], post_json: Post, login: Callable[[str], Client]
) -> None:
    body = signal_body(
        description="Buurman Kees de Groot ligt al dagen binnen.",
        reporter={"name": "Anna", "phone": "0612345678", "email": "anna@example.nl", "may_contact": True},
    )
    code = post_json("/api/v1/public/signals", body).json()["tracking_code"]
    signal = Signal.objects.get(tracking_code=code)
    before = AccessLogEntry.objects.filter(action="view").count()
    detail = login("waakvlammer").get(f"/api/v1/signals/{signal.pk}").json()
    assert detail["description"] == "Buurman Kees de Groot ligt al dagen binnen." and not detail["description_masked"]
    assert detail["reporter"] == {"name": "Anna", "phone": "0612345678", "email": "anna@example.nl"}
    assert detail["address"].startswith("Dorpsstraat 12") and detail["neighbourhood"] == "BU99990100"
    assert [h["kind"] for h in detail["history"]] == ["received", "assigned"]
    assert AccessLogEntry.objects.filter(action="view").count() == before + 1


def test_detail_for_someone_outside_the_owning_team_is_masked(areas: dict[str, Neighbourhood], post_json: Post) -> None:
    from waakvlam.intake.schemas import SignalOut
    from waakvlam.intake.selectors import signal_full_text_visible

    code = post_json("/api/v1/public/signals", signal_body(description="Buurman Kees de Groot, 06-12345678.")).json()[
        "tracking_code"
    ]
    signal = Signal.objects.get(tracking_code=code)
    assert signal_full_text_visible(user("waakvlammer"), signal)
    assert signal_full_text_visible(user("coordinator"), signal)
    assert not signal_full_text_visible(user("waakvlammer2"), signal)
    assert not signal_full_text_visible(user("ggz"), signal)
    shown = SignalOut.from_signal(signal, full_text=False)
    assert "Kees" not in shown.description and "06-1234" not in shown.description and shown.description_masked
    assert shown.reporter is None


def test_detail_needs_read_scope_and_hides_the_rest(town: Municipality, client: Client, api_key: Key) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    write_only = api_key("buurtwerk", ("signals:write",))
    assert client.get(f"/api/v1/signals/{signal.pk}", HTTP_AUTHORIZATION=f"Bearer {write_only}").status_code == 403
    reader = api_key("buurtwerk", ("signals:read",))
    assert client.get(f"/api/v1/signals/{signal.pk}", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code == 200
    for missing in [0, 999999, 2**63, 10**30]:
        assert client.get(f"/api/v1/signals/{missing}", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code in {404, 422}


# --- the OpenAPI document ---------------------------------------------------------------------------------


def test_openapi_documents_every_answer(town: Municipality, client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    post = paths["/api/v1/signals"]["post"]
    assert {"201", "401", "403", "409", "413", "422"} <= set(post["responses"])
    assert "Idempotency-Key" in json.dumps(post) and "112" in json.dumps(post) and "Veilig Thuis" in json.dumps(post)
    assert {"201", "422", "429"} <= set(paths["/api/v1/public/signals"]["post"]["responses"])
    assert {"200", "404"} <= set(paths["/api/v1/track/{tracking_code}"]["get"]["responses"])
    listing = paths["/api/v1/signals"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status",
        "category",
        "neighbourhood",
        "owner",
        "overdue",
        "limit",
        "offset",
    }
    assert all(op.get("summary") for path in paths.values() for op in path.values())


def test_openapi_lists_each_status_once(town: Municipality, client: Client) -> None:
    """An error status the operation declares itself is not added a second time under a text key (the
    JSON would then hold the same key twice, and readers keep either one)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in items]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert repeated == []


# --- fuzzing -----------------------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
_field = st.sampled_from(
    ["category", "urgency", "description", "address", "location_text", "observed_at", "external_id", "reporter"]
)
_near_valid = st.fixed_dictionaries(
    {"category": st.sampled_from(["nuisance", "other", "acute", ""]) | _json},
    optional={
        "urgency": st.sampled_from(["normal", "high", "acute"]) | _json,
        "address": st.fixed_dictionaries(
            {"postcode": st.text(max_size=12) | _json, "house_number": st.text(max_size=8) | st.integers() | _json},
            optional={
                "house_letter": st.text(max_size=3) | _json,
                "house_number_addition": st.text(max_size=6) | _json,
            },
        )
        | _json,
        "location_text": st.text(max_size=40) | _json,
        "description": st.text(max_size=200) | _json,
        "observed_at": st.datetimes().map(lambda d: d.isoformat()) | _json,
        "external_id": st.text(max_size=20) | _json,
    },
)


@hsettings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    body=_near_valid | st.dictionaries(_field, _json, max_size=6) | _json,
    idem=st.none() | st.text(max_size=210),
    client_number=st.integers(0, 2**16 - 1),
)
def test_random_bodies_never_cause_a_500(
    town: Municipality, client: Client, api_key: Key, body: Any, idem: str | None, client_number: int
) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key()}"}
    if idem is not None and all(ch.isprintable() for ch in idem):
        headers["HTTP_IDEMPOTENCY_KEY"] = idem
    response = client.post("/api/v1/signals", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in {201, 400, 409, 422}
    public = client.post(
        "/api/v1/public/signals",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=f"10.1.{client_number // 256}.{client_number % 256}",
    )
    assert public.status_code in {201, 400, 422, 429}


def test_list_filters_by_period_and_by_code_or_reference(town: Municipality, login: Callable[[str], Client]) -> None:
    ours = team("Waakvlam Centrum-Oost")
    now = timezone.now()
    old = signal_for(ours, received_at=now - timedelta(days=40), external_id="WBV-2026-000123")
    new = signal_for(ours)
    client = login("waakvlammer")
    since = (now - timedelta(days=7)).date().isoformat()
    assert [i["id"] for i in client.get(f"/api/v1/signals?from={since}").json()["items"]] == [new.pk]
    assert [i["id"] for i in client.get(f"/api/v1/signals?to={since}").json()["items"]] == [old.pk]
    day = timezone.localtime(old.received_at).date().isoformat()
    assert [i["id"] for i in client.get(f"/api/v1/signals?from={day}&to={day}").json()["items"]] == [old.pk]
    assert [i["id"] for i in client.get("/api/v1/signals?q=wbv-2026-000123").json()["items"]] == [old.pk]
    spaced = new.tracking_code[:4].lower() + " " + new.tracking_code[4:]
    assert [i["id"] for i in client.get(f"/api/v1/signals?q={spaced}").json()["items"]] == [new.pk]
    assert client.get("/api/v1/signals?q=--").json()["count"] == 0


@pytest.mark.parametrize("query", ["from=2026-13-01", "to=yesterday", "from=2026-05-02&to=2026-05-01", "q=a%00"])
def test_bad_period_or_text_is_422(town: Municipality, login: Callable[[str], Client], query: str) -> None:
    response = login("waakvlammer").get(f"/api/v1/signals?{query}")
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)
