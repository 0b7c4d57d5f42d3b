"""Items per household: raised when rules fire, with the signals named; taken up or dismissed by a person;
a dismissed item stays away until a new signal; an item whose rules stop firing lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cases.conftest import convene
from tests.contact.helpers import actor_of
from tests.factories import user
from waakvlam.attention.configuration import configuration_change
from waakvlam.attention.models import AttentionItem, ItemStatus
from waakvlam.attention.services import InvalidDecision, ItemAlreadyDecided, item_dismiss, item_take_up, items_refresh
from waakvlam.cases.errors import NotAllowed
from waakvlam.core.models import Municipality
from waakvlam.intake.models import Signal
from waakvlam.privacy.models import AccessLogEntry

from .conftest import household_in, signal_at
from .helpers import TODAY, moment

NOW = moment(TODAY, 12)


def two_sources(now=NOW):  # type: ignore[no-untyped-def]
    household = household_in(now=now)
    a = signal_at(household, at=now - timedelta(days=20), org="politie")
    b = signal_at(household, at=now - timedelta(days=2), org="woonstede")
    return household, a, b


def test_an_item_names_the_rules_and_signals_and_changes_nothing_else(demodorp: Municipality) -> None:
    household, a, b = two_sources()
    before = list(Signal.objects.order_by("pk").values())
    counts = items_refresh(household_ids=[household.pk], now=NOW)
    assert counts["raised"] == 1
    item = AttentionItem.objects.get(household=household)
    assert item.status == ItemStatus.OPEN and item.owner_team.name == "Waakvlam Centrum-Oost"
    (reason,) = item.reasons
    assert reason["rule"] == "multiple_sources" and reason["version"] == 1
    assert [s["tracking_code"] for s in reason["signals"]] == [a.tracking_code, b.tracking_code]
    assert [s["source"] for s in reason["signals"]] == ["police", "housing_association"]
    assert item.decide_by == NOW + timedelta(days=5) and item.escalation_level == 0
    assert list(Signal.objects.order_by("pk").values()) == before  # GDPR art. 22: it acts on nothing
    assert items_refresh(household_ids=[household.pk], now=NOW)["raised"] == 0  # idempotent


def test_a_dismissed_item_stays_away_until_a_new_signal(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    items_refresh(household_ids=[household.pk], now=NOW)
    item = AttentionItem.objects.get(household=household)
    with pytest.raises(InvalidDecision):
        item_dismiss(item=item, reason="  ", by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=NOW)
    item_dismiss(
        item=item,
        reason="Bekend, loopt via de corporatie.",
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=NOW,
    )
    later = NOW + timedelta(days=3)
    assert items_refresh(household_ids=[household.pk], now=later)["held_back"] == 1
    assert AttentionItem.objects.filter(household=household, status=ItemStatus.OPEN).count() == 0
    new = signal_at(household, at=later, org="politie")
    assert items_refresh(household_ids=[household.pk], now=later)["raised"] == 1
    again = AttentionItem.objects.get(household=household, status=ItemStatus.OPEN)
    assert new.tracking_code in {s["tracking_code"] for r in again.reasons for s in r["signals"]}
    entry = AccessLogEntry.objects.filter(object_type="attention.attentionitem").latest("seq")
    assert entry.subject == f"address:{household.address_id}" and entry.reason == "afgewezen"


def test_taking_up_records_the_choice_once(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    items_refresh(household_ids=[household.pk], now=NOW)
    item = AttentionItem.objects.get(household=household)
    with pytest.raises(InvalidDecision):
        item_take_up(item=item, how="ignore", note="", by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=NOW)
    done = item_take_up(
        item=item,
        how="case_conference",
        note="Casusoverleg volgende week.",
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=NOW,
    )
    assert (done.status, done.take_up, done.decided_by_label) == (ItemStatus.TAKEN_UP, "case_conference", "Wim Bakker")
    with pytest.raises(ItemAlreadyDecided):
        item_dismiss(item=item, reason="x", by=user("waakvlammer"), actor=actor_of("waakvlammer"), now=NOW)
    assert items_refresh(household_ids=[household.pk], now=NOW)["held_back"] == 1


def test_an_item_lapses_when_its_window_has_passed(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    items_refresh(household_ids=[household.pk], now=NOW)
    assert items_refresh(household_ids=[household.pk], now=NOW + timedelta(days=75))["lapsed"] == 1
    assert AttentionItem.objects.get(household=household).status == ItemStatus.LAPSED


def test_a_switched_off_rule_stops_firing_and_the_configuration_is_versioned(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    admin = user("beheer")
    row = configuration_change(
        municipality_id=demodorp.pk,
        data={"multiple_sources": {"enabled": False}},
        by=admin,
        note="Eerst de andere regels beproeven.",
        actor=actor_of("beheer"),
        now=NOW,
    )
    assert (row.version, row.created_by_label) == (1, "Bea de Boer")
    assert items_refresh(household_ids=[household.pk], now=NOW)["raised"] == 0
    row2 = configuration_change(
        municipality_id=demodorp.pk,
        data={"multiple_sources": {"enabled": True, "params": {"min_sources": 2}}},
        by=admin,
        note="",
        actor=actor_of("beheer"),
        now=NOW,
    )
    assert row2.version == 2
    items_refresh(household_ids=[household.pk], now=NOW)
    assert AttentionItem.objects.get(household=household).config_version == 2


def test_convening_a_case_conference_takes_up_the_open_item_the_convener_sees(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    items_refresh(household_ids=[household.pk], now=NOW)
    item = AttentionItem.objects.get(household=household)
    other, _c, _d = two_sources()
    items_refresh(household_ids=[other.pk], now=NOW)

    conference = convene(household, by="waakvlammer")
    item.refresh_from_db()
    assert (item.status, item.take_up, item.decided_by) == (ItemStatus.TAKEN_UP, "case_conference", user("waakvlammer"))
    assert item.decision_note == f"Casusoverleg belegd op {conference.meets_on:%d-%m-%Y}"
    assert AccessLogEntry.objects.filter(object_id=item.pk, context="attention:decide").count() == 1
    # Another household's item is untouched; convening again finds nothing open to take up.
    assert AttentionItem.objects.get(household=other).status == ItemStatus.OPEN
    convene(household, by="waakvlammer")
    assert AttentionItem.objects.filter(household=household).count() == 1


def test_a_convener_who_does_not_see_the_item_leaves_it_open(demodorp: Municipality) -> None:
    household, _a, _b = two_sources()
    items_refresh(household_ids=[household.pk], now=NOW)
    with pytest.raises(NotAllowed):  # waakvlammer2 sees neither the household nor its item
        convene(household, by="waakvlammer2")
    assert AttentionItem.objects.get(household=household).status == ItemStatus.OPEN
