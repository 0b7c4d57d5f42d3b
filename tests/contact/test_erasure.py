"""Erasure on request (GDPR art. 17): refused while care runs, then everything about the resident's life
goes in one transaction, the outline and the access log stay, and only the privacy officer can do it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.conftest import World
from tests.contact.helpers import actor_of, resident_in
from tests.factories import signal_for, team, user
from waakvlam.contact.models import ContactMoment, ContactPlan, ContactPlanEvent, EarlyWarningContact
from waakvlam.contact.services import plan_close
from waakvlam.households.erasure import ERASED_DESCRIPTION, ErasureRefused, resident_erase, resident_erasure_plan
from waakvlam.households.models import Resident
from waakvlam.intake.models import Signal
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify
from waakvlam.routing.services import signal_close

pytestmark = pytest.mark.django_db


def _close_plan(world: World) -> None:
    plan_close(
        plan=world.plan, by=user("waakvlammer"), reason="Gaat goed", actor=actor_of("waakvlammer"), now=timezone.now()
    )


def _signal_about(world: World, *, closed: bool) -> Signal:
    household = world.resident.household
    assert household is not None
    signal = signal_for(team("Waakvlam Centrum-Oost"), address=household.address, household=household)
    if closed:
        signal_close(signal=signal, by=user("coordinator"), outcome="no_concern", now=timezone.now())
    return Signal.objects.get(pk=signal.pk)


def test_erasure_is_refused_while_contact_runs_and_changes_nothing(world: World) -> None:
    plan = resident_erasure_plan(world.resident)
    assert plan.blockers and "waakvlamcontact" in plan.blockers[0]
    before = AccessLogEntry.objects.count()
    with pytest.raises(ErasureRefused, match="waakvlamcontact"):
        resident_erase(resident=world.resident, reason="Brief 12-11", actor=actor_of("privacy"), now=timezone.now())
    assert Resident.objects.get(pk=world.resident.pk).name == world.resident.name
    assert AccessLogEntry.objects.count() == before


def test_erasure_needs_a_reason(world: World) -> None:
    _close_plan(world)
    with pytest.raises(ErasureRefused, match="verzoek"):
        resident_erase(resident=world.resident, reason="  ", actor=actor_of("privacy"), now=timezone.now())


def test_an_open_signal_about_a_sole_residents_household_blocks_too(world: World) -> None:
    _close_plan(world)
    _signal_about(world, closed=False)
    assert any("signalen" in b for b in resident_erasure_plan(world.resident).blockers)


def test_erasure_erases_the_residents_life_and_keeps_the_outline(world: World) -> None:
    _close_plan(world)
    signal = _signal_about(world, closed=True)
    before = AccessLogEntry.objects.count()
    done = resident_erase(
        resident=world.resident,
        reason="Verzoek per brief, 12-11, kenmerk AVG-7",
        actor=actor_of("privacy"),
        now=timezone.now(),
    )
    assert done.counts == {"contact_plans": 1, "early_warning_plan": 1, "handovers": 0, "signals": 1}
    resident = Resident.objects.get(pk=world.resident.pk)
    assert (resident.name, resident.description) == (None, ERASED_DESCRIPTION)
    plan = ContactPlan.objects.get(pk=world.plan.pk)
    assert (plan.close_reason, plan.basis_note, plan.steward) == ("", "", user("waakvlammer"))
    assert set(ContactMoment.objects.filter(plan=plan).values_list("note", "wellbeing")) == {("", "")}
    assert ContactPlanEvent.objects.filter(plan=plan, kind="anonymised", actor_label="privacy").count() == 1
    early = type(world.early_warning).objects.get(pk=world.early_warning.pk)
    assert early.strengths == "" and not EarlyWarningContact.objects.filter(plan=early).exists()
    gone = Signal.objects.get(pk=signal.pk)
    assert gone.description == "" and gone.address_id is None and gone.status == "closed"
    # The access log grows (one entry per erased object, the resident's as "delete") and is never cut.
    entries = AccessLogEntry.objects.filter(seq__gt=0).order_by("seq")[before:]
    kinds = {(e.object_type, e.action, e.username) for e in entries}
    assert ("households.resident", "delete", "privacy") in kinds
    assert {"contact.contactplan", "contact.earlywarningplan", "intake.signal"} <= {k[0] for k in kinds}
    assert AccessLogEntry.objects.count() > before
    assert not list(access_log_verify())


def test_signals_stay_when_others_live_at_the_address(world: World) -> None:
    _close_plan(world)
    signal = _signal_about(world, closed=True)
    Resident.objects.create(
        municipality=world.resident.municipality,
        household=world.resident.household,
        name="Huisgenoot",
        created_at=timezone.now(),
    )
    plan = resident_erasure_plan(world.resident)
    assert plan.signals == 0 and plan.signals_kept_for_others and not plan.blockers
    resident_erase(resident=world.resident, reason="Brief 12-11", actor=actor_of("privacy"), now=timezone.now())
    assert Signal.objects.get(pk=signal.pk).description == signal.description


def test_the_privacy_officer_erases_through_the_screen(world: World, login: Callable[[str], Client]) -> None:
    _close_plan(world)
    client = login("privacy")
    page = client.get(f"/privacy/bewoners/{world.resident.public_id}/wissen/")
    assert page.status_code == 200 and "Definitief wissen" in page.content.decode()
    empty = client.post(f"/privacy/bewoners/{world.resident.public_id}/wissen/", {"reason": "", "bevestigd": "1"})
    assert empty.status_code == 400 and "Er is niets gewist" in empty.content.decode()
    done = client.post(
        f"/privacy/bewoners/{world.resident.public_id}/wissen/",
        {"reason": "Brief 12-11", "bevestigd": "1"},
        follow=True,
    )
    assert done.status_code == 200 and "zijn gewist" in done.content.decode()
    assert Resident.objects.get(pk=world.resident.pk).name is None


def test_the_screen_shows_why_it_cannot_erase_yet(world: World, login: Callable[[str], Client]) -> None:
    page = login("privacy").get(f"/privacy/bewoners/{world.resident.public_id}/wissen/")
    assert page.status_code == 200
    assert "Nu nog niet mogelijk" in page.content.decode() and "Definitief wissen" not in page.content.decode()


@pytest.mark.parametrize("username", ["waakvlammer", "coordinator", "wijkteamer", "signaleerder", "beheer"])
def test_nobody_else_may_erase(world: World, login: Callable[[str], Client], username: str) -> None:
    _close_plan(world)
    client = login(username)
    assert client.get(f"/privacy/bewoners/{world.resident.public_id}/wissen/").status_code == 404
    assert client.post(f"/privacy/bewoners/{world.resident.public_id}/wissen/", {"reason": "x"}).status_code == 404
    assert Resident.objects.get(pk=world.resident.pk).name is not None


def test_a_resident_of_another_municipality_is_not_found(world: World, login: Callable[[str], Client]) -> None:
    from tests.factories import other_municipality

    other, _org, _team, _user = other_municipality()
    stranger = resident_in(world.resident.household.neighbourhood.code)  # type: ignore[union-attr]
    Resident.objects.filter(pk=stranger.pk).update(municipality=other)
    assert login("privacy").get(f"/privacy/bewoners/{stranger.public_id}/wissen/").status_code == 404
