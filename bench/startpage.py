"""The steward's start page with a full caseload: 60 contact plans of their own and 1,000 open signals for
their team. GET / as the logged-in steward (Django test client, in-process), 50 timed requests after a warm-up;
median and p95. Target (issue 5): under 200 ms. Writes bench/results/startpage.json.

The page must show the "due today" block of the pilot light (contact/_due_today.html, filled by
contact.selectors.contact_plans_due_for), a part contact registers for the steward (core/start_page.py).

    python -m bench startpage         # or: python bench/startpage.py [--requests N] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:  # run as a file: make `bench` and `waakvlam` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import database_kinds, run_inner_on_fresh_database, write_result

PLANS = 60
SIGNALS = 1000
REQUESTS = int(os.environ.get("BENCH_STARTPAGE_REQUESTS", "50"))
TARGET_MS = 200.0
PARTIAL = "contact/_due_today.html"


def _seed(plans: int, signals: int) -> tuple[Any, Any]:
    import random
    from datetime import timedelta

    from django.utils import timezone

    from waakvlam.contact.models import ContactPlan, next_contact_due
    from waakvlam.core.models import Address, Neighbourhood, Team, User
    from waakvlam.demo.services import demo_load_town
    from waakvlam.households.models import Household, Resident
    from waakvlam.intake.models import Signal

    municipality = demo_load_town()
    rng = random.Random(7513)
    now = timezone.now()
    today = timezone.localdate(now)
    steward = User.objects.get(username="waakvlammer")
    team = Team.objects.get(name="Waakvlam Centrum-Oost")
    hoods = list(Neighbourhood.objects.filter(teams=team))
    addresses = Address.objects.bulk_create(
        [
            Address(
                municipality=municipality,
                neighbourhood=hoods[i % len(hoods)],
                postcode="9901AB",
                house_number=i + 1,
                street="Dorpsstraat",
                city="Demodorp",
                key=f"9901AB|{i + 1}||",
            )
            for i in range(plans)
        ]
    )
    households = Household.objects.bulk_create(
        [
            Household(municipality=municipality, address=a, neighbourhood=a.neighbourhood, created_at=now)
            for a in addresses
        ]
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(municipality=municipality, household=h, name=f"Bewoner {i}", created_at=now)
            for i, h in enumerate(households)
        ]
    )
    coordinator = User.objects.get(username="coordinator")
    rows = []
    for resident in residents:
        starts_on = today - timedelta(days=rng.randint(10, 200))
        last = starts_on + timedelta(days=rng.randint(0, 190)) if rng.random() < 0.9 else None
        last = min(last, today) if last else None
        rhythm = rng.choice([14, 21, 42])
        rows.append(
            ContactPlan(
                municipality=municipality,
                resident=resident,
                organisation_id=steward.organisation_id,
                team=team,
                steward=steward,
                backup=coordinator,
                rhythm_days=rhythm,
                starts_on=starts_on,
                basis="consent",
                basis_recorded_by=steward,
                basis_recorded_at=now,
                last_contact_on=last,
                next_contact_due=next_contact_due(starts_on=starts_on, last_contact_on=last, rhythm_days=rhythm),
                created_at=now,
                updated_at=now,
            )
        )
    ContactPlan.objects.bulk_create(rows)
    categories = ["nuisance", "neglect", "worrying_behaviour", "payment_arrears", "isolation"]
    Signal.objects.bulk_create(
        [
            Signal(
                municipality=municipality,
                tracking_code=f"S{i:09d}",
                category=rng.choice(categories),
                urgency="high" if rng.random() < 0.1 else "normal",
                description="Bench",
                neighbourhood=rng.choice(hoods),
                received_at=now - timedelta(hours=i),
                updated_at=now,
                source_kind="professional",
                owner_team=team,
                due_at=now + timedelta(hours=rng.randint(-48, 96)),
                status=rng.choice(["received", "assigned", "in_progress"]),
            )
            for i in range(signals)
        ],
        batch_size=1000,
    )
    return steward, now


def _partial_wired() -> bool:
    """The due-today block is one of the parts contact registers for the steward's start page."""
    from waakvlam.core.roles import Role
    from waakvlam.core.start_page import start_parts

    return any(part.template == PARTIAL for part in start_parts(Role.STEWARD)["main"])


def _inner(requests: int) -> dict[str, object]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.perf_counter()
    steward, _now = _seed(PLANS, SIGNALS)
    setup_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(steward)
    for _ in range(5):  # warm-up: templates compiled, connections open
        response = client.get("/")
        assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "Mijn bewoners" in body and "contact te laat" in body, "the due-today block is on the page"
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    ordered = sorted(timings)
    return {
        "database": connection.vendor,
        "plans": PLANS,
        "open_signals": SIGNALS,
        "requests": requests,
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "max_ms": round(ordered[-1], 2),
        "partial_wired_by_start_page": _partial_wired(),
        "setup_seconds": round(setup_seconds, 1),
        "under_target": statistics.median(ordered) < TARGET_MS,
    }


def run(kind: str, requests: int) -> dict[str, object]:
    return run_inner_on_fresh_database(kind, "bench.startpage", ["--requests", str(requests)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--database", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.inner:
        print(json.dumps(_inner(args.requests)))
        return
    kinds = database_kinds(args.database)
    runs = {kind: run(kind, args.requests) for kind in kinds}
    first = runs[kinds[0]]
    write_result(
        "startpage",
        {
            "median_ms": first["median_ms"],
            "p95_ms": first["p95_ms"],
            "database": first["database"],
            "target_ms": TARGET_MS,
            "by_database": runs,
        },
    )


if __name__ == "__main__":
    main(sys.argv[1:])
