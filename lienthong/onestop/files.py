"""The files of a dossier: the components the applicant hands in, supplements, and the result.

Every file is checked by its content (:func:`lienthong.core.files.check_upload`) before anything is stored,
then stored once under its SHA-256. The dossier row keeps the hash, size and detected type, so a stored file
can be checked against what was received.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from lienthong.core import files as storage
from lienthong.core.errors import DomainError
from lienthong.core.rows import insert_many

from .models import Dossier, DossierFile, FileKind

_TITLE_MAX = 300
_NAME_MAX = 255
#: How many components one intake may carry.
MAX_COMPONENTS = 30


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: what the paper is (title), the sender's file name, and the bytes."""

    title: str
    file_name: str
    data: bytes

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], field: str) -> Upload:
        """From an API body: ``title``, ``file_name`` and ``content_base64``."""
        raw = storage.decode_base64(data.get("content_base64") or "", field=f"{field}.content_base64")
        return cls(title=str(data.get("title") or ""), file_name=str(data.get("file_name") or ""), data=raw)


def _clean_text(value: str, *, field: str, limit: int, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(
            message=_("%(label)s không được để trống.") % {"label": label}, rule="required", field=field
        )
    if len(text) > limit:
        raise DomainError(
            message=_("%(label)s không được dài quá %(n)d ký tự.") % {"label": label, "n": limit},
            rule="max_length",
            field=field,
        )
    return text


def check_uploads(uploads: Sequence[Upload], field: str) -> list[tuple[Upload, str]]:
    """Check every upload (title, name, content) before any is stored; each paired with its detected type."""
    if len(uploads) > MAX_COMPONENTS:
        raise DomainError(
            message=_("Một hồ sơ có tối đa %(n)d tệp thành phần.") % {"n": MAX_COMPONENTS},
            rule="max_items",
            field=field,
        )
    checked: list[tuple[Upload, str]] = []
    for index, upload in enumerate(uploads):
        where = f"{field}[{index}]"
        title = _clean_text(upload.title, field=f"{where}.title", limit=_TITLE_MAX, label=_("Tên giấy tờ"))
        name = _clean_text(upload.file_name, field=f"{where}.file_name", limit=_NAME_MAX, label=_("Tên tệp"))
        content_type = storage.check_upload(upload.data, field=f"{where}.content_base64")
        checked.append(
            (
                Upload(title=title, file_name=name.replace("/", "_").replace("\\", "_"), data=upload.data),
                content_type,
            )
        )
    return checked


def put_in_storage(checked: Iterable[tuple[Upload, str]]) -> list[tuple[Upload, storage.StoredFile]]:
    """Write checked uploads to the file store (by hash), before the transaction takes any lock.

    A file stored for a dossier whose transaction then fails stays in the store unreferenced; it is never
    served, and the same bytes arriving again reuse it.
    """
    return [(upload, storage.store(upload.data, content_type)) for upload, content_type in checked]


_KINDS = frozenset(FileKind.values)


def file_rows(
    dossier: Dossier, stored: Iterable[tuple[Upload, storage.StoredFile]], *, kind: str, by: str, at: datetime
) -> list[DossierFile]:
    """The dossier's rows, not yet inserted, for files already in the store."""
    if kind not in _KINDS:
        raise ValueError(kind)
    return [
        DossierFile(
            dossier=dossier,
            kind=kind,
            title=upload.title,
            file_name=upload.file_name,
            sha256=saved.sha256,
            size=saved.size,
            content_type=saved.content_type,
            storage_name=saved.storage_name,
            uploaded_at=at,
            uploaded_by=by,
        )
        for upload, saved in stored
    ]


def attach_files(
    dossier: Dossier, stored: Iterable[tuple[Upload, storage.StoredFile]], *, kind: str, by: str, at: datetime
) -> list[DossierFile]:
    """The dossier's rows for files already in the store (inside the caller's transaction)."""
    return insert_many(file_rows(dossier, stored, kind=kind, by=by, at=at))


def store_files(
    dossier: Dossier, checked: Iterable[tuple[Upload, str]], *, kind: str, by: str, at: datetime
) -> list[DossierFile]:
    """Store checked uploads and attach them to ``dossier`` (inside the caller's transaction)."""
    return attach_files(dossier, put_in_storage(checked), kind=kind, by=by, at=at)


def file_summary(rows: Iterable[DossierFile]) -> list[dict[str, Any]]:
    """What the audit log keeps of stored files: title, hash, size and type."""
    return [
        {"title": f.title, "sha256": f.sha256, "size": f.size, "content_type": f.content_type} for f in rows
    ]


def read_file(row: DossierFile) -> bytes:
    """The stored bytes of a dossier file, checked against the hash recorded when it arrived."""
    return storage.read(row.storage_name, row.sha256)
