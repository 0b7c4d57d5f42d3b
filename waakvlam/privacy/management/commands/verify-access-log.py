from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify


class Command(BaseCommand):
    help = "Check the access log's hash chain; exits 1 and lists each entry that was changed, removed or inserted."

    def handle(self, *args: Any, **options: Any) -> None:
        total = AccessLogEntry.objects.count()
        problems = list(access_log_verify())
        for problem in problems:
            self.stderr.write(f"entry {problem.seq}: {problem.problem}")
        if problems:
            raise CommandError(f"The access log has been tampered with: {len(problems)} problem(s) in {total} entries.")
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {total} entries, chain verified."))
