from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from waakvlam.attention.recompute import attention_recompute


class Command(BaseCommand):
    help = "Recompute the whole attention list (every household where a rule could fire); prints the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", default="", help="ISO-8601 moment to compute as of (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None:
                raise CommandError(f"--now {options['now']!r} is not an ISO-8601 moment.")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        counts = attention_recompute(now=now)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
