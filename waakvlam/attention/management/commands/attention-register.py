import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waakvlam.attention.register import default_municipality, register_entry, register_markdown
from waakvlam.core.models import Municipality


class Command(BaseCommand):
    help = (
        "Print the attention list's entry for the Dutch Algorithm Register (name, purpose, rules in plain "
        "language, data used, human oversight, responsible organisation, how to object), from the rules as "
        "configured now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["md", "json"], default="md")
        parser.add_argument("--municipality", default="", help="CBS code, e.g. GM9999 (default: the first)")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["municipality"]
        municipality = Municipality.objects.filter(code=code).first() if code else default_municipality()
        if municipality is None:
            raise CommandError(f"No municipality {code or ''} found; load one first (waakvlam load-demo).")
        entry = register_entry(municipality, language=options["language"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(entry, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(register_markdown(entry, language=options["language"]))
