from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waakvlam.core.server import DEFAULT_THREADS, default_workers, serve


class Command(BaseCommand):
    help = "Serve the web UI and API with the production HTTP server (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="worker processes (default: CPU cores, at least 2)"
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help=f"threads per worker (default: {DEFAULT_THREADS})"
        )
        parser.add_argument("--access-log", action="store_true", help="print one line per request")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            access_log=options["access_log"],
        )
