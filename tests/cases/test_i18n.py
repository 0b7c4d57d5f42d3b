"""Case conferences, tasks, area meetings and the informal network in English: each app keeps its
translations in its own locale directory, all translated and compiled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.cases.conftest import CaseWorld
from tests.contact.test_i18n import test_every_string_translated_and_compiled as check_app


@pytest.mark.parametrize("app", ["cases", "network"])
def test_every_string_translated_and_compiled(app: str) -> None:
    check_app(app)


@pytest.mark.django_db
def test_english_pages(login: Callable[[str], Client], case_world: CaseWorld) -> None:
    client = login("waakvlammer")
    page = client.get(f"/en/casusoverleg/{case_world.conference.public_id}/").content.decode()
    assert "Participants" in page and "Give a task" in page and "Deelnemers" not in page
    assert "Tasks" in login("signaleerder").get("/en/taken/").content.decode()
