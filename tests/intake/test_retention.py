"""Retention: signals that led nowhere are anonymised after the period; the rest stays, the log grows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.models import Municipality
from waakvlam.core.worker import registered_sweeps
from waakvlam.households.linking import household_for_address
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.retention import retention_months, signals_retention_sweep
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify
from waakvlam.routing.services import signal_close

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
LONG_AGO = NOW - timedelta(days=400)
RECENTLY = NOW - timedelta(days=200)


def _closed(outcome: str, *, closed_at: object, **fields: object) -> Signal:
    signal = signal_for(
        team("Waakvlam Centrum-Oost"),
        received_at=closed_at,
        due_at=closed_at,
        location_text="bij de achterdeur",
        external_id=f"WBV-{outcome}-{closed_at:%Y%m%d}",
        reporter_name="Jan Buurman",
        reporter_phone="0612345678",
        reporter_email="jan@example.org",
        debtor_details='{"surname": "Jansen", "birth_date": "1960-01-01"}',
        debtor_index="abc123",
        **fields,
    )
    assert signal.address is not None
    signal.household = household_for_address(address=signal.address, now=closed_at)  # type: ignore[arg-type]
    signal.save(update_fields=["household"])
    return signal_close(
        signal=signal,
        by=user("coordinator"),
        outcome=outcome,
        note="Buurman Piet belde",
        now=closed_at,  # type: ignore[arg-type]
    )


@pytest.fixture
def signals(town: Municipality) -> dict[str, Signal]:
    return {
        "old_no_concern": _closed("no_concern", closed_at=LONG_AGO),
        "old_unreachable": _closed("unreachable", closed_at=LONG_AGO),
        "old_contact_made": _closed("contact_made", closed_at=LONG_AGO),
        "recent_no_concern": _closed("no_concern", closed_at=RECENTLY),
        "open": signal_for(team("Waakvlam Centrum-Oost"), received_at=LONG_AGO, due_at=LONG_AGO),
    }


def _fresh(signal: Signal) -> Signal:
    return Signal.objects.get(pk=signal.pk)


def test_signals_that_led_nowhere_are_anonymised_after_twelve_months(signals: dict[str, Signal]) -> None:
    result = signals_retention_sweep(NOW)
    assert result == {"signals_anonymised": 2}
    for name in ("old_no_concern", "old_unreachable"):
        gone = _fresh(signals[name])
        assert (gone.description, gone.description_masked, gone.location_text, gone.external_id) == ("", "", "", "")
        assert gone.address_id is None and gone.household_id is None
        assert gone.reporter_name is None and gone.reporter_phone is None and gone.reporter_email is None
        assert gone.debtor_details is None and gone.debtor_index == ""
        # What the neighbourhood figures and the tracking page need stays.
        assert (gone.status, gone.outcome, gone.category) == ("closed", signals[name].outcome, "nuisance")
        assert gone.neighbourhood_id == signals[name].neighbourhood_id and gone.closed_at == LONG_AGO
        notes = list(SignalEvent.objects.filter(signal=gone).exclude(kind="anonymised").values_list("note", flat=True))
        assert notes and all(note == "" for note in notes)
        assert SignalEvent.objects.filter(signal=gone, kind="anonymised").count() == 1


def test_signals_that_led_somewhere_recent_or_open_ones_stay(signals: dict[str, Signal]) -> None:
    signals_retention_sweep(NOW)
    for name in ("old_contact_made", "recent_no_concern", "open"):
        kept = _fresh(signals[name])
        assert kept.description == signals[name].description and kept.address_id == signals[name].address_id
        assert not SignalEvent.objects.filter(signal=kept, kind="anonymised").exists()
    assert _fresh(signals["old_contact_made"]).reporter_email == "jan@example.org"


def test_each_anonymised_signal_is_logged_once_and_the_chain_holds(signals: dict[str, Signal]) -> None:
    before = AccessLogEntry.objects.count()
    signals_retention_sweep(NOW)
    entries = AccessLogEntry.objects.filter(context="retention:signal_anonymise")
    assert entries.count() == 2 == AccessLogEntry.objects.count() - before
    assert {e.object_id for e in entries} == {str(signals["old_no_concern"].pk), str(signals["old_unreachable"].pk)}
    assert {(e.action, e.username, e.role) for e in entries} == {("update", "system:retention", "system")}
    # The subject is the address the signal was about, recorded before it was erased.
    assert {e.subject for e in entries} == {
        f"address:{signals['old_no_concern'].address_id}",
        f"address:{signals['old_unreachable'].address_id}",
    }
    assert not list(access_log_verify())


def test_the_sweep_is_idempotent(signals: dict[str, Signal]) -> None:
    assert signals_retention_sweep(NOW) == {"signals_anonymised": 2}
    logged = AccessLogEntry.objects.count()
    assert signals_retention_sweep(NOW) == {"signals_anonymised": 0}
    assert signals_retention_sweep(NOW + timedelta(days=1)) == {"signals_anonymised": 0}
    assert AccessLogEntry.objects.count() == logged


def test_the_period_is_configurable(signals: dict[str, Signal], settings: object) -> None:
    settings.WAAKVLAM_SIGNAL_RETENTION_MONTHS = 6  # type: ignore[attr-defined]
    assert retention_months() == 6
    assert signals_retention_sweep(NOW) == {"signals_anonymised": 3}  # the recent one is 200 days old


@pytest.mark.parametrize("value", ["0", "twelve", "-3"])
def test_a_bad_period_is_refused_with_a_clear_message(value: str, settings: object) -> None:
    settings.WAAKVLAM_SIGNAL_RETENTION_MONTHS = value  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="WAAKVLAM_SIGNAL_RETENTION_MONTHS"):
        retention_months()


def test_the_worker_runs_it_and_the_tracking_page_still_says_closed(signals: dict[str, Signal], client: Client) -> None:
    sweep = next(s for s in registered_sweeps() if s.name == "intake.retention")
    assert sweep.run(NOW + timedelta(hours=2)) == {"signals_anonymised": 2}
    # At most once an hour: the query reads every closed signal.
    assert sweep.run(NOW + timedelta(hours=2, minutes=10)) == {"signals_anonymised": 0}
    code = signals["old_no_concern"].tracking_code
    response = client.get(f"/api/v1/track/{code}", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
