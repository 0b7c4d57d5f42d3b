"""Placing an address, getting its household, and writing residents down — each write logged once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from waakvlam.core.addresses import normalise_address
from waakvlam.core.models import Address, Municipality, PostcodeArea, User
from waakvlam.households.linking import household_for_address, household_subject
from waakvlam.households.models import Household, Resident
from waakvlam.privacy.models import AccessAction
from waakvlam.privacy.services import Actor, access_log_deferred, access_log_record

MAX_NAME = 200
MAX_DESCRIPTION = 200


class ResidentInvalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class AddressInput:
    postcode: str
    house_number: str | int
    house_letter: str = ""
    house_number_addition: str = ""


def resident_subject(resident_id: int) -> str:
    """What the access log records as "about whom" for everything kept about a resident."""
    return f"resident:{resident_id}"


def _area_for(postcode: str, number: int) -> PostcodeArea | None:
    return (
        PostcodeArea.objects.filter(postcode=postcode, number_from__lte=number, number_to__gte=number)
        .select_related("neighbourhood", "municipality")
        .order_by(F("number_to") - F("number_from"), "pk")
        .first()
    )


def address_place(data: AddressInput, *, municipality: Municipality) -> Address:
    """Normalise (raises core.addresses.AddressError naming the field) and get-or-create the address; its
    neighbourhood comes from the postcode table when the postcode is known."""
    normal = normalise_address(data.postcode, data.house_number, data.house_letter, data.house_number_addition)
    area = _area_for(normal.postcode, normal.house_number)
    row, _created = Address.objects.get_or_create(
        key=normal.key,
        defaults={
            "municipality": area.municipality if area else municipality,
            "neighbourhood": area.neighbourhood if area else None,
            "postcode": normal.postcode,
            "house_number": normal.house_number,
            "house_letter": normal.house_letter,
            "house_number_addition": normal.house_number_addition,
            "street": area.street if area else "",
            "city": area.city if area else "",
        },
    )
    if area is not None and row.neighbourhood_id is None:
        row.neighbourhood = area.neighbourhood
        row.save(update_fields=["neighbourhood"])
    return row


def household_get_or_create(*, address: Address, now: datetime) -> Household:
    """The household at `address` (households/linking.py, shared with signal intake)."""
    return household_for_address(address=address, now=now)


@transaction.atomic
def household_register(
    *, data: AddressInput, municipality: Municipality, actor: Actor, now: datetime, context: str
) -> tuple[Household, bool]:
    """The household at the address someone gives, created when there is none yet; returns it and whether
    this call created it. One access-log entry either way: a look-up by address is a read of the household
    too, and one the privacy officer wants to see when someone tries address after address."""
    address = address_place(data, municipality=municipality)
    # Checked before rather than returned by get_or_create (linking's, shared with intake): a household
    # created meanwhile by another transaction then counts as created here, which costs nothing but a log
    # entry saying create where view would have been exact.
    existed = Household.objects.filter(address=address).exists()
    household = household_get_or_create(address=address, now=now)
    access_log_record(
        actor=actor,
        action=AccessAction.VIEW if existed else AccessAction.CREATE,
        object_type="households.household",
        object_id=household.pk,
        subject=household_subject(household),
        municipality_code=municipality.code,
        context=context,
        reason="opgezocht op adres" if existed else "",
        now=now,
    )
    return household, not existed


@transaction.atomic
def household_reads_record(*, households: list[Household], actor: Actor, context: str, now: datetime) -> None:
    """One entry per household shown in a list, so a resident's access request finds list views as well;
    written as one batch at the end of the transaction."""
    with access_log_deferred():
        for household in households:
            access_log_record(
                actor=actor,
                action=AccessAction.VIEW,
                object_type="households.household",
                object_id=household.pk,
                subject=household_subject(household),
                context=context,
                reason="lijst",
                now=now,
            )


@transaction.atomic
def resident_create(
    *,
    municipality: Municipality,
    name: str,
    description: str,
    household: Household | None,
    created_by: User | None,
    actor: Actor,
    now: datetime,
    context: str,
) -> Resident:
    """A resident known by name, or only by a description ("oudere man, 2e verdieping")."""
    name, description = (name or "").strip(), (description or "").strip()
    if not name and not description:
        raise ResidentInvalid("name", "Geef een naam, of beschrijf waaraan je de bewoner herkent.")
    if len(name) > MAX_NAME:
        raise ResidentInvalid("name", f"Een naam is hoogstens {MAX_NAME} tekens.")
    if len(description) > MAX_DESCRIPTION:
        raise ResidentInvalid("description", f"Beschrijf het in hoogstens {MAX_DESCRIPTION} tekens.")
    resident = Resident.objects.create(
        municipality=municipality,
        household=household,
        name=name or None,
        description=description,
        created_at=now,
        created_by=created_by,
    )
    access_log_record(
        actor=actor,
        action=AccessAction.CREATE,
        object_type="households.resident",
        object_id=resident.pk,
        subject=resident_subject(resident.pk),
        municipality_code=municipality.code,
        context=context,
        now=now,
    )
    return resident


@transaction.atomic
def resident_move(*, resident: Resident, household: Household, actor: Actor, now: datetime, context: str) -> Resident:
    """The resident now lives in `household` (a discharge to a new address)."""
    if resident.household_id != household.pk:
        Resident.objects.filter(pk=resident.pk).update(household=household)
        resident.household = household
        access_log_record(
            actor=actor,
            action=AccessAction.UPDATE,
            object_type="households.resident",
            object_id=resident.pk,
            subject=resident_subject(resident.pk),
            context=context,
            reason="nieuw adres",
            now=now,
        )
    return resident
