"""The public-id migrations (ADR 0009) give every existing resident, contact plan and warm handover a random,
unique public id, on SQLite and on PostgreSQL (one gen_random_uuid() UPDATE there), and rewrite stored
notification links from the integer URL to the public one."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.contact.helpers import plan_for, postcode_areas
from tests.factories import user
from tests.migration_helpers import columns, migrated_back, stored_notification
from waakvlam.contact.models import ContactPlan
from waakvlam.core.models import Municipality
from waakvlam.handover.models import Handover
from waakvlam.handover.services import HandoverInput, handover_announce
from waakvlam.households.models import Resident
from waakvlam.households.services import AddressInput
from waakvlam.notify.models import Notification
from waakvlam.privacy.services import Actor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("households", "0005_household_public_id_required"),
    ("contact", "0004_consent_valid_until_required"),
    ("handover", "0003_self_granted_consents_end"),
]


def test_existing_rows_get_unique_public_ids_and_old_links_follow(town: Municipality) -> None:
    postcode_areas()
    plans = [plan_for("waakvlammer") for _ in range(3)]
    handover = handover_announce(
        data=HandoverInput(discharge_on=timezone.localdate(), address=AddressInput("9901AB", 12), resident_name="P"),
        by=user("ggz"),
        actor=Actor(username="ggz", role="partner", organisation="ggz-kompas"),
        now=timezone.now(),
    )
    before = {
        "plan": {p.pk: p.public_id for p in ContactPlan.objects.all()},
        "handover": {h.pk: h.public_id for h in Handover.objects.all()},
    }
    with migrated_back(BEFORE):
        assert "public_id" not in columns("households_resident")
        assert "public_id" not in columns("contact_contactplan")
        assert "public_id" not in columns("handover_handover")
        # Notifications written while the URLs still had integer ids.
        for key, link in (
            ("t-handover", f"/overdrachten/{handover.pk}/"),
            ("t-plan", f"/waakvlamcontact/{plans[0].pk}/#contact-vastleggen"),
            ("t-gone", "/waakvlamcontact/999999/"),
        ):
            stored_notification(town, key, link)
    for model in (Resident, ContactPlan, Handover):
        ids = list(model.objects.values_list("public_id", flat=True))
        assert ids and None not in ids and len(set(ids)) == len(ids)
    new = {p.pk: p.public_id for p in ContactPlan.objects.all()}
    assert set(new) == set(before["plan"]) and all(new[k] != before["plan"][k] for k in new)  # drawn afresh
    fresh = Handover.objects.get(pk=handover.pk).public_id
    assert Notification.objects.get(dedupe_key="t-handover").link == f"/overdrachten/{fresh}/"
    assert Notification.objects.get(dedupe_key="t-plan").link == (
        f"/waakvlamcontact/{ContactPlan.objects.get(pk=plans[0].pk).public_id}/#contact-vastleggen"
    )
    assert Notification.objects.get(dedupe_key="t-gone").link == "/waakvlamcontact/999999/"
