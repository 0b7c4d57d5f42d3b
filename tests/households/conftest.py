"""Households tests reuse intake's postcode areas (9901AB → Binnenstad, 9921CD → Zonnehoek, …)."""

from __future__ import annotations

from tests.intake.conftest import areas

__all__ = ["areas"]
