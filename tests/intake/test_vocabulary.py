"""One word per state and per urgency level (docs/glossary.md): the signal page, its history, the reporter's
tracking page, the lists and the forms all read them from the signal's own choices (intake/models.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import signal_for, team
from waakvlam.core.models import Municipality
from waakvlam.intake.announcement import announcement
from waakvlam.intake.forms import PublicSignalForm, SignalForm
from waakvlam.intake.models import Status, TrackingStatus, Urgency
from waakvlam.intake.vocabulary import SIGNAL_EVENT_LABELS, signal_event_label

pytestmark = pytest.mark.django_db


def _status_on_signal_page(page: str) -> str:
    found = re.search(r"<dt>(?:Status)</dt><dd>([^<—]+)", page)
    assert found, "no status on the signal page"
    return found.group(1).strip()


def _current_tracking_step(page: str) -> str:
    found = re.search(r'aria-current="step"><strong>([^<]+)</strong>', page)
    assert found, "no current step on the tracking page"
    return found.group(1).strip()


def _history_steps(page: str) -> list[str]:
    return [step.strip() for step in re.findall(r"<li><strong>([^<]+)</strong>", page)]


@pytest.mark.parametrize("prefix,language", [("", "nl"), ("/en", "en")])
def test_each_state_reads_the_same_word_on_the_signal_page_its_history_and_the_tracking_page(
    login: Callable[[str], Client], town: Municipality, prefix: str, language: str
) -> None:
    signal = signal_for(team("Waakvlam Centrum-Oost"))
    steward = login("waakvlammer")

    def words() -> tuple[str, str, list[str]]:
        detail = steward.get(f"{prefix}/signalen/{signal.pk}/").content.decode()
        tracking = Client().get(f"{prefix}/volgen/{signal.tracking_code}/").content.decode()
        return _status_on_signal_page(detail), _current_tracking_step(tracking), _history_steps(detail)

    with translation.override(language):
        received, picked_up, closed = (str(Status.RECEIVED.label), str(Status.ASSIGNED.label), str(Status.CLOSED.label))
    status_word, tracking_word, _history = words()
    assert status_word == tracking_word == received

    assert steward.post(f"/signalen/{signal.pk}/oppakken/").status_code == 302
    status_word, tracking_word, history = words()
    assert status_word == tracking_word == picked_up
    assert picked_up in history, history

    assert steward.post(f"/signalen/{signal.pk}/afsluiten/", {"outcome": "no_concern"}).status_code == 302
    status_word, tracking_word, history = words()
    assert status_word == tracking_word == closed
    assert closed in history, history
    for synonym in ("Toegewezen", "Afgerond", "Assigned", "Completed"):
        assert synonym not in status_word + tracking_word + " ".join(history)


def test_the_tracking_words_are_the_signals_own_status_words() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            assert [str(label) for label in TrackingStatus.labels] == [
                str(Status.RECEIVED.label),
                str(Status.ASSIGNED.label),
                str(Status.CLOSED.label),
            ]
            # A history step that puts a signal in a state carries that state's word.
            assert signal_event_label("received") == str(Status.RECEIVED.label)
            assert signal_event_label("claimed") == str(Status.ASSIGNED.label)
            assert signal_event_label("closed") == str(Status.CLOSED.label)
    assert signal_event_label("something_new") == "something new"
    assert "Toegewezen" not in {str(label) for label in SIGNAL_EVENT_LABELS.values()}


def test_one_word_per_urgency_level_on_forms_lists_and_notifications(
    login: Callable[[str], Client], town: Municipality
) -> None:
    with translation.override("nl"):
        assert (str(Urgency.NORMAL.label), str(Urgency.HIGH.label)) == ("Normaal", "Urgent")
        for form in (SignalForm(), PublicSignalForm()):
            labels = [str(label) for _value, label in form.fields["urgency"].choices]
            assert labels[0].startswith("Normaal: ") and labels[1].startswith("Urgent: "), labels
    with translation.override("en"):
        labels = [str(label) for _value, label in SignalForm().fields["urgency"].choices]
        assert labels[0].startswith("Normal: ") and labels[1].startswith("Urgent: "), labels

    urgent = signal_for(team("Waakvlam Centrum-Oost"), urgency=Urgency.HIGH)
    steward = login("waakvlammer")
    for path in ("/signalen/", "/", f"/signalen/{urgent.pk}/", "/inbox/", "/melding-doen/"):
        page = steward.get(path).content.decode()
        for other in ("Hoog", "Vandaag nog", "Dringend", '">urgent<'):
            assert other not in page, (path, other)
    assert '<span class="badge badge--high">Urgent</span>' in steward.get("/signalen/").content.decode()

    text = announcement(urgent, urgent.received_at)
    assert "Urgentie: Urgent" in text["body"]
    assert text["subject"].startswith("Urgent signaal")
