"""Households' creation step: a new signal with an address belongs to the household at that address.

Registered in HouseholdsConfig.ready() on intake's creation pipeline (intake/creation.py), so intake
creates signals without importing households. A batch links all its addresses in a few statements
(`households_for_addresses`); a draft that arrives with its household (read along with its address)
keeps it.
"""

from __future__ import annotations

from datetime import datetime

from waakvlam.households.linking import AddressPlace, household_for_address, households_for_addresses
from waakvlam.intake.creation import CreationStep, Drafts
from waakvlam.intake.models import Signal

__all__ = ["HOUSEHOLD_STEP"]


def _link_one(signal: Signal, now: datetime) -> None:
    if signal.address is not None and signal.household_id is None:
        signal.household = household_for_address(address=signal.address, now=now)


def _link_many(drafts: Drafts, now: datetime) -> None:
    missing: dict[int, AddressPlace] = {
        draft.address_id: (draft.municipality_id, draft.neighbourhood_id)
        for draft in drafts
        if draft.address_id is not None and draft.household_id is None
    }
    if not missing:
        return
    found = households_for_addresses(missing, now=now)
    for draft in drafts:
        if draft.address_id is not None and draft.household_id is None:
            draft.household_id = found[draft.address_id]


HOUSEHOLD_STEP = CreationStep(name="households.link", order=10, one=_link_one, many=_link_many)
