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

from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)

_statements: dict[tuple[type[Model], str], tuple[str, list[Any]]] = {}


def _statement(model: type[Model]) -> tuple[str, list[Any]]:
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
        found = (sql, fields)
        _statements[key] = found
    return found


def insert(obj: M) -> M:
    """Insert ``obj`` as a new row (inside the caller's transaction) and set its primary key."""
    sql, fields = _statement(type(obj))
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    assert row is not None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
