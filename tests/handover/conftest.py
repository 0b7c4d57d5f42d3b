from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.utils import timezone

from tests.contact.helpers import actor_of, postcode_areas
from tests.factories import user
from waakvlam.core.models import Municipality
from waakvlam.handover.models import Handover
from waakvlam.handover.services import HandoverInput, ItemInput, handover_announce
from waakvlam.households.services import AddressInput


@pytest.fixture
def areas(town: Municipality) -> None:
    postcode_areas()


@pytest.fixture
def announce(areas: None) -> Callable[..., Handover]:
    """A discharge announced by GGZ Kompas ("ggz") to 9901AB (Binnenstad: team Centrum-Oost)."""

    def _announce(
        *,
        discharge_on: date | None = None,
        postcode: str = "9901AB",
        number: int = 12,
        name: str = "Piet Bos",
        items: dict[str, ItemInput] | None = None,
        by: str = "ggz",
    ) -> Handover:
        return handover_announce(
            data=HandoverInput(
                discharge_on=discharge_on or timezone.localdate(),
                address=AddressInput(postcode, number),
                resident_name=name,
                items=items or {},
            ),
            by=user(by),
            actor=actor_of(by),
            now=timezone.now(),
        )

    return _announce
