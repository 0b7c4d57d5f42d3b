"""ADR 0009 for the informal network: a supporter link is named by its public id in the supporter's screen and
the API; its old integer id answers 404, and someone else's link answers exactly as a link that does not exist."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from tests.network.conftest import NetworkWorld
from waakvlam.network.models import SupporterReport

pytestmark = pytest.mark.django_db


def _page(content: bytes) -> str:
    """A page carries a fresh CSRF token: take it out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


def test_the_supporter_sees_and_reports_on_the_public_id(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    link = network_world.link
    buddy = login("buddy")
    page = buddy.get("/mijn-mensen/").content.decode()
    assert f"/mijn-mensen/{link.public_id}/" in page
    assert f"/mijn-mensen/{link.pk}/" not in page
    listed = buddy.get("/api/v1/supporter-links").json()
    assert [row["id"] for row in listed] == [str(link.public_id)]
    assert buddy.post(f"/mijn-mensen/{link.public_id}/", {"outcome": "fine"}).status_code == 302
    keeper = login("waakvlammer").get("/api/v1/supporter-links").json()  # one client: now logged in as the keeper
    assert str(link.public_id) in [row["id"] for row in keeper]


def test_old_integer_ids_answer_404(login: Callable[[str], Client], network_world: NetworkWorld) -> None:
    buddy, pk = login("buddy"), network_world.link.pk
    assert buddy.post(f"/mijn-mensen/{pk}/", {"outcome": "fine"}).status_code == 404
    api = buddy.post(f"/api/v1/supporter-links/{pk}/reports", {"outcome": "fine"}, content_type="application/json")
    assert api.status_code == 404
    assert SupporterReport.objects.count() == 0


def test_someone_elses_link_answers_as_one_that_does_not_exist(
    login: Callable[[str], Client], network_world: NetworkWorld
) -> None:
    other = login("vrijwilliger")
    hidden, new = network_world.link.public_id, uuid.uuid4()
    first = other.post(f"/mijn-mensen/{hidden}/", {"outcome": "fine"})
    second = other.post(f"/mijn-mensen/{new}/", {"outcome": "fine"})
    assert first.status_code == second.status_code == 404
    assert _page(first.content).replace(str(hidden), "") == _page(second.content).replace(str(new), "")
    answers = [
        other.post(f"/api/v1/supporter-links/{link}/reports", {"outcome": "fine"}, content_type="application/json")
        for link in (hidden, new)
    ]
    first_answer, second_answer = ((a.status_code, a.json()) for a in answers)
    assert first_answer == second_answer
    assert first_answer[0] == 404
    assert SupporterReport.objects.count() == 0
