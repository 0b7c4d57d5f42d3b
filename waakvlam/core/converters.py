"""A path converter for database ids: at most 18 digits, so an id too large for a 64-bit column is simply
a URL that does not exist (404) rather than a database error."""

from __future__ import annotations

from django.urls import register_converter


class DatabaseId:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseId, "dbid")
