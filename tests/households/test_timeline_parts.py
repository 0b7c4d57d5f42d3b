"""The household timeline with what the apps above households add (households/reach.py), per role.

One household (9901AB 7, Binnenstad): GGZ Kompas announced a warm handover of "Mila Reiger" to it, the
steward accepted it (which starts a contact plan), made first contact and drew up her early-warning
plan; the housing corporation also signalled about the address. Each reader sees on the timeline only
what the plan, early-warning and handover selectors let them see; every resident shown is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.contact.helpers import actor_of, early_warning_for
from tests.factories import signal_for, team, user
from waakvlam.contact.models import ContactPlan
from waakvlam.contact.services import MomentInput, contact_record, plan_close
from waakvlam.core.models import Neighbourhood
from waakvlam.core.templatetags.ui import datum
from waakvlam.handover.models import Handover
from waakvlam.handover.services import HandoverInput, handover_accept, handover_announce
from waakvlam.households.linking import households_visible_to
from waakvlam.households.models import Household
from waakvlam.households.services import AddressInput
from waakvlam.intake.models import Signal
from waakvlam.intake.services import AddressInput as SignalAddress
from waakvlam.intake.services import Reporter, SignalInput, signal_create
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

NAME = "Mila Reiger"
CONTACT = "Contactmoment"
PLAN = "Waakvlamcontact met"
WARNING_PLAN = "Signaleringsplan van"
HANDOVER = "aangekondigd door GGZ Kompas"
SIGNAL = "Vervuiling / verwaarlozing"


@dataclass
class Place:
    household: Household
    handover: Handover
    plan: ContactPlan


def _handover_world(*, with_signal: bool) -> Place:
    now = timezone.now()
    handover = handover_announce(
        data=HandoverInput(discharge_on=timezone.localdate(now), address=AddressInput("9901AB", 7), resident_name=NAME),
        by=user("ggz"),
        actor=actor_of("ggz"),
        now=now,
    )
    handover = handover_accept(
        handover=handover, steward=user("waakvlammer"), by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=now
    )
    plan = handover.contact_plan
    assert plan is not None
    contact_record(
        plan=plan,
        data=MomentInput(timezone.localdate(now), "visit", True, "fine", "Koffie gedronken."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=now,
    )
    early_warning_for(plan.resident)
    if with_signal:
        signal = signal_create(
            data=SignalInput(
                category="neglect", description="Vuilniszakken op het balkon.", address=SignalAddress("9901AB", "7")
            ),
            reporter=Reporter.for_user(user("signaleerder")),
            now=now,
        )
        assert signal.household_id == handover.household_id
    return Place(household=handover.household, handover=handover, plan=plan)


@pytest.fixture
def place(areas: dict[str, Neighbourhood]) -> Place:
    return _handover_world(with_signal=True)


@pytest.fixture
def plan_only(areas: dict[str, Neighbourhood]) -> Place:
    """The same, without any signal at the address: only the plan and the handover lead to the household."""
    return _handover_world(with_signal=False)


# What each role sees on the timeline; a role that is missing gets a 404.
SEES = {
    "waakvlammer": {SIGNAL, PLAN, CONTACT, WARNING_PLAN, HANDOVER},
    "coordinator": {SIGNAL, PLAN, CONTACT, WARNING_PLAN, HANDOVER},
    # the sending clinic: its handover, the early-warning plan (a party to the handover works on it) and,
    # during the overlap, the contact plan; not the housing corporation's signal
    "ggz": {PLAN, CONTACT, WARNING_PLAN, HANDOVER},
}


def _page(client: Client, household: Household) -> tuple[int, str]:
    response = client.get(f"/huishoudens/{household.public_id}/")
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    "username",
    ["waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "wijkagent", "budgetcoach", "regie"],
)
def test_timeline_parts_per_role(place: Place, login: Callable[[str], Client], username: str) -> None:
    status, page = _page(login(username), place.household)
    expected = SEES.get(username)
    assert status == (200 if expected else 404)
    if not expected:
        assert NAME not in page
        return
    shown = {marker for marker in (SIGNAL, PLAN, CONTACT, WARNING_PLAN, HANDOVER) if marker in page}
    assert shown == expected
    assert NAME in page
    # The contact note stays on the plan page.
    assert "Koffie gedronken" not in page


def test_a_steward_who_sees_the_address_through_a_signal_only_sees_no_contact(
    place: Place, login: Callable[[str], Client]
) -> None:
    """budgetcoach owns an arrears signal at the address: the household opens, with that signal alone."""
    signal_for(
        team("Vroegsignalering"),
        address=place.household.address,
        household=place.household,
        category="payment_arrears",
    )
    status, page = _page(login("budgetcoach"), place.household)
    assert status == 200
    assert "Betalingsachterstand" in page or "achterstand" in page.lower()
    for hidden in (CONTACT, PLAN, WARNING_PLAN, HANDOVER, NAME, SIGNAL):
        assert hidden not in page


def test_every_resident_shown_is_logged_by_name(place: Place, login: Callable[[str], Client]) -> None:
    before = AccessLogEntry.objects.count()
    status, _page_html = _page(login("waakvlammer"), place.household)
    assert status == 200
    logged = AccessLogEntry.objects.order_by("seq")[before:]
    subjects = {(e.object_type, e.subject) for e in logged if e.context == "ui:household_detail"}
    resident = f"resident:{place.plan.resident_id}"
    assert subjects == {
        ("households.household", f"address:{place.household.address_id}"),
        ("contact.contactplan", resident),
        ("contact.earlywarningplan", resident),
        ("handover.handover", resident),
    }
    assert all(e.username == "waakvlammer" for e in logged)


def test_the_timeline_is_one_list_newest_first(place: Place, login: Callable[[str], Client]) -> None:
    """An older signal comes below the handover and the contact of today."""
    Signal.objects.filter(household=place.household).update(received_at=timezone.now() - timedelta(days=40))
    _status, page = _page(login("waakvlammer"), place.household)
    assert page.index(CONTACT) < page.index(SIGNAL)
    assert page.index(HANDOVER) < page.index(SIGNAL)
    # A day sorts as the start of that day: today's announcement (a moment) above today's contact (a day).
    assert page.index(HANDOVER) < page.index(CONTACT)


def test_first_signal_is_the_first_signal_the_table_shows(place: Place, login: Callable[[str], Client]) -> None:
    """Not when the household was linked (the handover created it here, before any signal)."""
    first = timezone.now() - timedelta(days=30)
    Signal.objects.filter(household=place.household).update(received_at=first)
    Household.objects.filter(pk=place.household.pk).update(created_at=timezone.now() - timedelta(days=400))
    _status, page = _page(login("waakvlammer"), place.household)
    shown = page.split("Eerste signaal", 1)[1].split("</dd>", 1)[0]
    assert datum(first) in shown


# --- item 2: from a plan, the household is one click away ------------------------------------------------------

PLAN_ONLY_SEES = {"waakvlammer", "coordinator", "ggz"}


@pytest.mark.parametrize(
    "username", ["waakvlammer", "waakvlammer2", "coordinator", "ggz", "signaleerder", "budgetcoach", "privacy"]
)
def test_a_plan_or_handover_opens_the_household(
    plan_only: Place, login: Callable[[str], Client], username: str
) -> None:
    status, _html = _page(login(username), plan_only.household)
    assert status == (200 if username in PLAN_ONLY_SEES else 404)
    assert households_visible_to(user(username)).filter(pk=plan_only.household.pk).exists() is (
        username in PLAN_ONLY_SEES
    )


def test_the_plan_page_links_to_the_household(plan_only: Place, login: Callable[[str], Client]) -> None:
    page = login("waakvlammer").get(f"/waakvlamcontact/{plan_only.plan.public_id}/").content.decode()
    assert f'href="/huishoudens/{plan_only.household.public_id}/#tijdlijn"' in page


def test_a_closed_plan_no_longer_opens_the_household(plan_only: Place, login: Callable[[str], Client]) -> None:
    """Once the handover is closed and the plan too, nothing leads the steward there any more: 404, no link."""
    now = timezone.now()
    Handover.objects.filter(pk=plan_only.handover.pk).update(status="closed", closed_at=now)
    plan_close(plan=plan_only.plan, by=user("waakvlammer"), reason="Verhuisd.", actor=actor_of("waakvlammer"), now=now)
    client = login("waakvlammer")
    assert _page(client, plan_only.household)[0] == 404
    page = client.get(f"/waakvlamcontact/{plan_only.plan.public_id}/").content.decode()
    assert "/huishoudens/" not in page


def test_a_partner_without_a_relationship_still_gets_404(plan_only: Place, login: Callable[[str], Client]) -> None:
    """budgetcoach (schuldhulp) and the housing corporation neither keep the plan nor take part in the
    handover nor have consent: the household does not exist for them, and nothing is logged about it."""
    for username in ("budgetcoach", "signaleerder"):
        before = AccessLogEntry.objects.count()
        assert _page(login(username), plan_only.household)[0] == 404
        assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("username", ["waakvlammer", "ggz"])
def test_the_handover_page_links_to_the_household(
    plan_only: Place, login: Callable[[str], Client], username: str
) -> None:
    page = login(username).get(f"/overdrachten/{plan_only.handover.public_id}/").content.decode()
    assert f'href="/huishoudens/{plan_only.household.public_id}/#tijdlijn"' in page
