"""The fixed shape of Demodorp: districts, neighbourhoods, organisations, teams and demo users.

INTERFACE.md promises these names, so guides, tests and scripts can rely on them; change only by adding.
"""

from __future__ import annotations

from dataclasses import dataclass

from waakvlam.core.roles import OrganisationKind, Role

MUNICIPALITY = ("GM9999", "Demodorp")
DEMO_PASSWORD = "demo-waakvlam"  # noqa: S105 - published demo password (INTERFACE.md), demo users only
CITY = "Demodorp"

# district code suffix, name, neighbourhoods (name, postcode digits)
DISTRICTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "01",
        "Centrum",
        [("Binnenstad", "9901"), ("Stationskwartier", "9902"), ("Havenkwartier", "9903"), ("Marktveld", "9904")],
    ),
    ("02", "Oost", [("Molenwijk", "9911"), ("De Akkers", "9912"), ("Parkzicht", "9913"), ("Rivierbuurt", "9914")]),
    ("03", "West", [("Zonnehoek", "9921"), ("Bloemenbuurt", "9922"), ("Het Veld", "9923"), ("Kanaalzone", "9924")]),
]

STREETS = [
    "Dorpsstraat",
    "Kerkweg",
    "Molenlaan",
    "Schoolstraat",
    "Lindelaan",
    "Beukenhof",
    "Havenkade",
    "Stationsweg",
    "Tulpstraat",
    "Rozenlaan",
    "Akkerweg",
    "Parklaan",
    "Rivierdijk",
    "Zonnebloemstraat",
    "Kanaalweg",
    "Marktplein",
    "Wilgenhof",
    "Eikenlaan",
    "Populierenstraat",
    "Esdoornweg",
]

ORGANISATIONS: list[tuple[str, str, OrganisationKind]] = [
    ("gemeente", "Gemeente Demodorp", OrganisationKind.MUNICIPALITY),
    ("woonstede", "Woonstede", OrganisationKind.HOUSING_ASSOCIATION),
    ("buurtwerk", "Buurtwerk Demodorp", OrganisationKind.SOCIAL_WORK),
    ("wijkteam", "Sociaal Wijkteam Demodorp", OrganisationKind.NEIGHBOURHOOD_TEAM),
    ("ggz-kompas", "GGZ Kompas", OrganisationKind.MENTAL_HEALTH_CARE),
    ("politie", "Politie basisteam Demodorp", OrganisationKind.POLICE),
    ("opvang-dak", "Opvang Dak", OrganisationKind.SHELTER),
    ("schuldhulp", "Schuldhulp Demodorp", OrganisationKind.DEBT_HELP),
    ("energie-noord", "Energie Noord", OrganisationKind.UTILITY),
    ("buurtkamer", "Buurtkamer De Molen", OrganisationKind.RESIDENT_INITIATIVE),
]


@dataclass(frozen=True)
class TeamSpec:
    organisation: str
    name: str
    districts: tuple[str, ...]  # district code suffixes served; () = the whole municipality


TEAMS = [
    TeamSpec("buurtwerk", "Waakvlam Centrum-Oost", ("01", "02")),
    TeamSpec("buurtwerk", "Waakvlam West", ("03",)),
    TeamSpec("wijkteam", "Wijkteam Demodorp", ()),
    TeamSpec("ggz-kompas", "GGZ Kompas FACT-team", ()),
    TeamSpec("gemeente", "Regie sociaal domein", ()),
    TeamSpec("schuldhulp", "Vroegsignalering", ()),
]


@dataclass(frozen=True)
class UserSpec:
    username: str
    organisation: str
    role: Role
    first_name: str
    last_name: str
    teams: tuple[str, ...] = ()


DEMO_USERS = [
    UserSpec("signaleerder", "woonstede", Role.SIGNALLER, "Sanne", "de Vries"),
    UserSpec("waakvlammer", "buurtwerk", Role.STEWARD, "Wim", "Bakker", ("Waakvlam Centrum-Oost",)),
    UserSpec("waakvlammer2", "buurtwerk", Role.STEWARD, "Fatima", "El Amrani", ("Waakvlam West",)),
    UserSpec(
        "coordinator", "buurtwerk", Role.COORDINATOR, "Corrie", "Jansen", ("Waakvlam Centrum-Oost", "Waakvlam West")
    ),
    UserSpec("ggz", "ggz-kompas", Role.PARTNER, "Gijs", "Visser", ("GGZ Kompas FACT-team",)),
    UserSpec("wijkagent", "politie", Role.SIGNALLER, "Ahmed", "Yilmaz"),
    UserSpec("regie", "gemeente", Role.MUNICIPALITY, "Rosa", "Smit", ("Regie sociaal domein",)),
    UserSpec("privacy", "gemeente", Role.PRIVACY_OFFICER, "Pieter", "Mulder"),
    UserSpec("beheer", "gemeente", Role.ADMIN, "Bea", "de Boer"),
    # Added later: the teams that take arrears and neighbourhood-team signals need people in them too.
    UserSpec("budgetcoach", "schuldhulp", Role.STEWARD, "Bram", "Hendriks", ("Vroegsignalering",)),
    UserSpec("wijkteamer", "wijkteam", Role.STEWARD, "Wendy", "Kok", ("Wijkteam Demodorp",)),
]


def demo_logins_table() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}, two-factor off for the demo only):"]
    lines.append(f"  {'username':<14} {'organisation':<12} role")
    for u in DEMO_USERS:
        lines.append(f"  {u.username:<14} {u.organisation:<12} {u.role.label}")
    return "\n".join(lines)
