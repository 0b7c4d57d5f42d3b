"""Retention of closed contact plans: notes erased after the period, the outline kept, every plan logged."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.contact.helpers import actor_of, plan_for
from tests.factories import user
from waakvlam.contact.models import ContactMoment, ContactPlan, ContactPlanEvent
from waakvlam.contact.retention import plans_retention_sweep
from waakvlam.contact.services import MomentInput, contact_record, plan_close
from waakvlam.core.models import Municipality
from waakvlam.core.worker import registered_sweeps
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify

pytestmark = pytest.mark.django_db


def _plan(started: datetime, *, closed: datetime | None) -> ContactPlan:
    plan = plan_for("waakvlammer", now=started)
    ContactPlan.objects.filter(pk=plan.pk).update(basis_note="Op eigen verzoek, na gesprek met zus")
    contact_record(
        plan=plan,
        data=MomentInput(started.date(), "visit", True, "fine", "Koffie gedronken, vertelde over zijn schulden."),
        by=user("waakvlammer"),
        actor=actor_of("waakvlammer"),
        now=started,
    )
    if closed is not None:
        plan_close(
            plan=plan,
            by=user("waakvlammer"),
            reason="Verhuisd naar zijn dochter in Utrecht",
            actor=actor_of("waakvlammer"),
            now=closed,
        )
    return ContactPlan.objects.get(pk=plan.pk)


NOW = datetime(2026, 11, 2, 10, 0).astimezone()


@pytest.fixture
def plans(town: Municipality) -> dict[str, ContactPlan]:
    return {
        "old": _plan(NOW - timedelta(days=1000), closed=NOW - timedelta(days=800)),
        "recent": _plan(NOW - timedelta(days=400), closed=NOW - timedelta(days=300)),
        "active": _plan(NOW - timedelta(days=1000), closed=None),
    }


def test_notes_of_plans_closed_long_ago_are_erased_and_the_outline_kept(plans: dict[str, ContactPlan]) -> None:
    assert plans_retention_sweep(NOW) == {"plans_anonymised": 1}
    old = ContactPlan.objects.get(pk=plans["old"].pk)
    assert (old.basis_note, old.close_reason) == ("", "")
    assert (old.status, old.steward, old.basis, old.rhythm_days) == ("closed", user("waakvlammer"), "consent", 14)
    assert old.resident_id == plans["old"].resident_id and old.closed_at == plans["old"].closed_at
    moments = ContactMoment.objects.filter(plan=old)
    assert moments.count() == 1 and set(moments.values_list("note", "wellbeing", "made")) == {("", "", True)}
    notes = ContactPlanEvent.objects.filter(plan=old).exclude(kind="anonymised").values_list("note", flat=True)
    assert all(note == "" for note in notes)
    assert ContactPlanEvent.objects.filter(plan=old, kind="anonymised").count() == 1


def test_recent_and_active_plans_keep_their_notes(plans: dict[str, ContactPlan]) -> None:
    plans_retention_sweep(NOW)
    for name in ("recent", "active"):
        assert ContactPlan.objects.get(pk=plans[name].pk).basis_note == "Op eigen verzoek, na gesprek met zus"
        assert ContactMoment.objects.filter(plan=plans[name]).exclude(note="").count() == 1


def test_each_plan_is_logged_once_the_chain_holds_and_a_second_pass_does_nothing(
    plans: dict[str, ContactPlan],
) -> None:
    before = AccessLogEntry.objects.count()
    plans_retention_sweep(NOW)
    entry = AccessLogEntry.objects.get(context="retention:plan_anonymise")
    assert (entry.object_type, entry.object_id, entry.username) == (
        "contact.contactplan",
        str(plans["old"].pk),
        "system:retention",
    )
    assert AccessLogEntry.objects.count() == before + 1
    assert plans_retention_sweep(NOW + timedelta(days=1)) == {"plans_anonymised": 0}
    assert AccessLogEntry.objects.count() == before + 1
    assert not list(access_log_verify())


def test_the_period_is_configurable_and_checked(plans: dict[str, ContactPlan], settings: object) -> None:
    settings.WAAKVLAM_PLAN_RETENTION_MONTHS = 6  # type: ignore[attr-defined]
    assert plans_retention_sweep(NOW) == {"plans_anonymised": 2}
    settings.WAAKVLAM_PLAN_RETENTION_MONTHS = "zes"  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="WAAKVLAM_PLAN_RETENTION_MONTHS"):
        plans_retention_sweep(NOW)


def test_the_worker_runs_it_at_most_once_an_hour(plans: dict[str, ContactPlan]) -> None:
    sweep = next(s for s in registered_sweeps() if s.name == "contact.retention")
    assert sweep.run(NOW) == {"plans_anonymised": 1}
    assert sweep.run(NOW + timedelta(minutes=30)) == {"plans_anonymised": 0}
