"""ADR 0009 for case conferences, tasks and attention items: they are named by public ids in URLs, API paths,
answers and inputs; an old integer id answers 404 even to someone who may see the object; and a hidden
object's public id answers exactly as a random UUID does, so a probe learns nothing about what exists."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import CaseWorld
from tests.factories import team
from waakvlam.attention.models import AttentionItem
from waakvlam.core.models import Municipality

pytestmark = pytest.mark.django_db

Login = Callable[[str], Client]
OUTSIDER = "waakvlammer2"  # a steward of another team: no participant, not the item's team


@pytest.fixture
def item(case_world: CaseWorld, town: Municipality) -> AttentionItem:
    now = timezone.now()
    return AttentionItem.objects.create(
        municipality=town,
        household=case_world.household,
        owner_team=team("Waakvlam Centrum-Oost"),
        raised_at=now,
        updated_at=now,
        checked_on=timezone.localdate(),
        decide_by=now + timedelta(days=2),
    )


def _page(content: bytes, path: str) -> str:
    """A page names its own path (the language switch) and a fresh CSRF token: take both out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode()).replace(path, "")


def test_a_hidden_objects_public_id_answers_like_a_random_uuid(
    login: Login, case_world: CaseWorld, item: AttentionItem
) -> None:
    client = login(OUTSIDER)
    new = uuid.uuid4()
    case, task, flagged = case_world.conference.public_id, case_world.task.public_id, item.public_id
    reads = [
        *(
            (f"/casusoverleg/{case}/{part}", f"/casusoverleg/{new}/{part}")
            for part in ("", "agenda/", "waakvlamcontact/")
        ),
        (f"/taken/{task}/", f"/taken/{new}/"),
        (f"/aandacht/{flagged}/", f"/aandacht/{new}/"),
        (f"/api/v1/case-conferences/{case}", f"/api/v1/case-conferences/{new}"),
        (f"/api/v1/case-conferences/{case}/agenda", f"/api/v1/case-conferences/{new}/agenda"),
        (f"/api/v1/tasks/{task}", f"/api/v1/tasks/{new}"),
        (f"/api/v1/attention/{flagged}", f"/api/v1/attention/{new}"),
    ]
    for hidden, missing in reads:
        first, second = client.get(hidden), client.get(missing)
        assert first.status_code == second.status_code == 404, hidden
        assert _page(first.content, hidden) == _page(second.content, missing), hidden
    writes = [
        (f"/casusoverleg/{case}/besluit/", f"/casusoverleg/{new}/besluit/", {"text": "Samen optrekken"}),
        (f"/taken/{task}/klaar/", f"/taken/{new}/klaar/", {"note": ""}),
        (f"/aandacht/{flagged}/afwijzen/", f"/aandacht/{new}/afwijzen/", {"reason": "geen zorgen"}),
    ]
    for hidden, missing, form in writes:
        first, second = client.post(hidden, form), client.post(missing, form)
        assert first.status_code == second.status_code == 404, hidden
        assert _page(first.content, hidden) == _page(second.content, missing), hidden
    api_writes = [
        (f"/api/v1/case-conferences/{case}/decisions", f"/api/v1/case-conferences/{new}/decisions", {"text": "x"}),
        (f"/api/v1/case-conferences/{case}/close", f"/api/v1/case-conferences/{new}/close", {}),
        (f"/api/v1/tasks/{task}/drop", f"/api/v1/tasks/{new}/drop", {"reason": "weg"}),
        (f"/api/v1/attention/{flagged}/dismiss", f"/api/v1/attention/{new}/dismiss", {"reason": "weg"}),
    ]
    for hidden, missing, body in api_writes:
        first = client.post(hidden, json.dumps(body), content_type="application/json")
        second = client.post(missing, json.dumps(body), content_type="application/json")
        assert (first.status_code, first.json()) == (second.status_code, second.json()) == (404, first.json()), hidden
    # A task for someone else's case: the same answer whether that case exists or not.
    task_body = {
        "title": "Bellen",
        "done_means": "Gebeld",
        "owner_organisation": "woonstede",
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    first, second = (
        client.post(
            "/api/v1/tasks", json.dumps({**task_body, "case_conference_id": str(c)}), content_type="application/json"
        )
        for c in (case, new)
    )
    assert (first.status_code, first.json()) == (second.status_code, second.json()) == (404, first.json())


def test_old_integer_ids_answer_404_even_to_who_may_see(
    login: Login, case_world: CaseWorld, item: AttentionItem
) -> None:
    client = login("waakvlammer")
    case, task = case_world.conference, case_world.task
    for path in (f"/casusoverleg/{case.public_id}/", f"/taken/{task.public_id}/", f"/aandacht/{item.public_id}/"):
        assert client.get(path).status_code == 200, path
    for path in (
        f"/casusoverleg/{case.pk}/",
        f"/casusoverleg/{case.pk}/agenda/",
        f"/taken/{task.pk}/",
        f"/aandacht/{item.pk}/",
        f"/api/v1/case-conferences/{case.pk}",
        f"/api/v1/case-conferences/{case.pk}/agenda",
        f"/api/v1/tasks/{task.pk}",
        f"/api/v1/attention/{item.pk}",
    ):
        assert client.get(path).status_code == 404, path
    answer = client.post(f"/api/v1/tasks/{task.pk}/done", json.dumps({"note": ""}), content_type="application/json")
    assert answer.status_code == 404
    old_input = client.post(
        "/api/v1/tasks",
        json.dumps(
            {
                "case_conference_id": case.pk,
                "title": "Bellen",
                "done_means": "Gebeld",
                "owner_organisation": "woonstede",
                "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert old_input.status_code == 422  # an integer is no public id: bad input, one entry for the field
    assert [e["loc"][-1] for e in old_input.json()["detail"]] == ["case_conference_id"]


def test_answers_and_links_name_them_by_public_id(login: Login, case_world: CaseWorld, item: AttentionItem) -> None:
    client = login("waakvlammer")
    case, task = case_world.conference, case_world.task
    listed = client.get("/api/v1/case-conferences").json()["items"]
    assert [c["id"] for c in listed] == [str(case.public_id)]
    one = client.get(f"/api/v1/case-conferences/{case.public_id}").json()
    assert one["id"] == str(case.public_id)
    assert [(t["id"], t["case_conference_id"]) for t in one["tasks"]] == [(str(task.public_id), str(case.public_id))]
    tasks = login("signaleerder").get("/api/v1/tasks").json()["items"]
    assert [t["id"] for t in tasks] == [str(task.public_id)]
    client = login("waakvlammer")
    assert client.get(f"/api/v1/attention/{item.public_id}").json()["id"] == str(item.public_id)
    created = client.post(
        "/api/v1/tasks",
        json.dumps(
            {
                "case_conference_id": str(case.public_id),
                "title": "Bellen",
                "done_means": "Gebeld",
                "owner_organisation": "woonstede",
                "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            }
        ),
        content_type="application/json",
    ).json()
    assert created["case_conference_id"] == str(case.public_id) and uuid.UUID(created["id"])
    # The pages link to each other by public id.
    page = client.get(f"/taken/{task.public_id}/").content.decode()
    assert f"/casusoverleg/{case.public_id}/" in page
    listing = client.get("/aandacht/?status=open").content.decode()
    assert f"/aandacht/{item.public_id}/" in listing and f"/aandacht/{item.pk}/" not in listing
