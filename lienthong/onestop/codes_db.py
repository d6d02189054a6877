"""Allocating dossier codes in the database, and storing a received dossier under its new code.

The code's sequence lives in :class:`DossierCodeCounter`, one row per receiving agency and day, incremented by
one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite ≥ 3.35). The row stays locked until
the transaction ends, so two allocations never see the same number, and a rolled-back dossier gives its number
back: no gaps, no duplicates, and no race between two first creators of a row.

On PostgreSQL :func:`store_received` allocates the number, inserts the dossier, its first timeline line, its
files' rows and the caller's idempotency key, and appends the audit entry in *one* statement (data-modifying CTEs
and ``audit_append``). The entry's canonical text is made in Python with stand-ins for the dossier's key and
code, which the statement replaces (:func:`lienthong.audit.services.entry_text`). That statement is the whole
transaction (unless the caller has one): the counter row — which every intake of the agency that day waits for —
is locked only while it runs and commits, not across round trips (bench/README.md, dossier intake). The code is formatted there with the rule of
:func:`~lienthong.onestop.codes.format_dossier_code` (at least four digits); a test holds both to the same answers.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from lienthong.audit.services import CHAIN_LOCK_KEY, Actor, entry_text
from lienthong.audit.services import record as audit
from lienthong.core.rows import insert, insert_columns, insert_many, insert_values, mark_inserted
from lienthong.directory.models import Agency

from .codes import SEQUENCE_WIDTH, format_dossier_code
from .models import Dossier, DossierCodeCounter, DossierEvent, DossierFile, IntakeKey


def _counter_upsert() -> str:
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number"
    )


def next_number(agency: Agency, day: date) -> int:
    """Increment and return the counter of (``agency``, ``day``), creating it at 1 (locked until commit)."""
    with connection.cursor() as cursor:
        cursor.execute(_counter_upsert(), [agency.pk, day])
        row = cursor.fetchone()
    return int(row[0])


def allocate_code(agency: Agency, day: date) -> str:
    """The next dossier code of ``agency`` for ``day``; call it inside the transaction that stores the dossier,
    so a failure after allocation hands the number back (no savepoint of its own: it is one statement)."""
    with transaction.atomic(savepoint=False):
        return format_dossier_code(agency.code, day, next_number(agency, day))


@dataclass(frozen=True)
class ReceiptEntry:
    """The audit entry of a dossier being received. The code does not exist yet: wherever ``changes`` should show
    it, they hold :attr:`code_stand_in` (see :func:`code_stand_in`)."""

    actor: Actor | None
    action: str
    agency_code: str
    changes: Mapping[str, Any]
    code_stand_in: str


def code_stand_in() -> str:
    """A string that stands for the code until it is allocated: unique, and the same in JSON as in Python."""
    return f"<code {uuid.uuid4().hex}>"


def _with_code(value: Any, stand_in: str, code: str) -> Any:
    if value == stand_in:
        return code
    if isinstance(value, Mapping):
        return {key: _with_code(item, stand_in, code) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_code(item, stand_in, code) for item in value]
    return value


def store_received(
    dossier: Dossier,
    event: DossierEvent,
    day: date,
    *,
    entry: ReceiptEntry,
    files: Sequence[DossierFile] = (),
    key: IntakeKey | None = None,
) -> None:
    """Give ``dossier`` the next code of its agency for ``day``; insert it, ``event`` as its first timeline line,
    its ``files`` and the caller's idempotency ``key``; append ``entry`` to the audit log — all in one transaction
    (the caller's, if it has one). The objects come back as the ORM leaves rows it has inserted.

    A ``key`` the caller already used raises ``IntegrityError`` and nothing is written (the code's number too
    goes back)."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            dossier.code = allocate_code(dossier.agency, day)
            insert(dossier)
            event.dossier = dossier
            insert(event)
            if key is not None:
                key.dossier = dossier
                insert(key)
            _insert_files(dossier, files)
            audit(
                actor=entry.actor,
                action=entry.action,
                obj=dossier,
                changes=_with_code(entry.changes, entry.code_stand_in, dossier.code),
                agency_code=entry.agency_code,
            )
        return
    # The code is computed by the statement; a placeholder keeps the code column's parameter in its place.
    dossier.code = ""
    dossier_values = insert_values(dossier)
    del dossier_values[_code_at()]
    event_values = _values_pointing_at_the_dossier(event)
    prefix = f"{dossier.agency.code}-{day:%y%m%d}-"
    id_stand_in = f"<id {uuid.uuid4().hex}>"
    text = entry_text(
        actor=entry.actor,
        action=entry.action,
        object_type=Dossier._meta.label_lower,
        object_id=id_stand_in,
        object_label=entry.code_stand_in,
        changes=entry.changes,
        agency_code=entry.agency_code,
    )
    audit_values: list[Any] = [CHAIN_LOCK_KEY, text, id_stand_in, entry.code_stand_in]
    key_values = _values_pointing_at_the_dossier(key) if key is not None else []
    file_values = [_file_records(files)] if files else []
    with connection.cursor() as cursor:
        cursor.execute(
            _one_statement(with_key=key is not None, with_files=bool(files)),
            [
                dossier.agency.pk,
                day,
                prefix,
                *dossier_values,
                *event_values,
                *audit_values,
                *key_values,
                *file_values,
            ],
        )
        row = cursor.fetchone()
    assert row is not None
    dossier_id, dossier.code, event_id, key_id, file_ids = row
    file_ids = file_ids or []
    mark_inserted(dossier, dossier_id)
    event.dossier = dossier
    mark_inserted(event, event_id)
    if key is not None:
        key.dossier = dossier
        mark_inserted(key, key_id)
    for file_row, file_id in zip(files, file_ids, strict=True):
        file_row.dossier = dossier
        mark_inserted(file_row, file_id)


def _insert_files(dossier: Dossier, files: Sequence[DossierFile]) -> None:
    for row in files:
        row.dossier = dossier
    insert_many(list(files))


_RowOfTheDossier = DossierEvent | IntakeKey | DossierFile


@functools.cache
def _code_at() -> int:
    """Where the dossier's code sits among the columns :func:`insert_values` returns."""
    return insert_columns(Dossier).index(connection.ops.quote_name("code"))


@functools.cache
def _dossier_column_at(model: type[_RowOfTheDossier]) -> int:
    """Where the dossier's key sits among the columns :func:`insert_values` returns for ``model``."""
    return insert_columns(model).index(connection.ops.quote_name("dossier_id"))


def _values_pointing_at_the_dossier(row: _RowOfTheDossier) -> list[Any]:
    """``row``'s values without its dossier key, which the statement fills in (``d.id``)."""
    row.dossier_id = 0
    values = insert_values(row)
    del values[_dossier_column_at(type(row))]
    return values


def _file_records(files: Sequence[DossierFile]) -> str:
    """The files' rows as one JSON array of objects (column → value), in order: one parameter for any number of
    files, so the statement's text and parameter count stay the same (see :func:`_files_cte`)."""
    names = [column for column, _type in _file_columns()]
    return json.dumps(
        [dict(zip(names, _values_pointing_at_the_dossier(row), strict=True)) for row in files],
        ensure_ascii=False,
        default=_json_moment,
    )


def _json_moment(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a file's row")


@functools.cache
def _file_columns() -> list[tuple[str, str]]:
    """DossierFile's columns as :func:`insert_values` returns them, without the dossier's: (name, SQL type)."""
    pk = DossierFile._meta.pk
    fields = [f for f in DossierFile._meta.local_concrete_fields if f is not pk and f.attname != "dossier_id"]
    return [(f.column, f.db_type(connection) or "text") for f in fields]


@functools.cache
def _one_statement(*, with_key: bool, with_files: bool) -> str:
    quote = connection.ops.quote_name
    code_at = _code_at()
    dossier_columns = insert_columns(Dossier)
    dossier_exprs = ["%s"] * len(dossier_columns)
    # lpad to at least SEQUENCE_WIDTH digits, longer once the number has more: format_dossier_code's rule.
    dossier_exprs[code_at] = (
        f"%s || lpad(n.last_number::text, greatest({SEQUENCE_WIDTH}, length(n.last_number::text)), '0')"
    )
    # The prefix parameter comes first among the dossier's, wherever the code column is.
    dossier_exprs = [dossier_exprs[code_at]] + [e for i, e in enumerate(dossier_exprs) if i != code_at]
    dossier_columns = [dossier_columns[code_at]] + [c for i, c in enumerate(dossier_columns) if i != code_at]
    return (
        f"WITH n AS ({_counter_upsert()}), "
        f"d AS (INSERT INTO {quote(Dossier._meta.db_table)} ({', '.join(dossier_columns)}) "
        f"SELECT {', '.join(dossier_exprs)} FROM n RETURNING id, code) "
        + _row_of_the_dossier("e", DossierEvent)
        # The audit entry's text with the dossier's real key and code in place of their stand-ins.
        + ", a AS (SELECT x.entry_id FROM d, LATERAL audit_append("
        "%s, replace(replace(%s::text, %s::text, d.id::text), %s::text, d.code)) AS x) "
        # The caller's idempotency key (its unique index refuses a reuse), then the files' rows.
        + (_row_of_the_dossier("k", IntakeKey) if with_key else "")
        + (_files_cte() if with_files else "")
        + f"SELECT d.id, d.code, e.id, {'k.id' if with_key else 'NULL::bigint'}, "
        + ("(SELECT array_agg(f.id ORDER BY f.id) FROM f)" if with_files else "NULL::bigint[]")
        + " FROM d, e, a"
        + (", k" if with_key else "")
    )


def _files_cte() -> str:
    """A CTE ``f`` inserting the files' rows from one JSON array, in its order.

    One parameter whatever the number of files: psycopg converts and caches a statement's text only up to 50
    parameters, and a statement per number of files would each be prepared apart. The rows are inserted in the
    array's order, so their keys (from the table's sequence) ascend in it.
    """
    quote = connection.ops.quote_name
    columns = _file_columns()
    record = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in columns)
    names = ", ".join(quote(name) for name, _type in columns)
    picked = ", ".join(f"r.{quote(name)}" for name, _type in columns)
    return (
        f", f AS (INSERT INTO {quote(DossierFile._meta.db_table)} ({quote('dossier_id')}, {names}) "
        f"SELECT d.id, {picked} FROM d, ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({record})) "
        f"WITH ORDINALITY AS r({names}, n) ORDER BY r.n RETURNING id) "
    )


def _row_of_the_dossier(name: str, model: type[_RowOfTheDossier]) -> str:
    """A CTE ``name`` inserting one row of ``model`` that points at the new dossier."""
    columns = insert_columns(model)
    exprs = ["%s"] * len(columns)
    exprs[_dossier_column_at(model)] = "d.id"
    return (
        f", {name} AS (INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM d RETURNING id) "
    )
