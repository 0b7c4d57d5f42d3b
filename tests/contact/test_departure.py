"""A steward leaves: nothing selected, a preview, a confirmation, and an undo window — and nothing drastic
(moving a caseload, closing a plan, erasing a resident) runs on a POST without its confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import actor_of, plan_for
from tests.factories import user
from waakvlam.contact.departure import UNDO_MINUTES
from waakvlam.contact.models import ContactPlan, PlanStatus
from waakvlam.contact.services import plan_close
from waakvlam.households.models import Resident
from waakvlam.privacy.models import AccessLogEntry

TEAM = "/team/waakvlam/"
LEAVE = "/team/waakvlam/overdragen/"
UNDO = "/team/waakvlam/overdragen/ongedaan/"


def _stewards(*plans: ContactPlan) -> list[str]:
    return [ContactPlan.objects.get(pk=p.pk).steward.username for p in plans]


def test_nothing_is_preselected(town: object, login: Callable[[str], Client]) -> None:
    form = login("coordinator").get(TEAM).context["backup_form"]
    assert form["steward"].value() in (None, "")
    assert "selected>" not in str(form["steward"]).replace('value="" selected>', "")


def test_preview_names_who_goes_where_and_confirming_moves_exactly_that(
    town: object, login: Callable[[str], Client]
) -> None:
    with_backup = plan_for(backup="coordinator")
    orphan = plan_for()
    backing = plan_for("waakvlammer2", backup="waakvlammer")
    client = login("coordinator")
    before = AccessLogEntry.objects.count()

    preview = client.post(LEAVE, {"steward": user("waakvlammer").pk})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Er is nog niets veranderd" in html
    assert str(with_backup.resident) in html and "gaat naar" in html and "blijft staan: geen back-up" in html
    assert _stewards(with_backup, orphan, backing) == ["waakvlammer", "waakvlammer", "waakvlammer2"]
    shown = AccessLogEntry.objects.filter(seq__gt=before, context="ui:hand_to_backup_preview")
    assert shown.count() == 3  # each resident named in the preview is a read

    done = client.post(LEAVE, {"steward": user("waakvlammer").pk, "bevestiging": preview.context["token"]}, follow=True)
    assert "Overdracht ongedaan maken" in done.content.decode()
    assert _stewards(with_backup, orphan, backing) == ["coordinator", "waakvlammer", "waakvlammer2"]
    assert ContactPlan.objects.get(pk=backing.pk).backup is None


def test_a_token_for_another_preview_moves_nothing(town: object, login: Callable[[str], Client]) -> None:
    first = plan_for(backup="coordinator")
    client = login("coordinator")
    token = client.post(LEAVE, {"steward": user("waakvlammer").pk}).context["token"]
    second = plan_for(backup="coordinator")  # the caseload changed after the preview
    again = client.post(LEAVE, {"steward": user("waakvlammer").pk, "bevestiging": token})
    assert again.status_code == 200 and "Er is intussen iets veranderd" in again.content.decode()
    assert _stewards(first, second) == ["waakvlammer", "waakvlammer"]
    forged = client.post(LEAVE, {"steward": user("waakvlammer").pk, "bevestiging": token[:-3] + "abc"})
    assert forged.status_code == 200 and _stewards(first, second) == ["waakvlammer", "waakvlammer"]


def test_undo_within_the_window_moves_them_back_and_is_logged(town: object, login: Callable[[str], Client]) -> None:
    moved = plan_for(backup="coordinator")
    changed_since = plan_for(backup="coordinator")
    client = login("coordinator")
    token = client.post(LEAVE, {"steward": user("waakvlammer").pk}).context["token"]
    client.post(LEAVE, {"steward": user("waakvlammer").pk, "bevestiging": token})
    ContactPlan.objects.filter(pk=changed_since.pk).update(steward=user("waakvlammer2"))
    before = AccessLogEntry.objects.count()

    answer = client.post(UNDO, follow=True).content.decode()
    assert "1 waakvlamcontact teruggezet" in answer and "sindsdien gewijzigd" in answer
    assert _stewards(moved, changed_since) == ["waakvlammer", "waakvlammer2"]
    plan = ContactPlan.objects.get(pk=moved.pk)
    assert plan.backup == user("coordinator") and plan.events.filter(kind="handover_undone").exists()
    assert AccessLogEntry.objects.filter(seq__gt=before, context="ui:hand_to_backup_undo").count() == 1
    assert "niet meer" in client.post(UNDO, follow=True).content.decode()  # once only


def test_undo_after_the_window_is_refused(town: object, login: Callable[[str], Client]) -> None:
    moved = plan_for(backup="coordinator")
    client = login("coordinator")
    token = client.post(LEAVE, {"steward": user("waakvlammer").pk}).context["token"]
    client.post(LEAVE, {"steward": user("waakvlammer").pk, "bevestiging": token})
    with time_machine.travel(timezone.now() + timedelta(minutes=UNDO_MINUTES + 1)):
        assert "niet meer" in client.post(UNDO, follow=True).content.decode()
    assert _stewards(moved) == ["coordinator"]


def test_no_drastic_post_runs_without_its_confirmation(world: World, login: Callable[[str], Client]) -> None:
    """Every bulk or irreversible POST, sent as a form would be but without the confirmation: nothing changes."""
    plan_for(backup="coordinator")
    coordinator = login("coordinator")
    leave = coordinator.post(LEAVE, {"steward": user("waakvlammer").pk, "fallback": user("coordinator").pk})
    assert leave.status_code == 200
    assert set(ContactPlan.objects.values_list("steward__username", flat=True)) == {"waakvlammer"}

    close = coordinator.post(f"/waakvlamcontact/{world.plan.public_id}/afsluiten/", {"reason": "Verhuisd"})
    assert close.status_code == 200 and "Bevestig" in close.content.decode()
    assert ContactPlan.objects.get(pk=world.plan.pk).status == PlanStatus.ACTIVE

    plan_close(
        plan=world.plan, by=user("waakvlammer"), reason="Klaar", actor=actor_of("waakvlammer"), now=timezone.now()
    )
    name = Resident.objects.get(pk=world.resident.pk).name
    erase = login("privacy").post(f"/privacy/bewoners/{world.resident.public_id}/wissen/", {"reason": "Brief 12-11"})
    assert erase.status_code == 400 and "Bevestig" in erase.content.decode()
    assert Resident.objects.get(pk=world.resident.pk).name == name
