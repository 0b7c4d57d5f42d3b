"""The handover screens: announcing with the checklist, the detail page, and closing that shows which items block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.test_views import no_inline_script_or_style
from tests.factories import user
from waakvlam.handover.models import ChecklistTopic, Handover

pytestmark = pytest.mark.django_db


def test_announce_accept_and_close_in_the_ui(login: Callable[[str], Client], areas: None) -> None:
    ggz = login("ggz")
    form = ggz.get("/overdrachten/nieuw/")
    assert form.status_code == 200
    no_inline_script_or_style(form.content.decode())
    data = {
        "resident_name": "Piet Bos",
        "discharge_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "postcode": "9901AB",
        "house_number": "21",
        "first_contact_within_days": "5",
        "note": "",
    }
    for topic in ChecklistTopic.values:
        data[f"{topic}_state"] = "open"
    data["daytime_state"] = "skipped"
    refused = ggz.post("/overdrachten/nieuw/", data)
    assert refused.status_code == 422 and 'href="#id_daytime_skip_reason"' in refused.content.decode()
    data["daytime_skip_reason"] = "Werkt fulltime"
    created = ggz.post("/overdrachten/nieuw/", data)
    assert created.status_code == 302
    handover = Handover.objects.get()
    steward = login("waakvlammer")
    detail = steward.get(f"/overdrachten/{handover.public_id}/").content.decode()
    assert "Accepteren" in detail and "Piet Bos" in detail
    no_inline_script_or_style(detail)
    accepted = steward.post(
        f"/overdrachten/{handover.public_id}/accepteren/",
        {"steward": user("waakvlammer").pk, "rhythm_days": "14", "basis": "consent"},
    )
    assert accepted.status_code == 302
    blocked = steward.post(f"/overdrachten/{handover.public_id}/afronden/")
    assert blocked.status_code == 409
    text = blocked.content.decode()
    assert "Afsluiten kan nog niet" in text
    for label in ("Wonen", "Inkomen / budgetcoach", "Huisarts", "Netwerk", "Signaleringsplan"):
        assert f">{label}</a>" in text
    assert ">Dagbesteding</a>" not in text, "the skipped item with a reason does not block"
    for topic in ("housing", "income", "gp", "network", "early_warning_plan"):
        assert (
            steward.post(
                f"/overdrachten/{handover.public_id}/checklist/{topic}/", {f"{topic}-state": "done"}
            ).status_code
            == 302
        )
    skipped = steward.post(
        f"/overdrachten/{handover.public_id}/checklist/gp/", {"gp-state": "skipped", "gp-skip_reason": ""}
    )
    assert skipped.status_code == 422
    # First contact through the handover page, back to it afterwards.
    handover.refresh_from_db()
    first = steward.post(
        f"/waakvlamcontact/{handover.contact_plan.public_id}/contact/",
        {
            "happened_on": timezone.localdate().isoformat(),
            "channel": "visit",
            "made": "ja",
            "wellbeing": "fine",
            "next": f"/overdrachten/{handover.public_id}/",
        },
    )
    assert first.status_code == 302 and first["Location"] == f"/overdrachten/{handover.public_id}/"
    assert steward.post(f"/overdrachten/{handover.public_id}/afronden/").status_code == 302
    handover.refresh_from_db()
    assert handover.status == "closed" and handover.first_contact_on == timezone.localdate()
    assert "Afgesloten" in login("ggz").get("/overdrachten/").content.decode()


def test_open_redirect_is_refused(login: Callable[[str], Client], announce: Callable[..., Handover]) -> None:
    from tests.contact.helpers import plan_for

    plan = plan_for()
    response = login("waakvlammer").post(
        f"/waakvlamcontact/{plan.public_id}/contact/",
        {
            "happened_on": timezone.localdate().isoformat(),
            "channel": "visit",
            "made": "nee",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == f"/waakvlamcontact/{plan.public_id}/"
