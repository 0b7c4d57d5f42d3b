"""Each kind climbs its ladder: the right people at each level, at the right moments (`now` given, as the
worker's --now does), once per rung, with the due time left where it was."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from tests.contact.helpers import postcode_areas
from tests.followup.helpers import FACTORIES, MONDAY, TICK, escalations, first_late_moment, heard
from waakvlam.core.models import Municipality
from waakvlam.followup.kinds import get_kind
from waakvlam.followup.sweep import sweep_kind
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry

pytestmark = pytest.mark.django_db

LADDERS = {
    "signal_pickup": [{"coordinator"}, {"regie"}, {"coordinator", "regie"}, {"coordinator", "regie"}],
    "contact_overdue": [{"coordinator"}, {"regie"}, {"coordinator", "regie"}, {"coordinator", "regie"}],
    "handover_first_contact": [{"coordinator", "ggz"}, {"regie"}, {"coordinator", "regie"}, {"coordinator", "regie"}],
    # The keeper and the sender; the social map's admins and the sender; then admins and the municipality.
    "referral_answer": [
        {"buurtkamer", "waakvlammer"},
        {"beheer", "waakvlammer"},
        {"beheer", "regie"},
        {"beheer", "regie"},
    ],
}


@pytest.mark.parametrize("name", sorted(LADDERS))
def test_each_level_at_its_moment(town: Municipality, name: str) -> None:
    postcode_areas()
    kind = get_kind(name)
    rng = random.Random(1)
    item = FACTORIES[name](rng, MONDAY)
    manager = kind.model._default_manager
    if name == "signal_pickup":  # the factory's random mix may close it or pick it up: make it open
        manager.filter(pk=item.pk).update(status="received", picked_up_at=None, closed_at=None, outcome="")
    due = getattr(item, kind.due)
    now: datetime = first_late_moment(kind, item)
    assert sweep_kind(kind, now - timedelta(hours=1))["escalated"] == 0  # not late an hour before
    log_before = AccessLogEntry.objects.count()
    for level, people in enumerate(LADDERS[name], start=1):
        assert sweep_kind(kind, now)["escalated"] == 1, (name, level)
        item.refresh_from_db()
        step = kind.ladder.step(level)
        assert getattr(item, kind.level) == level
        assert getattr(item, kind.due) == due  # late stays late
        assert getattr(item, kind.next_step) == kind.calendar.add(now, step.next_after)
        assert heard(kind, item.pk, level) == people, (name, level)
        assert escalations(kind, item.pk) == level
        # Once per rung: the same moment, and the moment the next step is due, change nothing.
        notifications = Notification.objects.count()
        assert sweep_kind(kind, now)["escalated"] == 0
        assert sweep_kind(kind, getattr(item, kind.next_step))["escalated"] == 0
        assert Notification.objects.count() == notifications
        now = getattr(item, kind.next_step) + TICK
    # One access-log entry per pass that escalated, naming the kind's object type and the count.
    entries = list(AccessLogEntry.objects.filter(seq__gt=log_before))
    assert len(entries) == len(LADDERS[name])
    assert {(e.object_type, e.reason) for e in entries} == {(kind.object_type, f"1 {kind.label} geëscaleerd")}


def test_the_municipality_gets_the_stuck_page_and_others_the_item(town: Municipality) -> None:
    postcode_areas()
    kind = get_kind("handover_first_contact")
    item = FACTORIES[kind.name](random.Random(2), MONDAY)
    now = first_late_moment(kind, item)
    sweep_kind(kind, now)
    item.refresh_from_db()
    sweep_kind(kind, getattr(item, kind.next_step) + TICK)
    links = dict(Notification.objects.filter(channel="in_app").values_list("recipient__username", "link"))
    assert links["regie"] == "/regie/vastgelopen/"
    assert links["coordinator"] == links["ggz"] == f"/overdrachten/{item.public_id}/"
