"""The demo town has attention items for every rule, visible to the steward of Binnenstad."""

from __future__ import annotations

import pytest
from django.test import Client

from waakvlam.attention.definitions import RULES
from waakvlam.attention.models import AttentionItem, ItemStatus
from waakvlam.core.models import User
from waakvlam.demo.services import demo_load

pytestmark = pytest.mark.django_db


def test_every_rule_has_an_item_in_demodorp(client: Client) -> None:
    result = demo_load(households=400, signals=300, seed=3)
    assert result.extras["attention.items"] >= len(RULES)
    open_items = AttentionItem.objects.filter(status=ItemStatus.OPEN)
    fired = {r["rule"] for item in open_items for r in item.reasons}
    assert fired >= {rule.name for rule in RULES}
    steward = User.objects.get(username="waakvlammer")
    mine = open_items.filter(owner_team__members=steward)
    assert {r["rule"] for item in mine for r in item.reasons} >= {rule.name for rule in RULES}
    client.force_login(steward)
    page = client.get("/aandacht/")
    assert page.status_code == 200 and "Herhaalde signalen van de politie" in page.content.decode()
    item = mine.first()
    assert item is not None and client.get(f"/aandacht/{item.public_id}/").status_code == 200
