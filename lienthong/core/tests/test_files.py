"""Files are judged by their bytes, never by their names, and stored once under their SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.test import override_settings

from lienthong.core import files
from lienthong.core.errors import DomainError

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (MINIMAL_PDF, files.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, files.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, files.JPEG),
        (_zip(["[Content_Types].xml", "word/document.xml"]), files.DOCX),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), files.XLSX),
        (b'\xef\xbb\xbf<?xml version="1.0"?><edXML/>', files.XML),
        (_zip(["readme.txt"]), None),
        (b"MZ\x90\x00", None),
        (b"%PDF-1.7 but cut off", None),
    ],
)
def test_the_type_comes_from_the_content(data: bytes, expected: str | None) -> None:
    assert files.sniff_content_type(data) == expected


def test_an_empty_or_oversized_upload_names_the_field() -> None:
    with pytest.raises(DomainError) as empty:
        files.check_upload(b"", field="components[0]")
    assert (empty.value.rule, empty.value.field) == ("empty_file", "components[0]")
    with override_settings(LIENTHONG_UPLOAD_MAX_BYTES=10), pytest.raises(DomainError) as big:
        files.check_upload(MINIMAL_PDF, field="result")
    assert big.value.rule == "max_size"


def test_a_type_the_procedure_does_not_accept_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        files.check_upload(b"\x89PNG\r\n\x1a\n....", field="f", allowed=("pdf",))
    assert refused.value.rule == "file_type"


def test_stored_bytes_come_back_and_a_changed_file_is_caught(tmp_path, settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "lienthong.core.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    stored = files.store(MINIMAL_PDF, files.PDF)
    again = files.store(MINIMAL_PDF, files.PDF)
    assert stored == again and stored.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert files.read(stored.storage_name, stored.sha256) == MINIMAL_PDF
    (tmp_path / stored.storage_name).write_bytes(MINIMAL_PDF + b" ")
    with pytest.raises(DomainError) as changed:
        files.read(stored.storage_name, stored.sha256)
    assert changed.value.rule == "hash_mismatch"


@pytest.mark.parametrize(
    "value",
    [
        "QUI",  # padding missing
        "QU\nJD",  # a line break inside
        "QUJD\n",  # a line break at the end
        "-_-_",  # the URL-safe alphabet
        "QUJDé",  # not ASCII
        "QUJD====",  # padding past the end
    ],
)
def test_a_file_in_anything_but_padded_standard_base64_is_refused_naming_the_field(value: str) -> None:
    with pytest.raises(DomainError) as refused:
        files.decode_base64(value, field="components[0].content_base64")
    assert (refused.value.rule, refused.value.field) == ("base64", "components[0].content_base64")


def test_padded_standard_base64_gives_the_file_bytes_back() -> None:
    assert files.decode_base64("QUJD", field="f") == b"ABC"
    assert files.decode_base64("QUI=", field="f") == b"AB"
    assert files.decode_base64("", field="f") == b""
