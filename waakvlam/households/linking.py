"""Linking signals to households: one household per address, and who may see which household.

Every signal with an address belongs to the household at that address. Address.key already makes
`3511 ab 12-a` and `3511AB 12 A` one address, so linking is a get-or-create of the household by address,
done by intake's signal_create for one signal and by the bulk import for thousands at once.

A household is visible to whoever may see at least one of its signals, or what a higher app registers
(reach.py: an active contact plan or open warm handover there). The household page shows only what the
reader may see; to anyone else the household does not exist (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from waakvlam.core.models import Address, User
from waakvlam.households.models import Household
from waakvlam.households.reach import household_reach
from waakvlam.intake.selectors import signals_visible_to

__all__ = [
    "AddressPlace",
    "household_for_address",
    "household_subject",
    "households_for_addresses",
    "households_visible_to",
]

# (municipality_id, neighbourhood_id) of an address: what a new household takes over from it.
AddressPlace = tuple[int, int | None]


def household_for_address(*, address: Address, now: datetime) -> Household:
    """The household at `address`, created the first time anyone signals about it. Safe under concurrency:
    a household created meanwhile by another transaction is found instead (unique address)."""
    household, _created = Household.objects.get_or_create(
        address=address,
        defaults={
            "municipality_id": address.municipality_id,
            "neighbourhood_id": address.neighbourhood_id,
            "created_at": now,
        },
    )
    return household


def households_for_addresses(places: Mapping[int, AddressPlace], *, now: datetime) -> dict[int, int]:
    """address id → household id for many addresses at once, creating the missing households.

    Three statements whatever the number: the existing ones, one insert that skips households created
    concurrently (unique address), and the ones that insert skipped. On PostgreSQL the ids travel as
    arrays (`= ANY`, `unnest`), which costs a fraction of thousands of placeholders."""
    if not places:
        return {}
    found = _existing(list(places))
    missing = [address_id for address_id in places if address_id not in found]
    if not missing:
        return found
    if connection.vendor == "postgresql":
        # The ids travel as array literals (a join instead of psycopg adapting every value), NULL
        # neighbourhoods as NULL; sorted by address so two transactions creating households
        # for the same addresses wait for each other in the same order (never a deadlock).
        missing.sort()
        hoods = ",".join("NULL" if places[a][1] is None else str(places[a][1]) for a in missing)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO households_household (municipality_id, address_id, neighbourhood_id, created_at, public_id) "
                "SELECT m, a, n, %s, gen_random_uuid() FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS t(m, a, n) "
                "ON CONFLICT (address_id) DO NOTHING RETURNING address_id, id",
                [
                    now,
                    _ids([places[a][0] for a in missing]),
                    _ids(missing),
                    "{" + hoods + "}",
                ],
            )
            found.update(cursor.fetchall())
        rest = [address_id for address_id in missing if address_id not in found]
        if rest:  # inserted meanwhile by another transaction
            found.update(_existing(rest))
        return found
    Household.objects.bulk_create(
        [
            Household(address_id=a, municipality_id=places[a][0], neighbourhood_id=places[a][1], created_at=now)
            for a in missing
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    found.update(_existing(missing))
    return found


def _ids(values: list[int]) -> str:
    """Integer ids as one PostgreSQL array literal."""
    return "{" + ",".join(map(str, values)) + "}"


def _existing(address_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT address_id, id FROM households_household WHERE address_id = ANY(%s::bigint[])",
                [_ids(address_ids)],
            )
            found.update(cursor.fetchall())
        return found
    for start in range(0, len(address_ids), 2000):
        chunk = address_ids[start : start + 2000]
        found.update(Household.objects.filter(address_id__in=chunk).values_list("address_id", "pk"))
    return found


def households_visible_to(user: User, now: datetime | None = None) -> QuerySet[Household]:
    """The households of which `user` may see at least one signal, or reaches through a registered part
    (reach.py: an active contact plan, an open warm handover); nothing for anyone else."""

    # EXISTS per household rather than IN (all visible signals): opening one household then costs one
    # look-up by household, however many signals a coordinator may see.
    seen = Q(Exists(signals_visible_to(user).filter(household=OuterRef("pk"))))
    for ids in household_reach(user, now):
        seen |= Q(pk__in=ids)
    return Household.objects.filter(seen)


def household_subject(household: Household) -> str:
    """What the access log records as "about whom" for a household: its address, the subject signals at
    that address are logged under too, so a resident's access request finds both."""
    return f"address:{household.address_id}"
