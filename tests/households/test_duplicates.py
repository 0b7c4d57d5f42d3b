"""Likely duplicates (same household, same kind of worry, within 14 days, similar text) and merging them.

Merging closes the duplicate with outcome "duplicate" and keeps both histories (a "linked" step on each,
pointing at the other); the reporter of the duplicate sees "closed", the kept one carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import signal_for, team, user
from waakvlam.core.models import Neighbourhood
from waakvlam.households.duplicates import MIN_SIMILARITY, duplicate_candidates, signal_merge, text_similarity
from waakvlam.households.linking import household_for_address
from waakvlam.intake.models import Signal, SignalEvent
from waakvlam.intake.selectors import signals_visible_to
from waakvlam.intake.services import AddressInput, Reporter, SignalInput, signal_create
from waakvlam.intake.tracking import tracking_status
from waakvlam.notify.models import Notification
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.routing.errors import InvalidAction, NotAllowed, SignalAlreadyClosed

pytestmark = pytest.mark.django_db

TEXT = "Buurman reageert niet meer op aanbellen, de post stapelt zich op achter de deur."


def report(
    text: str = TEXT, *, days_ago: float = 0, number: str = "7", category: str = "neglect", email: str = ""
) -> Signal:
    reporter = Reporter.for_public(email=email) if email else Reporter.for_user(user("signaleerder"))
    return signal_create(
        data=SignalInput(category=category, description=text, address=AddressInput("9901AB", number)),
        reporter=reporter,
        now=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def pair(areas: dict[str, Neighbourhood]) -> tuple[Signal, Signal]:
    first = report(email="buur@example.nl", days_ago=3)
    second = report(
        "De post stapelt zich op achter de deur; buurman reageert niet op aanbellen.", email="andere@example.nl"
    )
    return first, second


def test_text_similarity_ignores_order_case_and_punctuation() -> None:
    assert text_similarity("Post stapelt zich op.", "post STAPELT zich op") == 100
    assert text_similarity(TEXT, "Harde muziek 's nachts, buren slapen slecht.") < MIN_SIMILARITY


def test_the_same_worry_twice_is_a_likely_duplicate_with_reasons(pair: tuple[Signal, Signal]) -> None:
    first, second = pair
    found = duplicate_candidates(second, among=signals_visible_to(user("waakvlammer")))
    assert [c.signal.pk for c in found] == [first.pk]
    assert found[0].similarity >= MIN_SIMILARITY
    assert found[0].days_apart == 3
    assert "zelfde adres" in found[0].reasons and any("tekst lijkt" in r for r in found[0].reasons)


@pytest.mark.parametrize(
    "other",
    [
        {"number": "8"},  # another household
        {"category": "nuisance"},  # another worry
        {"days_ago": 20},  # too long ago
        {"text": "Harde muziek 's nachts, de buren slapen slecht."},  # something else entirely
    ],
)
def test_not_a_duplicate(areas: dict[str, Neighbourhood], other: dict[str, object]) -> None:
    signal = report()
    report(**other)  # type: ignore[arg-type]
    assert duplicate_candidates(signal, among=signals_visible_to(user("waakvlammer"))) == []


def test_candidates_are_only_what_the_viewer_may_see(pair: tuple[Signal, Signal]) -> None:
    first, second = pair
    Signal.objects.filter(pk=first.pk).update(owner_team=team("GGZ Kompas FACT-team"))
    assert duplicate_candidates(second, among=signals_visible_to(user("waakvlammer"))) == []


def test_arrears_without_text_from_the_same_creditor_are_duplicates(areas: dict[str, Neighbourhood]) -> None:
    vroeg = team("Vroegsignalering")
    first = signal_for(vroeg, category="payment_arrears", description="", source_kind="housing")
    woonstede = user("signaleerder").organisation
    assert first.address is not None
    household = household_for_address(address=first.address, now=timezone.now())
    Signal.objects.filter(pk=first.pk).update(reporter_organisation=woonstede, household=household)
    first.refresh_from_db()
    second = signal_for(
        vroeg,
        category="payment_arrears",
        description="",
        source_kind="housing",
        address=first.address,
        household=first.household,
        reporter_organisation=woonstede,
    )
    third = signal_for(
        vroeg,
        category="payment_arrears",
        description="",
        source_kind="energy",
        address=first.address,
        household=first.household,
    )
    found = duplicate_candidates(second, among=Signal.objects.all())
    assert [c.signal.pk for c in found] == [first.pk]
    assert third.pk not in [c.signal.pk for c in found]


def test_merge_closes_the_duplicate_keeps_both_histories_and_tells_only_its_reporter(
    pair: tuple[Signal, Signal],
) -> None:
    first, second = pair
    steward, now = user("waakvlammer"), timezone.now()
    log_before = AccessLogEntry.objects.count()
    closed = signal_merge(keep=first, duplicate=second, by=steward, now=now)
    first.refresh_from_db(), second.refresh_from_db()
    assert (second.status, second.outcome, second.merged_into_id) == ("closed", "duplicate", first.pk)
    assert closed.pk == second.pk
    assert first.status == "received" and first.outcome == ""
    assert tracking_status(second) == "closed" and tracking_status(first) == "received"
    linked_dup = SignalEvent.objects.get(signal=second, kind="linked")
    linked_keep = SignalEvent.objects.get(signal=first, kind="linked")
    assert linked_dup.related_signal_id == first.pk and linked_keep.related_signal_id == second.pk
    assert first.tracking_code in linked_dup.note and second.tracking_code in linked_keep.note
    assert SignalEvent.objects.filter(signal=second, kind="closed").exists()
    assert SignalEvent.objects.filter(signal=first, kind="received").exists()  # the old history stays
    closed_mails = Notification.objects.filter(kind="tracking_closed")
    assert list(closed_mails.values_list("email", flat=True)) == ["andere@example.nl"]
    assert AccessLogEntry.objects.count() == log_before + 2  # one per signal changed
    assert duplicate_candidates(first, among=signals_visible_to(steward)) == []


def test_merge_refusals(pair: tuple[Signal, Signal], areas: dict[str, Neighbourhood]) -> None:
    first, second = pair
    now = timezone.now()
    with pytest.raises(NotAllowed):
        signal_merge(keep=first, duplicate=second, by=user("waakvlammer2"), now=now)
    with pytest.raises(NotAllowed):
        signal_merge(keep=first, duplicate=second, by=user("signaleerder"), now=now)
    with pytest.raises(InvalidAction):
        signal_merge(keep=first, duplicate=first, by=user("waakvlammer"), now=now)
    elsewhere = report(number="9")
    with pytest.raises(InvalidAction):
        signal_merge(keep=first, duplicate=elsewhere, by=user("waakvlammer"), now=now)
    signal_merge(keep=first, duplicate=second, by=user("coordinator"), now=now)
    with pytest.raises(SignalAlreadyClosed):
        signal_merge(keep=first, duplicate=second, by=user("waakvlammer"), now=now)
    with pytest.raises(InvalidAction):  # nothing is merged into a signal that is itself a duplicate
        signal_merge(keep=second, duplicate=first, by=user("waakvlammer"), now=now)


def test_signal_page_offers_the_merge_to_the_owner_only(
    pair: tuple[Signal, Signal], login: Callable[[str], Client]
) -> None:
    first, second = pair
    page = login("waakvlammer").get(f"/signalen/{second.pk}/").content.decode()
    assert "Mogelijk dezelfde zorg" in page and f'value="{first.pk}"' in page
    other = login("ggz").get(f"/signalen/{second.pk}/")
    assert other.status_code == 404


def test_merge_from_the_signal_page(pair: tuple[Signal, Signal], login: Callable[[str], Client]) -> None:
    first, second = pair
    client = login("waakvlammer")
    response = client.post(f"/signalen/{second.pk}/samenvoegen/", {"other": first.pk, "keep": "other"})
    assert response.status_code == 302 and response["Location"] == f"/signalen/{first.pk}/"
    second.refresh_from_db()
    assert second.outcome == "duplicate" and second.merged_into_id == first.pk
    page = client.get(f"/signalen/{second.pk}/").content.decode()
    assert "samengevoegd met" in page and first.tracking_code in page
    # The reporters' own tracking pages: "closed" for the duplicate only; the kept signal carries on.
    public = Client()
    closed = public.get(f"/volgen/{second.tracking_code}/").content.decode()
    going = public.get(f"/volgen/{first.tracking_code}/").content.decode()
    assert 'aria-current="step"><strong>Afgesloten</strong>' in closed
    assert 'aria-current="step"><strong>Ontvangen</strong>' in going
