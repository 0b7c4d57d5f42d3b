"""A referral left unanswered escalates at its due time, through the worker as it runs in production
(`waakvlam worker --once --now`), and it always has an owner; the due time never moves."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.socialmap.conftest import Map
from tests.socialmap.test_referrals import send


def _at(moment):  # type: ignore[no-untyped-def]
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)  # the worker closes connections between sweeps
def test_an_unanswered_referral_escalates_at_its_due_time_with_the_workers_now(smap: Map) -> None:
    referral = send(smap)
    due = referral.answer_due_at
    assert referral.owner_keeper_id == smap.keeper.pk
    out = StringIO()
    call_command("worker", "--once", "--now", _at(due - timedelta(minutes=2)), stdout=out)
    referral.refresh_from_db()
    assert referral.escalation_level == 0 and "referral_answer.escalated=0" in out.getvalue()
    out = StringIO()
    call_command("worker", "--once", "--now", _at(due + timedelta(minutes=2)), stdout=out)
    referral.refresh_from_db()
    assert referral.escalation_level == 1 and "referral_answer.escalated=1" in out.getvalue()
    assert referral.answer_due_at == due, "late stays late: the due time is never moved"
    assert referral.owner_keeper_id == smap.keeper.pk and referral.next_step_at is not None
