"""Generating the demo municipality. Deterministic for a seed; bulk inserts so 1M households stay fast."""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import transaction

from waakvlam.core.addresses import address_key
from waakvlam.core.models import Address, District, Municipality, Neighbourhood, Organisation, PostcodeArea, Team, User
from waakvlam.demo import town

BATCH = 5000
ADDRESSES_PER_POSTCODE = 40
# A rough box around which the fictional town is drawn (longitude, latitude).
ORIGIN = (5.05, 52.05)
CELL = (0.02, 0.012)


class DemoAlreadyLoaded(Exception):
    pass


@dataclass
class DemoResult:
    municipality: Municipality
    created_addresses: int = 0
    extras: dict[str, int] = field(default_factory=dict)


# Later apps (signals, plans, provisions) add their part of the demo here: by `order`, then in the order
# they were registered (INSTALLED_APPS). They share one random stream, so the order is part of the demo.
DemoExtension = Callable[[Municipality, random.Random, dict[str, int]], dict[str, int]]
EXTENSIONS: list[tuple[str, DemoExtension]] = []
_ORDER: dict[str, int] = {}


def register_demo_extension(name: str, extension: DemoExtension, *, order: int = 100) -> None:
    if all(existing != name for existing, _ in EXTENSIONS):
        EXTENSIONS.append((name, extension))
        _ORDER[name] = order
        EXTENSIONS.sort(key=lambda item: _ORDER[item[0]])


