"""The few set-based statements the import needs, on PostgreSQL and SQLite alike.

On PostgreSQL a list of values travels as one array parameter (`= ANY(%s)`, `unnest(%s::type[], …)`)
and rows as COPY, which is an order of magnitude cheaper than Django's bulk_create and IN lists with
thousands of placeholders. On SQLite: IN lists in chunks and one prepared statement (executemany).
Table and column names come from the models' _meta, never from input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

__all__ = ["copy_rows", "insert_ignore_returning", "pg_array", "select_where_in"]

SQLITE_CHUNK = 2000  # placeholders per IN list (SQLite allows 32,766 since 3.32)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def select_where_in(
    model: type[Model],
    columns: Sequence[str],
    key: str,
    values: Sequence[Any],
    *,
    extra: str = "",
    extra_params: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """SELECT columns FROM model's table WHERE key IN values [AND extra]; columns are database columns."""
    if not values:
        return []
    table, names = _q(model._meta.db_table), ", ".join(_q(c) for c in columns)
    tail = f" AND {extra}" if extra else ""
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if _pg():
            array, cast = pg_array(values)
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {_q(key)} = ANY(%s::{cast}[]){tail}",  # noqa: S608 - names from _meta
                [array, *extra_params],
            )
            return list(cursor.fetchall())
        for start in range(0, len(values), SQLITE_CHUNK):
            chunk = list(values[start : start + SQLITE_CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {names} FROM {table} WHERE {_q(key)} IN ({marks}){tail}",  # noqa: S608 - names from _meta
                [*chunk, *extra_params],
            )
            out.extend(cursor.fetchall())
    return out


def pg_array(values: Sequence[Any]) -> tuple[str, str]:
    """A list of strings or integers as one PostgreSQL array literal, and the element type to cast it to.

    psycopg adapts a list element by element in Python (about 1 µs each); a join is a twentieth of that,
    and a batch's look-ups pass hundreds of thousands of values in a large import."""
    if all(isinstance(v, int) for v in values):
        return "{" + ",".join(map(str, values)) + "}", "bigint"
    texts = [str(v) for v in values]
    joined = "\n".join(texts)
    if "\\" in joined or '"' in joined:
        texts = [t.replace("\\", "\\\\").replace('"', '\\"') for t in texts]
    return '{"' + '","'.join(texts) + '"}', "text"


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert plain rows (values as the driver takes them): COPY on PostgreSQL, executemany on SQLite.

    `rows` may be a generator: PostgreSQL then inserts the first rows while the rest are still being made."""
    with connection.cursor() as cursor:
        if _pg():
            from psycopg import sql

            table = model._meta.db_table
            statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
                sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
            )
            types = _column_types(cursor, table)
            with cursor.cursor.copy(statement) as copy:
                # Binary, with every column's type given up front: psycopg then formats a row in a fifth
                # of the time text needs, and PostgreSQL parses nothing. Values must match the column types
                # exactly (a JSON column takes the Python value, not its text).
                copy.set_types([types[c] for c in columns])
                for row in rows:
                    copy.write_row(row)
            return
        names = ", ".join(_q(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {_q(model._meta.db_table)} ({names}) VALUES ({marks})",  # noqa: S608 - names from _meta
            rows,  # type: ignore[arg-type]  # any iterable will do (sqlite3's executemany)
        )


_TYPES: dict[str, dict[str, int]] = {}


def _column_types(cursor: Any, table: str) -> dict[str, int]:
    """column → type oid of `table` (built-in types only, whose oids are the same in every database)."""
    types = _TYPES.get(table)
    if types is None:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            [table],
        )
        types = _TYPES[table] = dict(cursor.fetchall())
    return types


def insert_ignore_returning(
    model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]], *, conflict: str, returning: Sequence[str]
) -> list[tuple[Any, ...]]:
    """INSERT rows, skipping those that break the unique `conflict` column; returns `returning` of the rows
    actually inserted (PostgreSQL) or of all rows now present for the given conflict values (SQLite)."""
    if not rows:
        return []
    table, names = _q(model._meta.db_table), ", ".join(_q(c) for c in columns)
    back = ", ".join(_q(c) for c in returning)
    with connection.cursor() as cursor:
        if _pg():
            fields = {f.column: f for f in model._meta.concrete_fields}
            casts = ", ".join(f"%s::{fields[c].cast_db_type(connection)}[]" for c in columns)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({casts}) "  # noqa: S608 - names from _meta
                f"ON CONFLICT ({_q(conflict)}) DO NOTHING RETURNING {back}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return list(cursor.fetchall())
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT ({_q(conflict)}) DO NOTHING",  # noqa: S608
            rows,
        )
    position = list(columns).index(conflict)
    return select_where_in(model, returning, conflict, [row[position] for row in rows])
