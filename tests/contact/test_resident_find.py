"""Finding a resident by name: only within need-to-know, and every resident shown is in the access log."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.contact.helpers import ZONNEHOEK, plan_for, resident_in
from waakvlam.core.models import Municipality
from waakvlam.privacy.models import AccessLogEntry


def test_search_by_name_shows_only_visible_residents_and_logs_each(
    town: Municipality, login: Callable[[str], Client]
) -> None:
    mine = plan_for("waakvlammer", resident=resident_in(name="Jan  Jansen"))
    plan_for("waakvlammer2", resident=resident_in(ZONNEHOEK, name="Janneke Jansen"))
    before = AccessLogEntry.objects.count()

    page = login("waakvlammer").get("/bewoners/zoeken/?naam=jan jansen")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Jan  Jansen" in html and f"/waakvlamcontact/{mine.public_id}/" in html
    assert "Janneke" not in html  # another steward's resident, another team: not found, not counted
    assert "1 bewoner gevonden" in html
    logged = AccessLogEntry.objects.filter(seq__gt=before, context="ui:resident_find")
    assert list(logged.values_list("subject", flat=True)) == [f"resident:{mine.resident_id}"]

    before = AccessLogEntry.objects.count()
    assert "Janneke" in login("waakvlammer2").get("/bewoners/zoeken/?naam=JANNEKE").content.decode()
    assert AccessLogEntry.objects.filter(seq__gt=before, context="ui:resident_find").count() == 1


def test_short_query_is_refused_and_roles_without_care_get_404(
    town: Municipality, login: Callable[[str], Client]
) -> None:
    plan_for("waakvlammer")
    assert "Typ minstens 2 tekens" in login("waakvlammer").get("/bewoners/zoeken/?naam=j").content.decode()
    for username in ["signaleerder", "regie", "privacy", "beheer"]:
        assert login(username).get("/bewoners/zoeken/?naam=jan").status_code == 404
