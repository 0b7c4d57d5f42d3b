"""The API's shapes for households. Input reuses intake's address (same limits, same tolerance for spelling)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from waakvlam.core.models import Address
from waakvlam.core.pagination import PageQuery
from waakvlam.households.timeline import MAX_TIMELINE
from waakvlam.intake.schemas import AddressIn, SignalListItemOut, Text


class HouseholdIn(AddressIn):
    """The address; `3511 ab` and `3511AB`, `12a` and `12` + `A` are the same household."""


class AddressOut(Schema):
    postcode: str = Field(..., description="Normalised, e.g. `3511AB`.")
    house_number: int
    house_letter: str
    house_number_addition: str
    street: str = Field(..., description="From the postcode table; empty when the postcode is not in it.")
    city: str

    @staticmethod
    def from_address(address: Address) -> AddressOut:
        return AddressOut(
            postcode=address.postcode,
            house_number=address.house_number,
            house_letter=address.house_letter,
            house_number_addition=address.house_number_addition,
            street=address.street,
            city=address.city,
        )


class HouseholdRefOut(Schema):
    id: UUID = Field(..., description="The household's public id (random; integer ids are not used).")
    address: AddressOut


class HouseholdRegisteredOut(Schema):
    """The answer about a household the caller may not see: the normalised address and nothing else, so
    it is the same whether the household was just created or already known (no id: its value would tell
    which, and the caller can do nothing with it)."""

    address: AddressOut


class HouseholdListItemOut(HouseholdRefOut):
    neighbourhood: str | None = Field(..., description="CBS neighbourhood code (BU…), if known.")
    created_at: datetime


class HouseholdPageOut(Schema):
    count: int = Field(..., description="How many households match, counting only those visible to you.")
    limit: int
    offset: int
    items: list[HouseholdListItemOut]


class HouseholdOut(HouseholdListItemOut):
    timeline: list[SignalListItemOut] = Field(..., description="The signals you may see here, newest first.")
    timeline_truncated: bool = Field(..., description=f"True when there are more than the {MAX_TIMELINE} shown.")


class HouseholdListQuery(PageQuery):
    neighbourhood: Text | None = Field(None, max_length=10, description="CBS neighbourhood code, e.g. BU99990101")
    postcode: Text | None = Field(None, max_length=10, description="e.g. `3511AB`; spaces and case tolerated.")
