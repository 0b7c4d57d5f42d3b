"""Unsaved model instances as one multi-row INSERT on PostgreSQL, for hot write paths.

`bulk_create` compiles its statement anew each time, prepares every value through the field
(get_db_prep_save) and quotes each column's array into the SQL text; for a batch of a dozen signals with
their history and notifications that was most of the writer's CPU. Here a model's column list, array
types and one getter per column are worked out once per process; plain columns (text, numbers, booleans,
timestamps, foreign keys, JSON) are read straight off the instance, only the rest (encrypted fields,
auto_now) go through the field, and the rows travel as one JSON parameter of a statement whose text
never changes (one array per column cost psycopg more to dump than the rows cost to build).

Statements are only built here, never run: the caller sends them on a psycopg cursor, usually several in
one pipeline (`pg_pipeline`), so a batch costs a few round trips instead of one per table. PostgreSQL only;
on SQLite the callers keep bulk_create.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from operator import attrgetter
from typing import Any

import psycopg
from django.db import connection, models

__all__ = ["RowShape", "pg_cursor", "pg_pipeline", "row_shape"]

# Exact classes, not subclasses: an encrypted field is a CharField subclass whose stored value differs.
_PLAIN = {
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateTimeField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
}


@dataclass(frozen=True)
class RowShape:
    """How one model's instances become INSERT rows: its table, its columns and a getter per column."""

    table: str
    columns: tuple[str, ...]
    getters: tuple[Callable[[models.Model], Any], ...]

    def insert(self, objs: Sequence[models.Model], *, suffix: str = "") -> tuple[str, list[str]]:
        """`INSERT INTO table (...) SELECT ... FROM json_populate_recordset(NULL::table, %s) <suffix>` and
        its one parameter: the rows as a JSON array of objects. json.dumps is C, and PostgreSQL reads each
        value with the column's own type (and length: a long value is refused, not cut). The text is the
        same for any number of rows, so psycopg converts it once and PostgreSQL plans it once per
        connection (a prepared statement)."""
        columns, getters = self.columns, self.getters
        rows = [dict(zip(columns, [get(obj) for get in getters], strict=True)) for obj in objs]
        return _insert_sql(self, suffix), [json.dumps(rows, default=_json_value, separators=(",", ":"))]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no JSON form for an INSERT")


@functools.cache
def _insert_sql(shape: RowShape, suffix: str) -> str:
    quote = connection.ops.quote_name
    table, columns = quote(shape.table), ", ".join(quote(c) for c in shape.columns)
    return (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from _meta
        f"SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s) {suffix}"
    )


def _prepared(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    def get(obj: models.Model) -> Any:
        value = field.pre_save(obj, add=True)  # sets auto_now(_add) values on the instance, as save() does
        return field.get_db_prep_save(value, connection)

    return get


@functools.cache
def row_shape(model: type[models.Model], *, with_pk: bool = False) -> RowShape:
    """The model's concrete columns (the primary key only when `with_pk`: otherwise the sequence sets it)."""
    columns: list[str] = []
    getters: list[Callable[[models.Model], Any]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key and not with_pk:
            continue
        columns.append(str(field.column))
        # A JSON field's value goes into the JSON document as it is; its prepared form is a psycopg wrapper.
        plain = (type(field) in _PLAIN or type(field) is models.JSONField) and not getattr(field, "auto_now", False)
        plain = plain and not getattr(field, "auto_now_add", False)
        getters.append(attrgetter(field.attname) if plain else _prepared(field))
    return RowShape(model._meta.db_table, tuple(columns), tuple(getters))


def pg_cursor() -> psycopg.Cursor[Any]:
    """A server-side-binding cursor on Django's own connection (and so inside its transaction): values
    travel apart from the SQL, dumped by psycopg's C code, instead of being quoted into the text."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


@contextmanager
def pg_pipeline() -> Iterator[None]:
    """Statements executed inside are sent without waiting for each answer; reading a result (or leaving
    the block) waits for everything sent before it. An error surfaces at that point and fails the
    transaction, as it would have one statement later without the pipeline."""
    connection.ensure_connection()
    with connection.connection.pipeline():
        yield
