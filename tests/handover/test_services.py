"""The warm handover: announce, accept, tell the housing association what consent allows, first contact,
the overlap, and closing only with every checklist item done or skipped with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, consent_for
from tests.factories import user
from waakvlam.contact.errors import ChecklistIncomplete, Conflict, InvalidInput, NotAllowed
from waakvlam.contact.models import DataKind, PlanStatus
from waakvlam.contact.selectors import plans_visible_to
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.handover.models import ChecklistTopic, Handover, HandoverStatus, ItemState
from waakvlam.handover.services import ItemInput, handover_accept, handover_close, handover_item_set
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db
Announce = Callable[..., Handover]


def _accept(handover: Handover, by: str = "waakvlammer", steward: str = "waakvlammer") -> Handover:
    return handover_accept(
        handover=handover, steward=user(steward), by=user(by), actor=actor_of(by), now=timezone.now()
    )


def test_announce_finds_the_receiving_team_and_tells_it_without_names(announce: Announce) -> None:
    discharge = timezone.localdate() + timedelta(days=3)
    handover = announce(discharge_on=discharge, items={"housing": ItemInput(ItemState.DONE, "Sleutel geregeld")})
    assert handover.receiving_team.name == "Waakvlam Centrum-Oost"
    assert handover.status == HandoverStatus.ANNOUNCED
    assert handover.first_contact_due == discharge + timedelta(days=5)
    assert handover.resident.household == handover.household
    assert handover.household.address.neighbourhood.code == "BU99990100"  # type: ignore[union-attr]
    assert {i.topic: i.state for i in handover.items.all()} == {
        "housing": "done",
        "income": "open",
        "daytime": "open",
        "gp": "open",
        "network": "open",
        "early_warning_plan": "open",
    }
    told = Notification.objects.filter(kind="handover_announced", channel="in_app")
    assert {n.recipient.username for n in told if n.recipient} == {"waakvlammer", "coordinator"}
    assert all("Piet" not in n.subject + n.body for n in told)


def test_only_clinic_or_shelter_professionals_announce(announce: Announce) -> None:
    for username in ("waakvlammer", "coordinator", "signaleerder", "regie", "privacy"):
        with pytest.raises(NotAllowed):
            announce(by=username)


def test_bad_input_names_the_field(announce: Announce) -> None:
    with pytest.raises(InvalidInput) as error:
        announce(postcode="1234ZZ")
    assert "address.postcode" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        announce(postcode="12")
    assert "address.postcode" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        announce(
            items={"gp": ItemInput(ItemState.SKIPPED, "", "")}, discharge_on=timezone.localdate() - timedelta(days=90)
        )
    assert {"items.gp.skip_reason", "discharge_on"} <= set(error.value.errors)
    assert Handover.objects.count() == 0


def test_accept_assigns_a_steward_and_starts_the_pilot_light(announce: Announce) -> None:
    handover = announce()
    with pytest.raises(NotAllowed):
        _accept(handover, by="waakvlammer2", steward="waakvlammer2")
    with pytest.raises(NotAllowed):
        _accept(handover, by="ggz")
    handover = _accept(handover)
    assert handover.status == HandoverStatus.ACCEPTED and handover.steward == user("waakvlammer")
    plan = handover.contact_plan
    assert plan is not None and plan.status == PlanStatus.ACTIVE and plan.starts_on == handover.discharge_on
    assert plan.resident_id == handover.resident_id and plan.team.name == "Waakvlam Centrum-Oost"  # type: ignore[union-attr]
    with pytest.raises(Conflict):
        _accept(handover)


def test_housing_association_hears_date_and_address_only_with_consent(announce: Announce) -> None:
    silent = _accept(announce(number=5))
    assert not Notification.objects.filter(kind="handover_housing").exists()
    assert silent.housing_informed_at is None
    handover = announce(number=7, name="Karin Smit")
    consent_for(handover.resident, "woonstede", DataKind.HANDOVER, by="waakvlammer")
    handover = _accept(handover)
    told = Notification.objects.filter(kind="handover_housing", channel="in_app")
    assert [n.recipient.username for n in told if n.recipient] == ["signaleerder"]
    note = told.get()
    # Stored (and mailed) without date or address: those are shown at read time (tests/handover/test_notifications.py).
    assert f"{handover.discharge_on:%d-%m-%Y}" not in note.subject + note.body
    assert str(handover.address) not in note.body and note.ref == f"handover:{handover.pk}"
    assert "Karin" not in note.subject + note.body and "Smit" not in note.subject + note.body
    assert handover.housing_informed_at is not None
    # Consent recorded after acceptance informs then, once.
    consent_for(silent.resident, "woonstede", DataKind.HANDOVER, by="waakvlammer")
    assert Notification.objects.filter(kind="handover_housing", channel="in_app").count() == 2
    consent_for(silent.resident, "woonstede", DataKind.HANDOVER, by="waakvlammer")
    assert Notification.objects.filter(kind="handover_housing", channel="in_app").count() == 2


def test_first_contact_and_the_overlap(announce: Announce) -> None:
    handover = _accept(announce(discharge_on=timezone.localdate() - timedelta(days=2)))
    plan = handover.contact_plan
    assert plan is not None
    # During the overlap both sides see the contact plan: the steward's and the clinic's.
    assert plans_visible_to(user("ggz")).filter(pk=plan.pk).exists()
    contact_record(
        plan=plan,
        data=MomentInput(timezone.localdate(), "visit", True, "fine"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.FIRST_CONTACT and handover.first_contact_on == timezone.localdate()
    later = timezone.now() + timedelta(days=40)
    assert not plans_visible_to(user("ggz"), later).filter(pk=plan.pk).exists()
    assert plans_visible_to(user("waakvlammer"), later).filter(pk=plan.pk).exists()


def test_close_requires_every_item_done_or_skipped_with_a_reason(announce: Announce) -> None:
    handover = announce()
    with pytest.raises(Conflict):
        handover_close(handover=handover, by=user("ggz"), actor=actor_of("ggz"), now=timezone.now())
    handover = _accept(handover)
    with pytest.raises(ChecklistIncomplete) as error:
        handover_close(handover=handover, by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=timezone.now())
    assert len(error.value.blocking) == 6
    with pytest.raises(InvalidInput) as invalid:
        handover_item_set(
            handover=handover,
            topic="daytime",
            item=ItemInput(ItemState.SKIPPED, "", "  "),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    assert "skip_reason" in invalid.value.errors
    for topic in ChecklistTopic.values:
        if topic == "gp":
            continue
        handover_item_set(
            handover=handover,
            topic=topic,
            item=ItemInput(ItemState.SKIPPED, "", "Werkt fulltime")
            if topic == "daytime"
            else ItemInput(ItemState.DONE, "Geregeld"),
            by=user("ggz" if topic == "housing" else "waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
    with pytest.raises(ChecklistIncomplete) as error:
        handover_close(handover=handover, by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=timezone.now())
    assert error.value.blocking == ["Huisarts"]
    handover_item_set(
        handover=handover,
        topic="gp",
        item=ItemInput(ItemState.DONE, "Ingeschreven"),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=timezone.now(),
    )
    closed = handover_close(
        handover=handover, by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=timezone.now()
    )
    assert closed.status == HandoverStatus.CLOSED and closed.closed_at is not None
    with pytest.raises((Conflict, NotAllowed)):
        handover_item_set(
            handover=handover,
            topic="gp",
            item=ItemInput(ItemState.OPEN),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=timezone.now(),
        )
