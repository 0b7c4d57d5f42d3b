"""The `waakvlam` console script: every Django management command, under one name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waakvlam.config.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["waakvlam", *sys.argv[1:]])
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: say what, not a traceback.
        print(f"waakvlam: configuration error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
