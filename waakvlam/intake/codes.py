"""The codes a signal's category, urgency and source kind take, computed once: Django's `Choices.values`
builds a new list on every call, and every signal taken in is checked against them more than once."""

from __future__ import annotations

from waakvlam.intake.models import Category, SourceKind, Urgency

# Tuples, not sets: a JSON body may hold a list or an object where a code belongs, and `in` on a tuple
# compares instead of hashing.
CATEGORY_CODES: tuple[str, ...] = tuple(Category.values)
URGENCY_CODES: tuple[str, ...] = tuple(Urgency.values)
SOURCE_KIND_CODES: tuple[str, ...] = tuple(SourceKind.values)


def tracking_code_normalise(raw: str) -> str:
    """What a person types (`abcd-efgh 23`) as it is stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isascii() and ch.isalnum())[:32]
