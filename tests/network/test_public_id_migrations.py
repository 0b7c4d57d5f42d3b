"""The public-id migrations of ADR 0009's second round (contact 0009 to 0011, network 0003 to 0005) give every existing
consent, early-warning plan, contact moment and supporter link a random, unique public id, on SQLite and on
PostgreSQL (one gen_random_uuid() UPDATE per table there). No stored notification links to these objects, so
none is rewritten: a notification that links elsewhere keeps its link."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.utils import timezone

from tests.contact.helpers import actor_of, consent_for, early_warning_for, plan_for, postcode_areas
from tests.factories import user
from tests.migration_helpers import columns, migrated_back, stored_notification
from tests.network.conftest import supporter
from waakvlam.contact.models import Consent, ContactMoment, EarlyWarningPlan
from waakvlam.contact.services import MomentInput, contact_record
from waakvlam.core.models import Municipality
from waakvlam.network.models import SupporterLink
from waakvlam.network.services import LinkInput, supporter_link_create
from waakvlam.notify.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("contact", "0008_notification_links_use_public_ids"), ("network", "0002_worries_from_the_network_source")]
MODELS: list[type[Model]] = [Consent, EarlyWarningPlan, ContactMoment, SupporterLink]


def test_existing_rows_get_unique_public_ids(town: Municipality) -> None:
    postcode_areas()
    now = timezone.now()
    plans = [plan_for("waakvlammer") for _ in range(3)]
    for plan in plans:
        early_warning_for(plan.resident)
        consent_for(plan.resident, "ggz-kompas")
        for _ in range(2):
            contact_record(
                plan=plan,
                data=MomentInput(timezone.localdate(), "visit", True, "fine", ""),
                by=user("waakvlammer"),
                actor=actor_of("waakvlammer"),
                now=now,
            )
    buddy = supporter("buddy")
    for plan in plans:
        supporter_link_create(
            resident=plan.resident,
            data=LinkInput(buddy, "buddy", "Mondeling"),
            by=user("waakvlammer"),
            actor=actor_of("waakvlammer"),
            now=now,
        )
    before = {model: dict(model.objects.values_list("pk", "public_id")) for model in MODELS}
    with migrated_back(BEFORE):
        for model in MODELS:
            assert "public_id" not in columns(model._meta.db_table)
        link = f"/waakvlamcontact/{plans[0].public_id}/"
        stored_notification(town, "t-plan", link, now=now)
    for model in MODELS:
        after = dict(model.objects.values_list("pk", "public_id"))
        assert set(after) == set(before[model]) and len(after) >= 3, model
        assert None not in after.values() and len(set(after.values())) == len(after), model
        assert all(after[pk] != before[model][pk] for pk in after), model  # drawn afresh by the backfill
    assert Notification.objects.get(dedupe_key="t-plan").link == link
