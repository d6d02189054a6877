"""The text read from a document's PDF, kept for search.

Not audited: the text is derived from a file that is already audited and can be read again at any time; it
changes no decision about the document.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import IncomingDocument, OutgoingDocument
from ..search import refresh_search_text


def store_extracted_text(kind: str, pk: int, text: str) -> bool:
    """Keep ``text`` as the extracted text of the outgoing or incoming document ``pk``; ``False`` if it is gone.

    The row is locked and read again, so a service saving it meanwhile is neither overwritten nor left with a
    search text that lacks the body.
    """
    model: type[OutgoingDocument] | type[IncomingDocument] = (
        OutgoingDocument if kind == "outgoing" else IncomingDocument
    )
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).select_related("agency", "document_type")
        row = locked.filter(pk=pk).first()
        if row is None:
            return False
        row.extracted_text = text
        row.text_extracted_at = timezone.now()
        refresh_search_text(row)
        row.save(update_fields=["extracted_text", "text_extracted_at", "search_text"])
    return True
