"""The bulk import's tests use intake's fixtures: postcode areas, API keys and request helpers."""

from tests.intake.conftest import api_key, areas, mid_minute, post_json

__all__ = ["api_key", "areas", "mid_minute", "post_json"]
