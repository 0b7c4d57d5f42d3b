"""`waakvlam insight-rebuild`: build every insight rollup again from the raw rows."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from waakvlam.insight.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Build the neighbourhood-insight rollups again from the raw rows (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = rollups_rebuild(now=timezone.now())
        self.stdout.write(
            f"insight rollups rebuilt: {result['insight_days_rebuilt']} days in {time.perf_counter() - started:.1f} s"
        )
