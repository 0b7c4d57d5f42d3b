"""The informal network in the demo town (filled in below)."""

from __future__ import annotations

import random

from waakvlam.core.models import Municipality


def demo_network(municipality: Municipality, rng: random.Random, options: dict[str, int]) -> dict[str, int]:
    return {}
