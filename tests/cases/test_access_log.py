"""Every view of a case or one of its tasks writes exactly one access-log entry per case shown, naming the
resident; a refused view writes none."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.cases.conftest import CaseWorld
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify

pytestmark = pytest.mark.django_db


def _last_seq() -> int:
    return AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize(
    ("username", "path", "object_type"),
    [
        ("waakvlammer", "/casusoverleg/{case}/", "cases.caseconference"),
        ("ggz", "/casusoverleg/{case}/", "cases.caseconference"),
        ("ggz", "/casusoverleg/{case}/agenda/", "cases.caseconference"),
        ("ggz", "/casusoverleg/{case}/waakvlamcontact/", "cases.caseconference"),
        ("waakvlammer", "/casusoverleg/{case}/signaleringsplan/", "cases.caseconference"),
        ("signaleerder", "/taken/{task}/", "cases.task"),
        ("signaleerder", "/taken/", "cases.task"),
        ("signaleerder", "/casusoverleg/", "cases.caseconference"),
        ("ggz", "/api/v1/case-conferences/{case}", "cases.caseconference"),
        ("ggz", "/api/v1/case-conferences/{case}/agenda", "cases.caseconference"),
        ("ggz", "/api/v1/case-conferences", "cases.caseconference"),
        ("signaleerder", "/api/v1/tasks/{task}", "cases.task"),
        ("signaleerder", "/api/v1/tasks", "cases.task"),
    ],
)
def test_every_view_names_the_resident(
    login: Callable[[str], Client], case_world: CaseWorld, username: str, path: str, object_type: str
) -> None:
    before = _last_seq()
    response = login(username).get(path.format(case=case_world.conference.public_id, task=case_world.task.public_id))
    assert response.status_code == 200
    entries = list(AccessLogEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert len(entries) == 1, [(e.object_type, e.context) for e in entries]
    assert (entries[0].object_type, entries[0].username, entries[0].action) == (object_type, username, "view")
    assert entries[0].subject == f"resident:{case_world.resident.pk}"


def test_a_refused_view_logs_nothing_and_writes_are_logged(
    login: Callable[[str], Client], case_world: CaseWorld
) -> None:
    before = _last_seq()
    assert login("signaleerder").get(f"/casusoverleg/{case_world.conference.public_id}/agenda/").status_code == 404
    assert _last_seq() == before
    assert login("signaleerder").post(f"/taken/{case_world.task.public_id}/klaar/", {"note": ""}).status_code == 302
    (entry,) = AccessLogEntry.objects.filter(seq__gt=before)
    assert (entry.action, entry.object_type, entry.subject) == (
        "update",
        "cases.task",
        f"resident:{case_world.resident.pk}",
    )
    assert list(access_log_verify()) == []
