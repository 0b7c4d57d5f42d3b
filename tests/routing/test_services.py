"""Claim, transfer and close: state changes, append-only history, one access-log entry per action."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import signal_for, team, user
from tests.routing.conftest import MONDAY
from waakvlam.core.apikeys import api_key_create
from waakvlam.core.models import Municipality, Organisation
from waakvlam.followup.calendar import add_working_days, add_working_hours
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.routing.errors import (
    InvalidAction,
    NotAllowed,
    ScopeMissing,
    SignalAlreadyClaimed,
    SignalAlreadyClosed,
)
from waakvlam.routing.services import signal_claim, signal_close, signal_transfer

pytestmark = pytest.mark.django_db

LATER = MONDAY + timedelta(hours=1)


@pytest.fixture
def signal(town: Municipality) -> Signal:
    return signal_for(team("Waakvlam Centrum-Oost"), received_at=MONDAY, due_at=add_working_days(MONDAY, 2))


def _events(signal: Signal) -> list[str]:
    return list(SignalEvent.objects.filter(signal=signal).order_by("at", "pk").values_list("kind", flat=True))


def test_claim_picks_the_signal_up(signal: Signal) -> None:
    before = AccessLogEntry.objects.count()
    claimed = signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    claimed.refresh_from_db()
    assert (claimed.status, claimed.owner_user, claimed.picked_up_at) == ("assigned", user("waakvlammer"), LATER)
    assert _events(signal) == ["received", "claimed"]
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.username, entry.action, entry.object_type, entry.object_id) == (
        "waakvlammer",
        "update",
        "intake.signal",
        str(signal.pk),
    )
    assert entry.subject == f"address:{signal.address_id}"


def test_claiming_twice_is_refused(signal: Signal) -> None:
    signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    with pytest.raises(SignalAlreadyClaimed, match="al opgepakt"):
        signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    with pytest.raises(SignalAlreadyClaimed):
        signal_claim(signal=signal, by=user("coordinator"), now=LATER)
    assert _events(signal) == ["received", "claimed"]


def test_only_who_may_see_it_may_act(signal: Signal) -> None:
    for username in ("waakvlammer2", "ggz", "signaleerder", "regie", "privacy", "beheer"):
        with pytest.raises(NotAllowed):
            signal_claim(signal=signal, by=user(username), now=LATER)
        with pytest.raises(NotAllowed):
            signal_close(signal=signal, by=user(username), outcome="no_concern", now=LATER)
    assert _events(signal) == ["received"]
    # The coordinator of the owning organisation may.
    signal_close(signal=signal, by=user("coordinator"), outcome="duplicate", now=LATER)


def test_close_with_outcome_and_twice_is_a_conflict(signal: Signal) -> None:
    before = AccessLogEntry.objects.count()
    closed = signal_close(
        signal=signal, by=user("waakvlammer"), outcome="referred", note="Naar budgetcoach.", now=LATER
    )
    closed.refresh_from_db()
    assert (closed.status, closed.outcome, closed.closed_at) == ("closed", "referred", LATER)
    assert SignalEvent.objects.filter(signal=signal, kind="closed").get().note == "Doorverwezen. Naar budgetcoach."
    assert AccessLogEntry.objects.count() == before + 1
    with pytest.raises(SignalAlreadyClosed):
        signal_close(signal=signal, by=user("waakvlammer"), outcome="referred", now=LATER)
    with pytest.raises(SignalAlreadyClosed):
        signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    with pytest.raises(SignalAlreadyClosed):
        signal_transfer(signal=signal, by=user("waakvlammer"), to_team=team("Waakvlam West"), reason="x", now=LATER)
    assert AccessLogEntry.objects.count() == before + 1
    assert _events(signal) == ["received", "closed"]


def test_close_needs_a_known_outcome(signal: Signal) -> None:
    with pytest.raises(InvalidAction) as error:
        signal_close(signal=signal, by=user("waakvlammer"), outcome="solved", now=LATER)
    assert error.value.errors == {"outcome": "Kies een uitkomst."}
    signal.refresh_from_db()
    assert signal.status == "received"


def test_transfer_to_a_team_needs_a_reason_and_restarts_the_clock(signal: Signal) -> None:
    signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    for blank in ("", "   "):
        with pytest.raises(InvalidAction) as error:
            signal_transfer(
                signal=signal, by=user("waakvlammer"), to_team=team("Waakvlam West"), reason=blank, now=LATER
            )
        assert error.value.errors == {"reason": "Geef een reden voor de overdracht."}
    Signal.objects.filter(pk=signal.pk).update(escalation_level=1)
    before = AccessLogEntry.objects.count()
    moved = signal_transfer(
        signal=signal, by=user("waakvlammer"), to_team=team("Waakvlam West"), reason="Woont in West.", now=LATER
    )
    moved.refresh_from_db()
    assert moved.owner_team == team("Waakvlam West")
    assert (moved.owner_user, moved.status, moved.picked_up_at, moved.escalation_level) == (None, "received", None, 0)
    # No rules in this municipality: the first version's response time, in working time.
    assert moved.due_at == add_working_days(LATER, 2)
    assert AccessLogEntry.objects.count() == before + 1
    # The reporter never sees a step go backwards: it was picked up once, and stays "picked up".
    from waakvlam.intake.tracking import tracking_moment

    assert tracking_moment(moved) == ("picked_up", LATER)
    event = SignalEvent.objects.get(signal=signal, kind="transferred")
    assert (event.note, event.team, event.actor) == ("Woont in West.", team("Waakvlam West"), user("waakvlammer"))
    # The new team is told; the text holds no description or address.
    notes = Notification.objects.filter(kind="signal_transferred")
    assert set(notes.values_list("recipient__username", flat=True)) == {"waakvlammer2", "coordinator"}
    assert all(signal.description not in n.body for n in notes)
    # The old steward no longer sees it, so may no longer act on it.
    with pytest.raises(NotAllowed):
        signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    signal_claim(signal=signal, by=user("waakvlammer2"), now=LATER)


def test_transfer_to_a_person_uses_the_rules_response_time(seeded: Municipality) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"), urgency="high", received_at=MONDAY, due_at=MONDAY)
    moved = signal_transfer(
        signal=signal, by=user("coordinator"), to_user=user("waakvlammer2"), reason="Kent de bewoner.", now=LATER
    )
    moved.refresh_from_db()
    assert (moved.owner_team, moved.owner_user, moved.status) == (
        team("Waakvlam West"),
        user("waakvlammer2"),
        "received",
    )
    assert moved.due_at == add_working_hours(LATER, 4)  # a high-urgency rule
    assert (
        list(Notification.objects.filter(kind="signal_transferred").values_list("recipient__username", flat=True))
        == ["waakvlammer2"] * Notification.objects.filter(kind="signal_transferred").count()
    )
    # The person routed to picks it up.
    claimed = signal_claim(signal=moved, by=user("waakvlammer2"), now=LATER)
    assert claimed.status == "assigned"


def test_transfer_targets_are_checked(signal: Signal) -> None:
    from tests.factories import other_municipality

    _, _, other_team, other_user = other_municipality()
    cases = [
        ({"to_team": other_team}, "team"),
        ({"to_user": other_user}, "user"),
        ({"to_user": user("signaleerder")}, "user"),
        ({}, "team"),
        ({"to_team": team("Waakvlam West"), "to_user": user("waakvlammer2")}, "team"),
        ({"to_team": team("Waakvlam Centrum-Oost")}, "team"),  # already there
    ]
    for target, field in cases:
        with pytest.raises(InvalidAction) as error:
            signal_transfer(signal=signal, by=user("waakvlammer"), reason="Reden.", now=LATER, **target)  # type: ignore[arg-type]
        assert field in error.value.errors
    assert _events(signal) == ["received"]


def test_history_is_append_only(signal: Signal) -> None:
    signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    first = list(SignalEvent.objects.filter(signal=signal).order_by("pk").values_list("pk", "kind", "at", "note"))
    signal_transfer(signal=signal, by=user("coordinator"), to_team=team("Waakvlam West"), reason="Beter.", now=LATER)
    signal_close(signal=signal, by=user("coordinator"), outcome="no_concern", now=LATER + timedelta(hours=1))
    after = list(SignalEvent.objects.filter(signal=signal).order_by("pk").values_list("pk", "kind", "at", "note"))
    assert after[: len(first)] == first  # nothing earlier changed
    assert [kind for _, kind, _, _ in after] == ["received", "claimed", "transferred", "closed"]


def test_api_keys_act_only_with_the_write_scope(signal: Signal) -> None:
    buurtwerk = Organisation.objects.get(slug="buurtwerk")
    reader, _ = api_key_create(organisation=buurtwerk, scopes=["signals:read"])
    writer, _ = api_key_create(organisation=buurtwerk, scopes=["signals:read", "signals:write"])
    stranger, _ = api_key_create(
        organisation=Organisation.objects.get(slug="woonstede"), scopes=["signals:read", "signals:write"]
    )
    with pytest.raises(ScopeMissing):
        signal_close(signal=signal, by=reader, outcome="no_concern", now=LATER)
    with pytest.raises(NotAllowed):
        signal_close(signal=signal, by=stranger, outcome="no_concern", now=LATER)
    signal_close(signal=signal, by=writer, outcome="no_concern", now=LATER)
    entry = AccessLogEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.api_key_prefix == writer.prefix
    assert SignalEvent.objects.get(signal=signal, kind="closed").actor_label == f"api:{writer.prefix}"


def test_reporter_hears_picked_up_and_closed(signal: Signal, monkeypatch: pytest.MonkeyPatch) -> None:
    moments: list[str] = []
    monkeypatch.setattr(
        "waakvlam.routing.services.tracking_moment_notify",
        lambda *, signal, moment, now: moments.append(moment),
    )
    signal_claim(signal=signal, by=user("waakvlammer"), now=LATER)
    signal_close(signal=signal, by=user("waakvlammer"), outcome="contact_made", now=LATER)
    assert moments == ["picked_up", "closed"]
