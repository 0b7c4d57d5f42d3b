from __future__ import annotations

import signal
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from waakvlam.core.worker import registered_sweeps, run_forever, run_once


class Command(BaseCommand):
    help = "Run the background sweeps (deadlines, escalations, notifications, retention)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument("--now", help="run the pass as if it were this moment (ISO 8601, e.g. 2026-12-01T09:00)")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between passes (default 15)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = self._parse_now(options["now"]) if options["now"] else None
        if now is not None and not options["once"]:
            raise CommandError("--now only makes sense with --once.")
        if options["once"]:
            for name, counts in run_once(now).items():
                figures = ", ".join(f"{k}={v}" for k, v in counts.items()) or "nothing to do"
                self.stdout.write(f"{name}: {figures}")
            if not registered_sweeps():
                self.stdout.write("no sweeps registered")
            return
        stopping = {"flag": False}

        def stop(signum: int, frame: object) -> None:
            stopping["flag"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker running {len(registered_sweeps())} sweeps every {options['interval']:.0f} s")
        run_forever(options["interval"], should_stop=lambda: stopping["flag"])

    @staticmethod
    def _parse_now(raw: str) -> datetime:
        parsed = parse_datetime(raw) if "T" in raw or " " in raw else parse_datetime(f"{raw}T00:00")
        if parsed is None:
            raise CommandError(f"--now {raw!r} is not an ISO 8601 moment; use e.g. 2026-12-01T09:00 or 2026-12-01.")
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed
