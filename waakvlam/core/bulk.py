"""A lean bulk insert for hot paths (the deadline sweep, its notifications): COPY on PostgreSQL,
executemany on SQLite.

Django's bulk_create builds a model instance and prepares every field of every row in Python, which was
most of the time of a 100,000-signal sweep. Here each row is a dict of attribute names; the columns, their
defaults and their conversion to database values come from the model's own field definitions, so a new
field with a default needs no change here. Plain values (text, numbers, booleans, foreign-key ids) go to
the driver as they are, datetimes through the backend's adapter (once per distinct value), anything else
through the field's own get_db_prep_save. Only for models without pre_save hooks (auto_now and the like):
SignalEvent and Notification qualify.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

_MISSING = object()
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _converter(field: models.Field[Any, Any], conn: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """None when the Python value can go to the driver unchanged."""
    if isinstance(field, models.DateTimeField):
        cache: dict[Any, Any] = {}

        def adapt(value: Any) -> Any:
            if value is None:
                return None
            if value not in cache:
                cache[value] = field.get_db_prep_save(value, conn)
            return cache[value]

        return adapt
    if isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.AutoField):
        return None
    own_conversion = type(field).get_db_prep_value not in {
        models.Field.get_db_prep_value,
        models.IntegerField.get_db_prep_value,  # only a range check for some backends' integer types
    }
    if isinstance(field, _PLAIN) and not own_conversion:
        if field.choices:
            # TextChoices members: the driver must get the value (psycopg would send the member's name).
            return lambda value: value.value if isinstance(value, Enum) else value
        return None
    return lambda value: field.get_db_prep_save(value, conn)


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """INSERT `rows` (attname → value) into `model`'s table and return how many were inserted; with
    ignore_conflicts a row that breaks a unique constraint is skipped (ON CONFLICT DO NOTHING)."""
    if not rows:
        return 0
    conn = connections[using]
    columns: list[str] = []
    pairs: list[tuple[str, Any]] = []
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField):
            continue
        if field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        elif field.empty_strings_allowed:
            default = ""  # what Django stores for a text field left empty
        else:
            default = _MISSING
        convert = _converter(field, conn)
        if convert is not None:
            converters.append((len(columns), convert))
        columns.append(str(field.column))
        pairs.append((field.attname, default))
    required = [attname for attname, default in pairs if default is _MISSING]
    params = []
    for row in rows:
        if required and not all(attname in row for attname in required):
            missing = ", ".join(a for a in required if a not in row)
            raise ValueError(f"{model.__name__}: no value and no default for {missing}")
        values = [row.get(attname, default) for attname, default in pairs]
        for index, convert in converters:
            values[index] = convert(values[index])
        params.append(values)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            return _copy_postgresql(cursor.cursor, model._meta.db_table, columns, params, ignore_conflicts)
        # SQLite's executemany loops in C over one prepared statement.
        quote = conn.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        if ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        cursor.executemany(sql, params)
        return int(cursor.rowcount)


def _copy_postgresql(
    cursor: Any, table: str, columns: list[str], params: list[list[Any]], ignore_conflicts: bool
) -> int:
    """COPY is PostgreSQL's fast path (ten times faster than multi-row INSERTs here). COPY cannot skip
    conflicting rows, so with ignore_conflicts the rows go through a temporary table first."""
    from psycopg import sql

    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    target = sql.Identifier(table)
    if not ignore_conflicts:
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, names)) as copy:
            for values in params:
                copy.write_row(values)
        return len(params)
    staging = sql.Identifier(f"_bulk_{table}_{secrets.token_hex(4)}")
    cursor.execute(
        sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(staging, names, target)
    )
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(staging, names)) as copy:
        for values in params:
            copy.write_row(values)
    cursor.execute(
        sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING").format(target, names, names, staging)
    )
    inserted = int(cursor.rowcount)
    cursor.execute(sql.SQL("DROP TABLE {}").format(staging))
    return inserted
