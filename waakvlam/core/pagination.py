"""Bounds of every API list, in one place: how many rows a page may hold and how far one may skip.

Query schemas take `limit` and `offset` from `PageQuery`; a list paginated by django-ninja uses
`BoundedPagination`. An offset past MAX_OFFSET is a 422 that says so, never a database overflow (500).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Far past any real list (a municipality's signals over years), far below any database's integer limits.
MAX_OFFSET = 10_000_000


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"Rows to skip, 0 to {MAX_OFFSET}.")


def page_of(qs: QuerySet[Any], query: PageQuery) -> tuple[int, list[Any]]:
    """(count of all rows, the rows of the requested page)."""
    return qs.count(), list(qs[query.offset : query.offset + query.limit])


class BoundedPagination(LimitOffsetPagination):
    """django-ninja's limit/offset pagination with PageQuery's bounds (its own offset has none)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"Rows to skip, 0 to {MAX_OFFSET}.")
