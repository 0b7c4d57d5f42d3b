"""An undecided attention item on the one follow-up clock: the owning team, then its organisation's
coordinators, then the municipality (metadata only), then "still stuck"; a decided item never escalates."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.attention.conftest import household_in
from tests.contact.helpers import actor_of
from tests.factories import team, user
from tests.followup.helpers import AMS, TICK, heard
from waakvlam.attention.followups import ATTENTION_DECISION
from waakvlam.attention.models import AttentionEvent, AttentionItem, ItemStatus
from waakvlam.attention.services import item_dismiss, item_take_up
from waakvlam.core.models import Municipality
from waakvlam.followup.sweep import followup_sweep, sweep_kind
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db

DECIDE_BY = datetime(2026, 11, 30, 10, 0, tzinfo=AMS)  # a Monday morning


def _item(team_name: str = "Waakvlam Centrum-Oost") -> AttentionItem:
    raised = DECIDE_BY - timedelta(days=5)
    return AttentionItem.objects.create(
        municipality_id=team(team_name).municipality_id,
        household=household_in(now=raised),
        owner_team=team(team_name),
        rule_names="nuisance_and_arrears",
        raised_at=raised,
        updated_at=raised,
        checked_on=raised.date(),
        decide_by=DECIDE_BY,
    )


def test_a_new_item_starts_at_level_zero(town: Municipality) -> None:
    assert _item().escalation_level == 0


def test_an_undecided_item_escalates_at_each_level_at_its_moment(town: Municipality) -> None:
    item = _item()
    assert sweep_kind(ATTENTION_DECISION, DECIDE_BY)["escalated"] == 0
    expected = [{"waakvlammer", "coordinator"}, {"coordinator"}, {"regie"}, {"coordinator", "regie"}]
    now = DECIDE_BY + TICK
    for level, who in enumerate(expected, start=1):
        assert sweep_kind(ATTENTION_DECISION, now)["escalated"] == 1
        item.refresh_from_db()
        assert item.escalation_level == level and item.decide_by == DECIDE_BY
        assert item.next_step_at == ATTENTION_DECISION.calendar.add(now, ATTENTION_DECISION.calendar.working_day)
        assert heard(ATTENTION_DECISION, item.pk, level) == who
        assert AttentionEvent.objects.filter(item=item, kind="escalated").count() == level
        notifications = Notification.objects.count()
        assert sweep_kind(ATTENTION_DECISION, now)["escalated"] == 0  # idempotent
        assert sweep_kind(ATTENTION_DECISION, item.next_step_at)["escalated"] == 0  # not before its step
        assert Notification.objects.count() == notifications
        now = item.next_step_at + TICK


def test_the_message_is_metadata_only(town: Municipality) -> None:
    item = _item()
    result = followup_sweep(DECIDE_BY + timedelta(hours=1))  # the worker's "followup" sweep, every kind
    assert result["attention_decision.escalated"] == 1
    item.refresh_from_db()
    household = item.household
    address = household.address
    for note in Notification.objects.filter(kind="attention_overdue"):
        text = note.subject + note.body
        assert "Waakvlam Centrum-Oost" in text and "30-11-2026" in text
        # Named by its team and date, never by a counter id.
        assert note.subject.startswith("Aandachtspunt voor Waakvlam Centrum-Oost, besluiten uiterlijk 30-11-2026")
        assert f"Aandachtspunt {item.pk}" not in text
        for secret in (address.street, f"{address.postcode}", str(household.pk) + " "):
            assert secret not in text
        assert note.link.endswith(f"/aandacht/{item.public_id}/")


@pytest.mark.parametrize("decision", ["take_up", "dismiss", "lapse"])
def test_a_decided_or_lapsed_item_never_escalates(town: Municipality, decision: str) -> None:
    item = _item()
    sweep_kind(ATTENTION_DECISION, DECIDE_BY + TICK)
    by, actor = user("waakvlammer"), actor_of("waakvlammer")
    if decision == "take_up":
        item_take_up(item=item, how="outreach", note="", by=by, actor=actor, now=DECIDE_BY + timedelta(hours=1))
    elif decision == "dismiss":
        item_dismiss(item=item, reason="Al in beeld bij de huisarts", by=by, actor=actor, now=DECIDE_BY)
    else:
        AttentionItem.objects.filter(pk=item.pk).update(status=ItemStatus.LAPSED, lapsed_at=DECIDE_BY)
    for days in (2, 10, 40):
        assert sweep_kind(ATTENTION_DECISION, DECIDE_BY + timedelta(days=days))["escalated"] == 0
    item.refresh_from_db()
    assert item.escalation_level == 1 and AttentionEvent.objects.filter(item=item).count() == 1


def test_fallbacks_when_nobody_is_there(town: Municipality) -> None:
    """A team without active members falls back to its organisation's coordinators; without the municipality's
    own people, the municipality's step reaches them too; with nobody at all, the functional admin."""
    item = _item("Waakvlam West")
    west = team("Waakvlam West")
    steward = user("waakvlammer2")
    steward.is_active = False
    steward.save(update_fields=["is_active"])
    coordinator = user("coordinator")
    coordinator.teams.remove(west)  # the team now has no active member; its organisation's coordinator remains
    counts = sweep_kind(ATTENTION_DECISION, DECIDE_BY + TICK)
    assert counts.get("unnotified", 0) == 0
    assert heard(ATTENTION_DECISION, item.pk, 1) == {"coordinator"}
    regie = user("regie")
    regie.is_active = False
    regie.save(update_fields=["is_active"])
    for _level in (2, 3):
        item.refresh_from_db()
        sweep_kind(ATTENTION_DECISION, item.next_step_at + TICK)
    assert heard(ATTENTION_DECISION, item.pk, 3) == {"coordinator"}  # no municipality people: coordinators
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    item.refresh_from_db()
    sweep_kind(ATTENTION_DECISION, item.next_step_at + TICK)
    assert heard(ATTENTION_DECISION, item.pk, 4) == {"beheer"}  # nobody else: the functional admin


def test_an_open_item_always_has_an_owning_team(town: Municipality) -> None:
    _item()
    assert not AttentionItem.objects.filter(ATTENTION_DECISION.open).filter(ATTENTION_DECISION.ownerless()).exists()
    assert AttentionItem._meta.get_field("owner_team").null is False
