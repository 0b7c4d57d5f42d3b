from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waakvlam.demo.services import DemoAlreadyLoaded, demo_load
from waakvlam.demo.town import demo_logins_table


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = "Create the demo municipality GM9999 Demodorp with its organisations, teams, demo users and data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=_positive, default=2000, help="number of addresses (default 2000)")
        parser.add_argument(
            "--signals", type=_positive, default=None, help="number of signals (default: two years' worth)"
        )
        parser.add_argument("--seed", type=int, default=7513, help="random seed; the same seed gives the same town")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] > 1_500_000:
            raise CommandError("--households may be at most 1,500,000 (the demo town's postcode ranges are full then).")
        started = time.monotonic()
        try:
            result = demo_load(households=options["households"], signals=options["signals"], seed=options["seed"])
        except DemoAlreadyLoaded as error:
            raise CommandError(
                f"{error} Start from an empty database (delete var/waakvlam.sqlite3) to load it again."
            ) from None
        self.stdout.write(
            f"Loaded {result.municipality.code} {result.municipality.name}: {result.created_addresses} addresses"
            + "".join(f", {v} {k}" for k, v in result.extras.items())
            + f" in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(demo_logins_table())
