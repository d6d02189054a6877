"""The hash chain of the audit log, as pure functions (no Django).

Each entry's hash covers its canonical content and the previous entry's hash, so changing, removing or
re-ordering any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_bytes(content: Mapping[str, Any]) -> bytes:
    """The one byte form of an entry's content: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical_bytes(content)).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain stops being intact, and why."""

    entry_id: int
    reason: str


def first_break(entries: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> Break | None:
    """Walk ``(id, prev_hash, hash, content)`` in order and return the first entry that does not fit."""
    expected_prev = GENESIS_HASH
    for entry_id, prev_hash, stored_hash, content in entries:
        if prev_hash != expected_prev:
            return Break(
                entry_id, "prev_hash does not match the previous entry (an entry was removed or moved)"
            )
        if entry_hash(prev_hash, content) != stored_hash:
            return Break(entry_id, "content does not match its hash (the entry was changed)")
        expected_prev = stored_hash
    return None
