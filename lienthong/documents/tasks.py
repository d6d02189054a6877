"""Background work of the documents app: the text of each final PDF, for full-text search.

``pdftotext`` (poppler-utils) reads the text layer; a scan without one gives empty text (OCR is not done
here). The task runs after the transaction that stored the document commits, in the worker
(``lienthong worker``); if the queue cannot take it, the document is simply not searchable by content yet.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

from django.db import transaction
from django_tasks import task

from lienthong.core import files as storage

logger = logging.getLogger("lienthong.documents")

#: Largest text kept per document; longer texts are cut (the search needs words, not whole books).
MAX_TEXT = 1_000_000
_TIMEOUT_SECONDS = 60


def pdf_text(data: bytes) -> str:
    """The text layer of ``data`` as ``pdftotext`` reads it (UTF-8, page breaks as form feeds removed)."""
    binary = shutil.which("pdftotext")
    if binary is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        [binary, "-enc", "UTF-8", "-q", "-", "-"],
        input=data,
        capture_output=True,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise ValueError(done.stderr.decode("utf-8", "replace")[:500])
    return done.stdout.decode("utf-8", "replace").replace("\f", "\n").strip()[:MAX_TEXT]


def extract_now(kind: str, pk: int) -> bool:
    """Fill ``extracted_text`` of the outgoing (final copy) or incoming document ``pk``; ``False`` if gone."""
    from .models import IncomingDocument, OutgoingDocument
    from .services.text import store_extracted_text

    model = OutgoingDocument if kind == "outgoing" else IncomingDocument
    row = model.objects.filter(pk=pk).first()
    if row is None:
        return False
    if isinstance(row, OutgoingDocument):
        sha256, name = row.current_file()
    else:
        sha256, name = row.sha256, row.storage_name
    text = pdf_text(storage.read(name, sha256))
    return store_extracted_text(kind, pk, text)


@task()
def extract_pdf_text(kind: str, pk: int) -> bool:
    return extract_now(kind, pk)


def schedule_text_extraction(kind: str, pk: int) -> None:
    """Queue the extraction once the current transaction commits."""

    def enqueue() -> None:
        try:
            extract_pdf_text.enqueue(kind, pk)
        except Exception:  # the document stays valid without its text; log and move on
            logger.exception("could not queue text extraction of %s %s", kind, pk)

    transaction.on_commit(enqueue)