def _square(col: float, row: float, width: float, height: float) -> dict[str, object]:
    x0, y0 = ORIGIN[0] + col * CELL[0], ORIGIN[1] + row * CELL[1]
    ring = [[x0, y0], [x0 + width, y0], [x0 + width, y0 + height], [x0, y0 + height], [x0, y0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def demo_is_loaded() -> bool:
    return Municipality.objects.filter(code=town.MUNICIPALITY[0]).exists()


@transaction.atomic
def demo_load_town() -> Municipality:
    """Districts, neighbourhoods with outlines, organisations, teams and the demo users."""
    if demo_is_loaded():
        raise DemoAlreadyLoaded("The demo municipality GM9999 Demodorp is already loaded.")
    code, name = town.MUNICIPALITY
    municipality = Municipality.objects.create(code=code, name=name)
    digits = code[2:]
    for d_index, (suffix, d_name, hoods) in enumerate(town.DISTRICTS):
        district = District.objects.create(
            municipality=municipality,
            code=f"WK{digits}{suffix}",
            name=d_name,
            outline=_square(0, d_index * 1.0, CELL[0] * len(hoods), CELL[1]),
        )
        for n_index, (n_name, _pc) in enumerate(hoods):
            Neighbourhood.objects.create(
                municipality=municipality,
                district=district,
                code=f"BU{digits}{suffix}{n_index:02d}",
                name=n_name,
                outline=_square(n_index, d_index * 1.0, CELL[0], CELL[1]),
            )
    organisations = {
        slug: Organisation.objects.create(municipality=municipality, slug=slug, name=o_name, kind=kind)
        for slug, o_name, kind in town.ORGANISATIONS
    }
    teams: dict[str, Team] = {}
    for spec in town.TEAMS:
        team = Team.objects.create(
            municipality=municipality, organisation=organisations[spec.organisation], name=spec.name
        )
        hoods_qs = Neighbourhood.objects.filter(municipality=municipality)
        if spec.districts:
            hoods_qs = hoods_qs.filter(district__code__in=[f"WK{digits}{s}" for s in spec.districts])
        team.neighbourhoods.set(hoods_qs)
        teams[spec.name] = team
    password = make_password(town.DEMO_PASSWORD)
    for u in town.DEMO_USERS:
        user = User.objects.create(
            username=u.username,
            first_name=u.first_name,
            last_name=u.last_name,
            email=f"{u.username}@{u.organisation}.demodorp.example",
            organisation=organisations[u.organisation],
            role=u.role,
            password=password,
            two_factor_exempt=True,
        )
        user.teams.set([teams[t] for t in u.teams])
    return municipality


def _postcodes(prefix: str) -> Iterator[str]:
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            if first + second not in {"SA", "SD", "SS"}:
                yield f"{prefix}{first}{second}"


@dataclass(frozen=True)
class PostcodePlan:
    neighbourhood_code: str
    postcode: str
    street: str
    houses: int


def demo_address_plan(neighbourhood_codes: list[str], households: int, rng: random.Random) -> Iterator[PostcodePlan]:
    """Where the households live: postcode areas on named streets, deterministic for the random state."""
    digits = town.MUNICIPALITY[0][2:]
    postcode_digits = {f"BU{digits}{s}{i:02d}": pc for s, _, hs in town.DISTRICTS for i, (_, pc) in enumerate(hs)}
    # Uneven sizes, as in a real town: some neighbourhoods are twice as large as others.
    weights = [rng.uniform(0.6, 1.4) for _ in neighbourhood_codes]
    total = sum(weights)
    per_hood = [int(households * w / total) for w in weights]
    per_hood[0] += households - sum(per_hood)
    for code, count in zip(neighbourhood_codes, per_hood, strict=True):
        # A village street has ~40 houses; a town of a million needs longer streets to fit 673 postcodes.
        houses_per_postcode = max(ADDRESSES_PER_POSTCODE, -(-count // 600))
        postcodes = _postcodes(postcode_digits[code])
        remaining = count
        while remaining > 0:
            postcode = next(postcodes, None)
            if postcode is None:
                raise ValueError(f"{count} households do not fit in neighbourhood {code}; use fewer.")
            houses = min(houses_per_postcode, remaining)
            yield PostcodePlan(code, postcode, rng.choice(town.STREETS), houses)
            remaining -= houses


def demo_load_addresses(municipality: Municipality, households: int, rng: random.Random) -> int:
    """Create the planned addresses and the postcode areas that place them in their neighbourhood."""
    hoods = {n.code: n for n in Neighbourhood.objects.filter(municipality=municipality)}
    created = 0
    areas: list[PostcodeArea] = []
    buffer: list[Address] = []
    for plan in demo_address_plan(sorted(hoods), households, rng):
        hood = hoods[plan.neighbourhood_code]
        areas.append(
            PostcodeArea(
                municipality=municipality,
                neighbourhood=hood,
                postcode=plan.postcode,
                street=plan.street,
                city=town.CITY,
            )
        )
        for number in range(1, plan.houses + 1):
            letter = "A" if number % 17 == 0 else ""
            buffer.append(
                Address(
                    municipality=municipality,
                    neighbourhood=hood,
                    postcode=plan.postcode,
                    house_number=number,
                    house_letter=letter,
                    street=plan.street,
                    city=town.CITY,
                    key=address_key(plan.postcode, number, letter, ""),
                )
            )
        if len(buffer) >= BATCH:
            created += _flush(buffer)
    PostcodeArea.objects.bulk_create(areas, batch_size=BATCH)
    created += _flush(buffer)
    return created


def _flush(buffer: list[Address]) -> int:
    it = iter(buffer)
    n = 0
    while chunk := list(islice(it, BATCH)):
        Address.objects.bulk_create(chunk, batch_size=BATCH)
        n += len(chunk)
    buffer.clear()
    return n


def demo_load(*, households: int = 2000, signals: int | None = None, seed: int = 7513) -> DemoResult:
    rng = random.Random(seed)
    municipality = demo_load_town()
    result = DemoResult(municipality=municipality)
    with transaction.atomic():
        result.created_addresses = demo_load_addresses(municipality, households, rng)
    options = {"households": households, "signals": signals if signals is not None else -1, "seed": seed}
    for name, extension in EXTENSIONS:
        with transaction.atomic():
            for key, value in extension(municipality, rng, options).items():
                result.extras[f"{name}.{key}"] = value
    return result
