"""Partner systems read case conferences and tasks with a scoped API key: `cases:read` the outline of the cases
their organisation takes part in (never the agenda), `tasks:read` the tasks their organisation owns. A key
without the scope gets 403, a case or task outside its organisation 404, and no key changes anything. Every
read is written to the access log under the key, naming the resident."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import signal_for, team
from waakvlam.cases.models import Scope
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Organisation
from waakvlam.households.models import Household
from waakvlam.privacy.models import AccessLogEntry

from .conftest import CaseWorld, convene, give_task, invite


def bearer(org: str, *scopes: str) -> dict[str, str]:
    _key, raw = api_key_create(organisation=Organisation.objects.get(slug=org), scopes=list(scopes), name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def other_case(case_world: CaseWorld) -> CaseWorld:
    """A second case about another household, with only ggz invited and a task for ggz-kompas."""
    address = signal_for(team("Waakvlam Centrum-Oost")).address
    hh = Household.objects.create(
        municipality=case_world.household.municipality,
        address=address,
        neighbourhood=address.neighbourhood,
        created_at=case_world.conference.created_at,
    )
    signal_for(team("Waakvlam Centrum-Oost"), household=hh, address=hh.address)
    conference = convene(hh)
    invite(conference, "ggz", {Scope.SIGNALS})
    give_task(conference, org="ggz-kompas", owner="ggz")
    return case_world


@pytest.mark.parametrize(
    ("org", "sees_first", "sees_second"),
    [
        ("woonstede", True, False),  # invited to the first case only
        ("ggz-kompas", True, True),  # invited to both
        ("buurtwerk", True, True),  # convened both
        ("politie", False, False),  # takes part in neither
    ],
)
def test_cases_read_shows_the_outline_of_the_cases_the_organisation_takes_part_in(
    client: Client, other_case: CaseWorld, org: str, sees_first: bool, sees_second: bool
) -> None:
    headers = bearer(org, "cases:read")
    listed = client.get("/api/v1/case-conferences", **headers)
    assert listed.status_code == 200
    assert listed.json()["count"] == int(sees_first) + int(sees_second)
    first = client.get(f"/api/v1/case-conferences/{other_case.conference.public_id}", **headers)
    assert first.status_code == (200 if sees_first else 404)
    if sees_first:
        body = first.json()
        # A basis for sharing is agreed per person: a system sees no scoped part, whoever it belongs to.
        assert body["agenda"] is None and body["your_scopes"] == []
        assert body["question"] == other_case.conference.question
    agenda = client.get(f"/api/v1/case-conferences/{other_case.conference.public_id}/agenda", **headers)
    assert agenda.status_code == 403


def test_tasks_read_shows_the_tasks_the_organisation_owns(client: Client, other_case: CaseWorld) -> None:
    woonstede = bearer("woonstede", "tasks:read")
    listed = client.get("/api/v1/tasks", **woonstede).json()
    assert [t["id"] for t in listed["items"]] == [str(other_case.task.public_id)]
    assert client.get("/api/v1/tasks?mine=true", **woonstede).json()["count"] == 1
    assert client.get(f"/api/v1/tasks/{other_case.task.public_id}", **woonstede).status_code == 200
    ggz = bearer("ggz-kompas", "tasks:read")
    assert client.get(f"/api/v1/tasks/{other_case.task.public_id}", **ggz).status_code == 404
    assert client.get("/api/v1/tasks", **ggz).json()["count"] == 1
    entry = AccessLogEntry.objects.filter(context="api:task_detail").get()
    assert entry.role == "api" and entry.organisation == "woonstede" and entry.api_key_prefix
    assert entry.subject == f"resident:{other_case.resident.pk}"


@pytest.mark.parametrize(
    ("path", "scope"),
    [("/api/v1/case-conferences", "tasks:read"), ("/api/v1/tasks", "cases:read"), ("/api/v1/tasks", "signals:read")],
)
def test_a_key_without_the_scope_gets_403(client: Client, case_world: CaseWorld, path: str, scope: str) -> None:
    assert client.get(path, **bearer("woonstede", scope)).status_code == 403


def test_no_key_changes_a_case_or_a_task(client: Client, case_world: CaseWorld) -> None:
    headers = bearer("woonstede", "cases:read", "tasks:read")
    done = client.post(
        f"/api/v1/tasks/{case_world.task.public_id}/done",
        json.dumps({"note": ""}),
        content_type="application/json",
        **headers,
    )
    assert done.status_code == 403
    decision = client.post(
        f"/api/v1/case-conferences/{case_world.conference.public_id}/decisions",
        json.dumps({"text": "Afspraak"}),
        content_type="application/json",
        **headers,
    )
    assert decision.status_code == 403
    case_world.task.refresh_from_db()
    assert case_world.task.status == "open"
