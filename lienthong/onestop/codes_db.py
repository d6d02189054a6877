"""Allocating dossier codes in the database, and storing a received dossier under its new code.

The code's sequence lives in :class:`DossierCodeCounter`, one row per receiving agency and day, incremented by
one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite ≥ 3.35). The row stays locked until
the transaction ends, so two allocations never see the same number, and a rolled-back dossier gives its number
back: no gaps, no duplicates, and no race between two first creators of a row.

On PostgreSQL :func:`store_received` allocates the number, inserts the dossier and its first timeline line in
*one* statement (data-modifying CTEs): the counter row is then locked for that statement, the audit entry and
the commit only, and the intake makes two round trips fewer (bench/README.md, dossier intake). The code is
formatted there with the rule of :func:`~lienthong.onestop.codes.format_dossier_code` (at least four digits);
a test holds both to the same answers.
"""

from __future__ import annotations

import functools
from datetime import date

from django.db import connection, transaction

from lienthong.core.rows import insert, insert_columns, insert_values, mark_inserted
from lienthong.directory.models import Agency

from .codes import SEQUENCE_WIDTH, format_dossier_code
from .models import Dossier, DossierCodeCounter, DossierEvent


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


def store_received(dossier: Dossier, event: DossierEvent, day: date) -> None:
    """Give ``dossier`` the next code of its agency for ``day``, insert it, then ``event`` as its first timeline
    line; inside the caller's transaction. Both objects come back as the ORM leaves rows it has inserted."""
    if connection.vendor != "postgresql":
        dossier.code = allocate_code(dossier.agency, day)
        insert(dossier)
        event.dossier = dossier
        insert(event)
        return
    # The code is computed by the statement; a placeholder keeps the code column's parameter in its place.
    dossier.code = ""
    event.dossier_id = 0
    dossier_values = insert_values(dossier)
    event_values = insert_values(event)
    code_at, event_dossier_at = _placeholders()
    del dossier_values[code_at]
    del event_values[event_dossier_at]
    prefix = f"{dossier.agency.code}-{day:%y%m%d}-"
    with connection.cursor() as cursor:
        cursor.execute(_one_statement(), [dossier.agency.pk, day, prefix, *dossier_values, *event_values])
        row = cursor.fetchone()
    assert row is not None
    dossier_id, dossier.code, event_id = row
    mark_inserted(dossier, dossier_id)
    event.dossier = dossier
    mark_inserted(event, event_id)


@functools.cache
def _placeholders() -> tuple[int, int]:
    """Where the dossier's code and the event's dossier sit among the columns :func:`insert_values` returns."""
    quote = connection.ops.quote_name
    return (
        insert_columns(Dossier).index(quote("code")),
        insert_columns(DossierEvent).index(quote("dossier_id")),
    )


@functools.cache
def _one_statement() -> str:
    quote = connection.ops.quote_name
    code_at, event_dossier_at = _placeholders()
    dossier_columns = insert_columns(Dossier)
    dossier_exprs = ["%s"] * len(dossier_columns)
    # lpad to at least SEQUENCE_WIDTH digits, longer once the number has more: format_dossier_code's rule.
    dossier_exprs[code_at] = (
        f"%s || lpad(n.last_number::text, greatest({SEQUENCE_WIDTH}, length(n.last_number::text)), '0')"
    )
    # The prefix parameter comes first among the dossier's, wherever the code column is.
    dossier_exprs = [dossier_exprs[code_at]] + [e for i, e in enumerate(dossier_exprs) if i != code_at]
    dossier_columns = [dossier_columns[code_at]] + [c for i, c in enumerate(dossier_columns) if i != code_at]
    event_columns = insert_columns(DossierEvent)
    event_exprs = ["%s"] * len(event_columns)
    event_exprs[event_dossier_at] = "d.id"
    return (
        f"WITH n AS ({_counter_upsert()}), "
        f"d AS (INSERT INTO {quote(Dossier._meta.db_table)} ({', '.join(dossier_columns)}) "
        f"SELECT {', '.join(dossier_exprs)} FROM n RETURNING id, code), "
        f"e AS (INSERT INTO {quote(DossierEvent._meta.db_table)} ({', '.join(event_columns)}) "
        f"SELECT {', '.join(event_exprs)} FROM d RETURNING id) "
        "SELECT d.id, d.code, e.id FROM d, e"
    )
