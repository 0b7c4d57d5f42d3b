from __future__ import annotations

import subprocess
import sys
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from waakvlam.core.server import serve
from waakvlam.demo.services import demo_is_loaded
from waakvlam.demo.town import demo_logins_table


class Command(BaseCommand):
    help = "What `make run` runs: migrate, load the demo municipality if empty, then serve with the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo_is_loaded():
            self.stdout.write("Demo municipality already loaded; keeping its data.")
        else:
            self.stdout.write("Loading the demo municipality Demodorp (first run only)…")
            output = StringIO()
            call_command("load-demo", stdout=output)
            self.stdout.write(output.getvalue().splitlines()[0])
        self.stdout.write("")
        self.stdout.write(demo_logins_table())
        self.stdout.write("")
        self.stdout.write(f"Waakvlam runs on http://{options['host']}:{options['port']}/  (Ctrl+C stops it)")
        worker = subprocess.Popen([sys.executable, "-m", "waakvlam.config.cli", "worker"])
        try:
            serve(host=options["host"], port=options["port"], workers=options["workers"])
        finally:
            worker.terminate()
            worker.wait(timeout=15)
