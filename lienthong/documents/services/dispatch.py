"""Dispatch of an issued document, inside the issuing transaction.

Recipients on the platform receive it at once: an incoming document in their own incoming register (their own
number), with the signature report of the issued file and the link back. Recipients outside the platform wait
in the outbound queue (:class:`OutboundDelivery`, "chờ gửi") that the exchange drains. A reply completes the
incoming document it answers, when the drafter asked for that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from lienthong.directory.models import Person
from lienthong.signing.validation import PdfReport

from .. import verification
from ..models import (
    IncomingAttachment,
    IncomingDocument,
    IncomingSource,
    IncomingStatus,
    OutboundDelivery,
    OutgoingAttachment,
    OutgoingDocument,
    QueueStatus,
    SignatureStatus,
)
from .common import audit
from .drafts import signature_title
from .incoming import create_incoming, record_arrival


def _incoming_fields(document: OutgoingDocument, report: PdfReport | None) -> dict[str, Any]:
    assert document.number is not None and document.issue_date is not None
    status = verification.status_of(report) if report is not None else SignatureStatus.UNSIGNED
    return {
        "issuer_code": document.agency.code,
        "issuer_name": document.agency.name,
        "issuer": document.agency,
        "source_number": f"{document.number:02d}",
        "source_notation": document.notation,
        "document_date": document.issue_date,
        "document_type": document.document_type,
        "subject": document.subject,
        "summary": document.summary,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "signer_name": document.signer.full_name,
        "signer_position": signature_title(
            document.authority_prefix, document.authority_of, document.signer_position
        ).replace("\n", " "),
        "reply_due": document.reply_due,
        "outgoing": document,
        "sha256": document.issued_sha256,
        "storage_name": document.issued_storage_name,
        "size": document.issued_size,
        "file_name": f"{document.number:02d}-{document.notation}.pdf".replace("/", "_"),
        "page_count": document.page_count,
        "signature_report": report.as_dict() if report is not None else {},
        "signature_status": status,
    }


def dispatch(
    document: OutgoingDocument,
    *,
    actor: Person,
    report: PdfReport | None,
    at: datetime,
    attachments: Sequence[tuple[OutgoingAttachment, bytes]],
) -> list[IncomingDocument]:
    """Deliver ``document`` (just issued, in the caller's transaction); the incoming documents created."""
    delivered: list[IncomingDocument] = []
    recipients = list(document.recipients.select_related("agency").order_by("agency_id", "id"))
    # Incoming registers are locked in agency order, so two documents issued at once to overlapping
    # recipients never wait on each other in a cycle.
    for recipient in recipients:
        if recipient.is_external or recipient.agency is None:
            OutboundDelivery.objects.create(recipient=recipient, status=QueueStatus.WAITING, enqueued_at=at)
            continue
        incoming = create_incoming(
            agency=recipient.agency,
            source=IncomingSource.PLATFORM,
            received_at=at,
            registered_by=None,
            secret=document.is_secret,
            fields=_incoming_fields(document, report),
        )
        IncomingAttachment.objects.bulk_create(
            [
                IncomingAttachment(
                    document=incoming,
                    position=item.position,
                    title=item.title,
                    file_name=item.file_name,
                    sha256=item.issued_sha256,
                    storage_name=item.issued_storage_name,
                    size=len(data),
                )
                for item, data in attachments
            ]
        )
        recipient.incoming = incoming
        recipient.save(update_fields=["incoming"])
        delivered.append(incoming)
    _complete_answered(document, actor, at)
    for incoming in delivered:
        record_arrival(None, incoming)
    return delivered


def _complete_answered(document: OutgoingDocument, actor: Person, at: datetime) -> None:
    """Issuing a reply completes the incoming document it answers (unless the drafter said not to)."""
    answered = document.reply_to
    if answered is None or not document.completes_reply:
        return
    answered = IncomingDocument.objects.select_for_update().get(pk=answered.pk)
    if answered.status == IncomingStatus.COMPLETED:
        return
    answered.status = IncomingStatus.COMPLETED
    answered.completed_at = at
    answered.completed_by = None
    answered.completed_by_reply = document
    answered.result_note = _("Đã trả lời bằng văn bản số %(number)s.") % {"number": document.number_notation}
    answered.save(
        update_fields=[
            "status",
            "completed_at",
            "completed_by",
            "completed_by_reply",
            "result_note",
            "updated_at",
        ]
    )
    audit(
        actor,
        "incoming.complete",
        answered,
        answered.agency,
        {"reply": document.pk, "reply_number": document.number_notation, "by_issue": True},
    )
