"""The public-id migrations of referrals (socialmap 0005-0008), case conferences and tasks (cases 0003-0006) and
attention items (attention 0006-0009) give every existing row a random, unique public id, on SQLite and on
PostgreSQL (one gen_random_uuid() UPDATE there), rewrite stored notification links — follow-up escalations
included — from the integer URL to the public one, and rename the "Casusoverleg <id> belegd" notes by date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.cases.conftest import CaseWorld, convene, give_task
from tests.contact.helpers import BINNENSTAD, actor_of
from tests.factories import team, user
from tests.migration_helpers import columns, migrated_back, stored_notification
from tests.socialmap import factories
from waakvlam.attention.models import AttentionItem
from waakvlam.cases.models import CaseConference, Task
from waakvlam.core.models import Municipality, Neighbourhood
from waakvlam.notify.models import Notification
from waakvlam.socialmap.referral_models import Referral, Shared
from waakvlam.socialmap.referral_services import ReferralInput, referral_send

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("socialmap", "0004_resident_need"),
    ("cases", "0002_task_events_and_owner"),
    ("attention", "0005_item_indexes_for_bulk_writes"),
]


def test_existing_rows_get_unique_public_ids_and_old_links_and_notes_follow(
    town: Municipality, case_world: CaseWorld
) -> None:
    second = convene(case_world.household)
    give_task(second, org=second.organisation.slug, owner=None)  # the convener's own organisation takes part
    activity = factories.service(town, neighbourhood=Neighbourhood.objects.get(code=BINNENSTAD))
    referral = referral_send(
        sender=user("waakvlammer"),
        resident=case_world.resident,
        service=activity,
        data=ReferralInput(shared=Shared.FIRST_NAME, shared_name="Jan", consent_given=True),
        now=timezone.now(),
        actor=actor_of("waakvlammer"),
    )
    now = timezone.now()
    items = [
        AttentionItem.objects.create(
            municipality=town,
            household=case_world.household,
            owner_team=team("Waakvlam Centrum-Oost"),
            status=status,
            take_up=take_up,
            raised_at=now,
            updated_at=now,
            checked_on=timezone.localdate(),
            decide_by=now + timedelta(days=2),
        )
        for status, take_up in (("open", ""), ("taken_up", "case_conference"), ("taken_up", "case_conference"))
    ]
    conference, task = case_world.conference, case_world.task
    before = {
        "conference": dict(CaseConference.objects.values_list("pk", "public_id")),
        "task": dict(Task.objects.values_list("pk", "public_id")),
    }
    with migrated_back(BEFORE):
        for table in ("socialmap_referral", "cases_caseconference", "cases_task", "attention_attentionitem"):
            assert "public_id" not in columns(table), table
        # Notifications and notes written while the URLs still had integer ids.
        for key, link in (
            ("t-referral", f"/verwijzingen/{referral.pk}/"),
            ("t-case", f"/casusoverleg/{conference.pk}/"),
            ("t-task", f"/taken/{task.pk}/"),
            ("t-item", f"/aandacht/{items[0].pk}/"),
            ("t-gone", "/taken/999999/"),
            ("t-other", "/verwijzingen/collectief-of-individueel/"),
        ):
            stored_notification(town, key, link)
        AttentionItem.objects.filter(pk=items[1].pk).update(decision_note=f"Casusoverleg {conference.pk} belegd")
        AttentionItem.objects.filter(pk=items[2].pk).update(decision_note="Casusoverleg 999999 belegd")
    for model in (Referral, CaseConference, Task, AttentionItem):
        ids = list(model.objects.values_list("public_id", flat=True))
        assert ids and None not in ids and len(set(ids)) == len(ids), model
    fresh = dict(CaseConference.objects.values_list("pk", "public_id"))
    assert set(fresh) == set(before["conference"]) and all(fresh[k] != before["conference"][k] for k in fresh)
    links = dict(Notification.objects.filter(dedupe_key__startswith="t-").values_list("dedupe_key", "link"))
    assert links == {
        "t-referral": f"/verwijzingen/{Referral.objects.get(pk=referral.pk).public_id}/",
        "t-case": f"/casusoverleg/{fresh[conference.pk]}/",
        "t-task": f"/taken/{Task.objects.get(pk=task.pk).public_id}/",
        "t-item": f"/aandacht/{AttentionItem.objects.get(pk=items[0].pk).public_id}/",
        "t-gone": "/taken/999999/",
        "t-other": "/verwijzingen/collectief-of-individueel/",
    }
    notes = dict(AttentionItem.objects.values_list("pk", "decision_note"))
    assert notes[items[1].pk] == f"Casusoverleg belegd voor {conference.meets_on:%d-%m-%Y}"
    assert notes[items[2].pk] == "Casusoverleg belegd"
