"""Writing the audit log. Every service that changes state calls :func:`record` inside its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from lienthong.core.rows import insert, mark_inserted

from .chain import GENESIS_HASH, canonical_bytes, entry_hash
from .models import AuditEntry, content_of

# Any constant works: it only names the lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 0x4C54_4155  # "LTAU"


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


SYSTEM = "hệ thống"


# Values that are already plain, by exact type: most of every change set, checked before the slower isinstance
# tests (an ABC check costs more than the whole conversion of a number).
_ALREADY_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _ALREADY_PLAIN:
        return value
    if kind is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list:
        return [_plain(v) for v in value]
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _entry_fields(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    changes: Mapping[str, Any] | None,
    agency_code: str,
) -> dict[str, Any]:
    return {
        "at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor": actor.get_username() if actor is not None else SYSTEM,
        "agency_code": agency_code,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label[:300],
        "changes": _plain(dict(changes or {})),
    }


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: Model,
    changes: Mapping[str, Any] | None = None,
    agency_code: str = "",
) -> AuditEntry:
    """Append one entry for ``action`` on ``obj``; must run inside the caller's transaction.

    ``actor`` is the signed-in person or ``None`` for the system itself (demo loader, worker, imports run
    from the command line without a person).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction that makes the change")
    entry = AuditEntry(
        **_entry_fields(
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj),
            changes=changes,
            agency_code=agency_code,
        )
    )
    if connection.vendor == "postgresql":
        return _append_on_postgresql(entry)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        # Plain SQL: this runs in every audited write, where building the query costs more than running it.
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    entry.prev_hash = row[0] if row else GENESIS_HASH
    entry.hash = entry_hash(entry.prev_hash, entry.content())
    # AuditEntry.save() refuses updates; insert() only ever adds the row.
    return insert(entry)


#: The first argument of ``audit_append`` (migration 0003) for a statement that calls it itself.
CHAIN_LOCK_KEY = _CHAIN_LOCK_KEY


def entry_text(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    changes: Mapping[str, Any] | None = None,
    agency_code: str = "",
) -> str:
    """The canonical text :func:`record` would hash for an object the same statement inserts (PostgreSQL).

    The statement inserts the object and appends the entry at once, so the object's key and whatever the
    statement computes (a dossier's code) are not known here: the caller passes stand-ins — unique strings that
    need no JSON escaping — and the statement replaces them in this text before it calls
    ``audit_append(CHAIN_LOCK_KEY, text)``. What is
    hashed and stored is then exactly what :func:`record` would have written with the real values.
    """
    fields = _entry_fields(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changes=changes,
        agency_code=agency_code,
    )
    # The content straight from the values: building an AuditEntry only to read them back costs more than
    # the rest of the text (this runs on every intake).
    return canonical_bytes(content_of(fields)).decode()


def _append_on_postgresql(entry: AuditEntry) -> AuditEntry:
    """One call of the ``audit_append`` function (migration 0003): lock, head, hash and insert in one round trip.

    The function hashes exactly the canonical text sent here, with the formula of :func:`entry_hash`, and
    fills the row from it; the verifier recomputes the hash in Python from the stored row.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT entry_id, entry_prev_hash, entry_hash FROM audit_append(%s, %s)",
            [CHAIN_LOCK_KEY, canonical_bytes(entry.content()).decode()],
        )
        row = cursor.fetchone()
    assert row is not None
    entry.prev_hash, entry.hash = row[1], row[2]
    return mark_inserted(entry, row[0])
