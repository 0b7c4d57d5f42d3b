from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waakvlam.privacy.anchor import anchor_latest, anchor_missing, anchor_path
from waakvlam.privacy.models import AccessLogEntry
from waakvlam.privacy.services import access_log_verify


class Command(BaseCommand):
    help = (
        "Check the access log's hash chain and compare it with the newest anchor the worker wrote; exits 1 and "
        "lists each entry that was changed, removed or inserted, and how many newest entries are missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = AccessLogEntry.objects.count()
        problems = [f"entry {p.seq}: {p.problem}" for p in access_log_verify()]
        anchor = anchor_latest()
        if anchor is not None and (missing := anchor_missing(anchor)):
            problems.append(f"anchor ({anchor_path()}): {missing}")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"The access log has been tampered with: {len(problems)} problem(s) in {total} entries. " + problems[-1]
            )
        if anchor is None:
            self.stdout.write(
                self.style.WARNING(
                    f"Access log chain verified ({total} entries), but no anchor was found at {anchor_path()}: "
                    "the newest entries could have been cut off unnoticed. Run the worker."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Access log intact: {total} entries, chain verified, reaches the anchor of {anchor.at} (seq {anchor.seq})."
            )
        )
