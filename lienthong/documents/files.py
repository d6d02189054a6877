"""Files of documents in the content-addressed store: put before the transaction, read back checked."""

from __future__ import annotations

from lienthong.core import files as storage


def put_pdf(data: bytes) -> storage.StoredFile:
    """Store checked PDF bytes once under their SHA-256 (before any lock is taken).

    Bytes stored for an action whose transaction then fails stay unreferenced; they are never served, and the
    same bytes stored again reuse them.
    """
    return storage.store(data, storage.PDF)


def read_pdf(storage_name: str, sha256: str) -> bytes:
    """The stored bytes, refused (``hash_mismatch``) if they no longer match the hash recorded."""
    return storage.read(storage_name, sha256)
