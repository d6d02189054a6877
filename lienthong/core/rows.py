"""Inserting one new model row with a plain ``INSERT … RETURNING``, for the writes made on every request of a
hot path (a dossier received: the dossier, its first timeline line, the audit entry).

``Model.save()`` rebuilds and compiles an insert query on every call; on the 2-core reference machine that
costs two to three times the insert itself (bench/README.md, dossier intake). :func:`insert` does what
``save()`` does for a new row — every field's ``pre_save`` (so ``auto_now_add``/``auto_now`` work) and
``get_db_prep_save`` (so JSON, dates and decimals are adapted exactly as the ORM adapts them) — with the
statement built once per model. It sends no ``pre_save``/``post_save`` signals, so use it only for models
nothing listens to, and only for new rows.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    EmailField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallIntegerField,
    TextField,
)

M = TypeVar("M", bound=Model)

# Fields whose pre_save reads the attribute and whose database form of a value of the given exact types is the
# value itself: for them the per-field conversion calls are skipped (anything else goes the ORM's way).
_TEXT = (str, type(None))
_WHOLE = (int, type(None))
_PLAIN_TYPES: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    CharField: _TEXT,
    EmailField: _TEXT,
    TextField: _TEXT,
    IntegerField: _WHOLE,
    BigIntegerField: _WHOLE,
    SmallIntegerField: _WHOLE,
    PositiveBigIntegerField: _WHOLE,
    PositiveIntegerField: _WHOLE,
    PositiveSmallIntegerField: _WHOLE,
    BooleanField: (bool, type(None)),
}
_NONE: tuple[type, ...] = ()

# Per model and vendor: the statement, and per column the field, its attribute name and the value types that
# may be sent as they are.
_statements: dict[
    tuple[type[Model], str], tuple[str, list[tuple[Field[Any, Any], str, tuple[type, ...]]]]
] = {}


def _plain_types(field: Field[Any, Any]) -> tuple[type, ...]:
    if type(field) is ForeignKey and type(field.target_field) in (AutoField, BigAutoField):
        return _WHOLE
    if (
        type(field) in (DateField, DateTimeField)
        and connection.vendor == "postgresql"
        and not (field.auto_now or field.auto_now_add)  # type: ignore[attr-defined]
    ):
        # psycopg sends dates and datetimes as they are (the ORM's adapters return them unchanged there); a naive
        # datetime is still caught in insert_values, for the ORM to make it aware in the project's zone.
        return (datetime, type(None)) if type(field) is DateTimeField else (date, type(None))
    return _PLAIN_TYPES.get(type(field), _NONE)


def _statement(model: type[Model]) -> tuple[str, list[tuple[Field[Any, Any], str, tuple[type, ...]]]]:
    key = (model, connection.vendor)
    found = _statements.get(key)
    if found is None:
        pk = model._meta.pk
        assert pk is not None
        fields = [f for f in model._meta.local_concrete_fields if f is not pk]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(pk.column)}"
        )
        found = (sql, [(f, f.attname, _plain_types(f)) for f in fields])
        _statements[key] = found
    return found


def insert_columns(model: type[Model]) -> list[str]:
    """The quoted column names :func:`insert` writes for ``model``, in the order of :func:`insert_values`."""
    _sql, columns = _statement(model)
    return [connection.ops.quote_name(field.column) for field, _a, _p in columns]


def insert_values(obj: Model) -> list[Any]:
    """The database values of a new row for ``obj`` (primary key excluded), as ``Model.save()`` would send them."""
    _sql, columns = _statement(type(obj))
    values = []
    for field, attname, plain in columns:
        value = getattr(obj, attname)
        if type(value) in plain and (type(value) is not datetime or value.tzinfo is not None):
            pass
        elif isinstance(value, Enum) and type(value.value) in plain:  # a choices member: its value
            value = value.value
        else:
            value = field.get_db_prep_save(field.pre_save(obj, True), connection)
        values.append(value)
    return values


# Per model: each concrete field's attribute name, for a foreign key the name it is given by as an object, and
# its default when that is a constant of an immutable type (else _CALL: ask the field each time).
_CALL = object()
_fields_in_order: dict[type[Model], list[tuple[Field[Any, Any], str, str | None, Any]]] = {}


def _constant_default(field: Field[Any, Any]) -> Any:
    if field.has_default() and callable(field.default):
        return _CALL
    value = field.get_default()
    return value if type(value) in (str, int, bool, float, type(None)) else _CALL


def new_row(model: type[M], **values: Any) -> M:
    """``model(**values)`` for a new row, built the way the ORM builds one it reads: every field's value in
    order, defaults for those not given. Keyword construction pops each field from the keywords and goes
    through a descriptor per related object; for a dossier it costs twice as much, and a hot path builds one
    on every request. Related objects may be given by field name (``agency=…``, cached on the row) or by key
    (``agency_id=…``)."""
    fields = _fields_in_order.get(model)
    if fields is None:
        fields = [
            (f, f.attname, f.name if f.is_relation else None, _constant_default(f))
            for f in model._meta.concrete_fields
        ]
        _fields_in_order[model] = fields
    args = []
    related = []
    for field, attname, name, default in fields:
        if attname in values:
            args.append(values.pop(attname))
        elif name is not None and name in values:
            target = values.pop(name)
            related.append((field, target))
            args.append(None if target is None else target.pk)
        else:
            args.append(field.get_default() if default is _CALL else default)
    if values:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(values))}")
    row = model(*args)
    for field, target in related:
        field.set_cached_value(row, target)  # type: ignore[attr-defined]
    return row


def mark_inserted(obj: M, pk: Any) -> M:
    """Make ``obj`` what the ORM makes of a row it has just inserted with primary key ``pk``."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


def insert(obj: M) -> M:
    """Insert ``obj`` as a new row (inside the caller's transaction) and set its primary key."""
    sql, _columns = _statement(type(obj))
    with connection.cursor() as cursor:
        cursor.execute(sql, insert_values(obj))
        row = cursor.fetchone()
    assert row is not None
    return mark_inserted(obj, row[0])


_many: dict[tuple[type[Model], str, int], str] = {}


def insert_many(objs: list[M]) -> list[M]:
    """Insert new rows of one model in one statement (inside the caller's transaction); set their keys.

    Like :func:`insert`, and unlike ``bulk_create``, the statement is built once per model and row count.
    """
    if not objs:
        return objs
    model = type(objs[0])
    key = (model, connection.vendor, len(objs))
    sql = _many.get(key)
    if sql is None:
        pk = model._meta.pk
        assert pk is not None
        quote = connection.ops.quote_name
        columns = insert_columns(model)
        row = f"({', '.join(['%s'] * len(columns))})"
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
            f"VALUES {', '.join([row] * len(objs))} RETURNING {quote(pk.column)}"
        )
        _many[key] = sql
    values = [value for obj in objs for value in insert_values(obj)]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        keys = [row[0] for row in cursor.fetchall()]
    # PostgreSQL and SQLite return the rows of a multi-row VALUES in the order given.
    for obj, pk_value in zip(objs, keys, strict=True):
        mark_inserted(obj, pk_value)
    return objs
