"""Every escalation and notification text the follow-up clock writes exists in Dutch and in English.

Two halves: the catalogue itself (each registered line has an English translation in the compiled .mo,
with the same placeholders), and the texts really written (every kind climbs its whole ladder, and a batch
large enough for the summary; each line of each subject, body and history note is a catalogue line, and
shows in English to a reader of the English interface)."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

import pytest
from django.db.models import Model
from django.utils import translation
from django.utils.translation import trans_real

from tests.contact.helpers import postcode_areas
from tests.factories import user
from tests.followup.helpers import FACTORIES, MONDAY, TICK, first_late_moment
from waakvlam.core.models import Municipality
from waakvlam.followup.kinds import FollowUpKind, get_kind, registered_kinds
from waakvlam.followup.sweep import SUMMARY_AFTER, sweep_kind
from waakvlam.notify.catalogue import match, registered_texts, registered_values, translated
from waakvlam.notify.models import Notification
from waakvlam.notify.rendering import notifications_render
from waakvlam.privacy.services import Actor

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_catalogue_line_has_an_english_translation() -> None:
    texts, values = registered_texts(), registered_values()
    assert len(texts) > 40 and values
    missing, wrong = [], []
    with translation.override("en"):
        catalog = trans_real.catalog()
        for msgid in [*texts, *values]:
            english = catalog._catalog.get(msgid)  # type: ignore[attr-defined]
            if not english:
                missing.append(msgid)
            elif sorted(PLACEHOLDER.findall(english)) != sorted(PLACEHOLDER.findall(msgid)):
                wrong.append(f"{msgid!r} -> {english!r}")
    assert not missing, "no English in the .mo for:\n" + "\n".join(missing)
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def _open_item(kind: FollowUpKind, seed: int) -> Model:
    for attempt in range(seed, seed + 100):
        item = FACTORIES[kind.name](random.Random(attempt), MONDAY)
        if kind.model._default_manager.filter(kind.open, pk=item.pk).exists():
            return item
    raise AssertionError(f"no open {kind.name} item from the factory")


def _climb(kind: FollowUpKind, item: Model) -> datetime:
    now = first_late_moment(kind, item)
    for _ in range(len(kind.ladder.steps) + 2):  # every step and the repeated last one
        sweep_kind(kind, now)
        item.refresh_from_db()
        now = getattr(item, kind.next_step) + TICK
    return now


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.mark.django_db
def test_every_written_escalation_line_is_in_the_catalogue_and_shows_in_english(town: Municipality) -> None:
    postcode_areas()
    assert {kind.name for kind in registered_kinds()} == set(FACTORIES)
    for kind in registered_kinds():
        after = _climb(kind, _open_item(kind, 1))
        # A batch larger than SUMMARY_AFTER for one person becomes one summary: its lines too.
        batch = [_open_item(kind, 1000 + 100 * i) for i in range(SUMMARY_AFTER + 2)]
        sweep_kind(kind, max([after, *(first_late_moment(kind, item) for item in batch)]) + timedelta(days=1))

    escalation_kinds = {k.notification_kind or k.name for k in registered_kinds()}
    notifications = list(Notification.objects.filter(channel="in_app", kind__in=escalation_kinds))
    assert {n.kind for n in notifications} == escalation_kinds
    assert any(n.dedupe_key.split(":")[0].endswith("-summary") for n in notifications), "no summary written"
    notes = [
        note
        for kind in registered_kinds()
        for note in kind.history.model._default_manager.filter(kind=kind.history.kind).values_list("note", flat=True)
    ]
    unknown = sorted(
        {line for n in notifications for line in _lines(n.subject) + _lines(n.body) if match(line) is None}
        | {note for note in notes if match(note) is None}
    )
    assert not unknown, "written but not in the catalogue (notify/catalogue.py):\n" + "\n".join(unknown)
    step_notes = {match(note)[1]["note"] for note in notes}  # type: ignore[index]
    assert step_notes <= set(registered_values()), step_notes - set(registered_values())

    with translation.override("en"):
        for n in notifications:
            assert translated(n.subject) != n.subject and translated(n.body) != n.body, n.kind
        for note in notes:
            assert translated(note) != note
        # The inbox shows it so: a reader of /en/ gets the English text.
        regie = user("regie")
        mine = Notification.objects.filter(recipient=regie, channel="in_app", kind__in=escalation_kinds)
        shown = notifications_render(
            user=regie, notifications=mine, actor=Actor.system("test"), context="test", now=MONDAY
        )
    assert shown and all("niet op tijd" not in s.subject and "Escalatieniveau" not in s.body for s in shown)


def test_dutch_readers_get_the_text_as_written() -> None:
    text = "Signaal T1 niet op tijd opgepakt (niveau 2)\nVolgcode: T1"
    with translation.override("nl"):
        assert translated(text) == text
    with translation.override("en"):
        assert translated(text) != text
    assert get_kind("signal_pickup").notification_kind == "signal_escalated"


# A thing named by a counter id ("Waakvlamcontact 49 dreigt te doven"): a noun of the domain, then digits only.
COUNTER_ID = re.compile(
    r"\b(?:Signaal|Waakvlamcontact|Warme overdracht|Overdracht|Aandachtspunt|Taak|Verwijzing|Casusoverleg|"
    r"Gebiedsoverleg|Pilot-light contact|Warm handover|Handover|Attention item|Task|Referral|Case conference|"
    r"Area meeting|Signal)\s+\d+\b"
)


@pytest.mark.django_db
def test_no_notification_or_escalation_text_names_a_thing_by_a_counter_id(town: Municipality) -> None:
    """Each kind's own message and the summary a flooded reader gets, in Dutch and as shown in English."""
    postcode_areas()
    for kind in registered_kinds():
        item = _open_item(kind, 1)
        sweep_kind(kind, first_late_moment(kind, item))
        batch = [_open_item(kind, 1000 + 100 * i) for i in range(SUMMARY_AFTER + 2)]
        sweep_kind(kind, max(first_late_moment(kind, one) for one in [item, *batch]) + timedelta(days=1))
    escalation_kinds = {k.notification_kind or k.name for k in registered_kinds()}
    notifications = list(Notification.objects.filter(channel="in_app", kind__in=escalation_kinds))
    assert any(n.dedupe_key.split(":")[0].endswith("-summary") for n in notifications), "no summary written"
    texts = [n.subject + "\n" + n.body for n in notifications]
    with translation.override("en"):
        texts += [translated(text) for text in texts]
    named_by_id = sorted({found.group(0) for text in texts for found in COUNTER_ID.finditer(text)})
    assert not named_by_id, "named by an internal id: " + ", ".join(named_by_id)
