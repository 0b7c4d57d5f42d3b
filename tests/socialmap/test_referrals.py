"""Referrals: consent, owners, the allowed transitions with history, places taken and given back, the
answer due date that never moves, and the selector the follow-up mechanism will chase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of
from tests.factories import user
from tests.socialmap.conftest import Map
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.socialmap import models as m
from waakvlam.socialmap.errors import Conflict, InvalidInput, NotAllowed
from waakvlam.socialmap.referral_models import ALLOWED_TRANSITIONS, Referral, ReferralStatus, Shared
from waakvlam.socialmap.referral_selectors import connection_counts, referrals_awaiting_answer
from waakvlam.socialmap.referral_services import ReferralInput, referral_send, referral_transition

pytestmark = pytest.mark.django_db

FIRST_NAME = ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", consent_given=True)


def send(smap: Map, service: m.Service | None = None, data: ReferralInput = FIRST_NAME) -> Referral:
    return referral_send(
        sender=user("waakvlammer"),
        resident=smap.resident,
        service=service or smap.activity,
        data=data,
        now=timezone.now(),
        actor=actor_of("waakvlammer"),
    )


def move(referral: Referral, to: str, by: str = "buurtkamer", reason: str = "") -> Referral:
    return referral_transition(
        referral=referral, to=to, by=user(by), allowed=True, now=timezone.now(), actor=actor_of(by), reason=reason
    )


def test_owner_is_the_keeper_then_the_tenant_then_the_sender(smap: Map) -> None:
    to_keeper = send(smap)
    assert to_keeper.owner_keeper == smap.keeper and to_keeper.owner_organisation is None
    to_ggz = send(smap, smap.ggz_service)
    assert to_ggz.owner_organisation.slug == "ggz-kompas"
    smap.ggz_service.organization.tenant = None
    smap.ggz_service.organization.save()
    fallback = send(smap, m.Service.objects.get(pk=smap.ggz_service.pk))
    assert fallback.owner_organisation.slug == "buurtwerk"


def test_consent_is_required_and_first_name_means_first_name(smap: Map) -> None:
    with pytest.raises(InvalidInput):
        send(smap, data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", consent_given=False))
    with pytest.raises(InvalidInput):
        send(smap, data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan Jansen", consent_given=True))
    only_name = send(
        smap, data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", shared_phone="06", consent_given=True)
    )
    assert only_name.shared_phone is None


def test_answer_due_in_working_days_and_never_moved(smap: Map, settings: object) -> None:
    settings.WAAKVLAM_REFERRAL_ANSWER_DAYS = 2  # type: ignore[attr-defined]
    referral = send(smap)
    due = referral.answer_due_at
    assert due > referral.created_at + timedelta(hours=10)
    assert referral.escalation_level == 0 and referral.next_step_at is None
    accepted = move(referral, ReferralStatus.ACCEPTED)
    assert accepted.answer_due_at == due and accepted.answered_at is not None


def test_transitions_follow_the_table_with_history(smap: Map) -> None:
    referral = send(smap)
    with pytest.raises(Conflict):
        move(referral, ReferralStatus.CONNECTED)
    move(referral, ReferralStatus.ACCEPTED)
    move(referral, ReferralStatus.NO_SHOW)
    move(referral, ReferralStatus.CONNECTED)
    move(referral, ReferralStatus.ENDED)
    steps = [(e.from_status, e.to_status, e.actor_label) for e in referral.events.all()]
    assert steps[0][:2] == ("", "sent")
    assert [s[1] for s in steps] == ["sent", "accepted", "no_show", "connected", "ended"]
    assert all(s[2] for s in steps)
    assert ALLOWED_TRANSITIONS[ReferralStatus.ENDED] == frozenset()


def test_declining_needs_a_reason(smap: Map) -> None:
    referral = send(smap)
    with pytest.raises(InvalidInput):
        move(referral, ReferralStatus.DECLINED)
    declined = move(referral, ReferralStatus.DECLINED, reason="Vol deze maand")
    assert declined.decline_reason == "Vol deze maand"


def test_places_are_taken_and_given_back(smap: Map) -> None:
    first, second, third = send(smap), send(smap), send(smap)
    move(first, ReferralStatus.ACCEPTED)
    move(second, ReferralStatus.ACCEPTED)
    smap.activity.refresh_from_db()
    assert smap.activity.places_taken == 2 and smap.activity.places_free == 0
    with pytest.raises(Conflict):
        move(third, ReferralStatus.ACCEPTED)
    move(first, ReferralStatus.CONNECTED)
    move(second, ReferralStatus.NO_SHOW)
    move(second, ReferralStatus.ENDED)
    smap.activity.refresh_from_db()
    assert smap.activity.places_taken == 1
    move(third, ReferralStatus.ACCEPTED)
    smap.activity.refresh_from_db()
    assert smap.activity.places_taken == 2


def test_not_allowed_is_refused(smap: Map) -> None:
    referral = send(smap)
    with pytest.raises(NotAllowed):
        referral_transition(
            referral=referral, to="accepted", by=user("ggz"), allowed=False, now=timezone.now(), actor=actor_of("ggz")
        )
    with pytest.raises(NotAllowed):
        referral_send(
            sender=user("ggz"),
            resident=smap.resident,
            service=smap.activity,
            data=FIRST_NAME,
            now=timezone.now(),
            actor=actor_of("ggz"),
        )


def test_awaiting_answer_selector(smap: Map) -> None:
    waiting, answered = send(smap), send(smap)
    move(answered, ReferralStatus.ACCEPTED)
    assert list(referrals_awaiting_answer()) == [waiting]
    assert list(referrals_awaiting_answer(timezone.now())) == []
    assert list(referrals_awaiting_answer(waiting.answer_due_at)) == [waiting]


def test_every_write_is_logged_naming_the_resident(smap: Map) -> None:
    referral = send(smap)
    move(referral, ReferralStatus.ACCEPTED)
    entries = AccessLogEntry.objects.filter(object_type="socialmap.referral", object_id=str(referral.pk))
    assert {e.action for e in entries} == {"create", "update"}
    assert {e.subject for e in entries} == {f"resident:{smap.resident.pk}"}


def test_connection_counts_collective_vs_individual(smap: Map) -> None:
    for service in (smap.activity, smap.activity, smap.ggz_service):
        referral = send(smap, service)
        by = "buurtkamer" if service == smap.activity else "ggz"
        move(referral, ReferralStatus.ACCEPTED, by=by)
        move(referral, ReferralStatus.CONNECTED, by=by)
    send(smap)  # sent only: no connection
    by_steward = connection_counts(smap.activity.municipality_id, by="steward")
    assert by_steward == [{"key": user("waakvlammer").pk, "label": "waakvlammer", "collective": 2, "individual": 1}]
    by_hood = connection_counts(smap.activity.municipality_id, by="neighbourhood")
    assert by_hood[0]["label"] == "BU99990100" and by_hood[0]["collective"] == 2
    by_team = connection_counts(smap.activity.municipality_id, by="team")
    assert by_team[0]["label"] == "Waakvlam Centrum-Oost"
