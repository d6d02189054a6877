"""Incoming documents entering an agency's incoming register: from an agency on the platform (at the moment
the sender issues), from the exchange, or by the clerk from a scan or a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core import files as storage
from lienthong.core.errors import Conflict, DomainError
from lienthong.core.text import fold
from lienthong.directory.codes import is_agency_code
from lienthong.directory.models import Agency, Person, Role

from .. import verification
from ..models import (
    Direction,
    DocumentType,
    IncomingAttachment,
    IncomingDocument,
    IncomingSource,
    Secrecy,
    Urgency,
)
from ..numbering import parse_number_notation
from ..pdfs import check_pdf, inspect_pdf
from ..search import refresh_search_text
from ..signals import incoming_registered
from ..tasks import schedule_text_extraction
from .common import announce, audit, clean_text, require_person, require_role
from .registers import take_number

_FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class IncomingFile:
    """A file that came with the document (any type the platform accepts by content)."""

    title: str
    file_name: str
    data: bytes


@dataclass(frozen=True)
class IncomingContent:
    """What the clerk reads off the document (or the exchange off the package)."""

    issuer_name: str
    document_date: date
    subject: str
    pdf: bytes
    file_name: str = ""
    issuer_code: str = ""
    number_notation: str = ""
    document_type: DocumentType | str | None = None
    summary: str = ""
    urgency: str = Urgency.NORMAL
    secrecy: str = Secrecy.NONE
    signer_name: str = ""
    signer_position: str = ""
    reply_due: date | None = None
    received_at: datetime | None = None
    attachments: Sequence[IncomingFile] = ()


def _type(value: DocumentType | str | None) -> DocumentType | None:
    if isinstance(value, DocumentType):
        return value
    if not value:
        return None
    found = DocumentType.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise DomainError(
            message=_("Loại văn bản “%(code)s” không có trong danh mục.") % {"code": str(value)[:20]},
            rule="unknown_document_type",
            field="document_type",
        )
    return found


def _duplicate(
    agency: Agency, issuer_code: str, issuer_name: str, number: str, notation: str, day: date, year: int
) -> IncomingDocument | None:
    """The document already in this year's register with the same issuer, number and notation, and date."""
    candidates = IncomingDocument.objects.filter(
        agency=agency,
        source_number=number,
        source_notation=notation,
        document_date=day,
        register__year=year,
    ).order_by("id")
    if issuer_code:
        return candidates.filter(issuer_code=issuer_code).first()
    folded = fold(issuer_name)
    return next((doc for doc in candidates if fold(doc.issuer_name) == folded), None)


def create_incoming(
    *,
    agency: Agency,
    source: str,
    received_at: datetime,
    registered_by: Person | None,
    secret: bool,
    fields: dict[str, Any],
) -> IncomingDocument:
    """Number and save an incoming document inside the caller's transaction (no audit, no event: the caller
    writes them once its slow work is done)."""
    register, number = take_number(agency, timezone.localdate(received_at).year, Direction.INCOMING, secret)
    row = IncomingDocument(
        agency=agency,
        register=register,
        arrival_number=number,
        received_at=received_at,
        source=source,
        registered_by=registered_by,
        **fields,
    )
    refresh_search_text(row)
    row.save()
    return row


def record_arrival(actor: Person | None, row: IncomingDocument) -> None:
    """Audit entry and (after commit) the ``incoming_registered`` event and text extraction for ``row``."""
    audit(
        actor,
        "incoming.register",
        row,
        row.agency,
        {
            "source": row.source,
            "arrival_number": row.arrival_number,
            "register": row.register_id,
            "issuer": row.issuer_code or row.issuer_name,
            "number_notation": row.number_notation,
            "document_date": row.document_date,
            "sha256": row.sha256,
            "signature_status": row.signature_status,
            "duplicate_of": row.duplicate_of_id,
        },
    )
    announce(incoming_registered, IncomingDocument, document=row, source=row.source)
    schedule_text_extraction("incoming", row.pk)


def register_incoming(
    *,
    actor: Person | None,
    agency: Agency,
    content: IncomingContent,
    source: str = IncomingSource.MANUAL,
    confirm_duplicate: bool = False,
) -> IncomingDocument:
    """Enter a document in ``agency``'s incoming register with the next incoming number.

    The clerk (``source="manual"``) uploads a PDF — a scan is a PDF; images are refused with a request for
    a PDF — that may carry no signature ("không có chữ ký số"). The exchange registers with ``actor=None``
    and ``source="exchange"``. The same issuer, number and notation and date already registered this year is
    a conflict naming the earlier entry, unless ``confirm_duplicate`` says this is another copy (it is then
    registered and linked to the earlier one).
    """
    if source not in (IncomingSource.MANUAL, IncomingSource.EXCHANGE):
        raise DomainError(message=_("Nguồn văn bản đến không hợp lệ."), rule="choice", field="source")
    if actor is not None or source == IncomingSource.MANUAL:
        actor = require_person(actor)
        require_role(
            actor,
            agency,
            (Role.CLERK,),
            rule="clerk_role_required",
            message=_("Chỉ văn thư của %(agency)s được vào sổ văn bản đến.") % {"agency": agency.name},
        )
    issuer_code = (content.issuer_code or "").strip()
    if issuer_code and not is_agency_code(issuer_code):
        raise DomainError(
            message=_("Mã định danh “%(code)s” sai định dạng: phải là NNN.NN.NN.XNN.")
            % {"code": issuer_code[:20]},
            rule="agency_code_shape",
            field="issuer_code",
        )
    issuer = Agency.objects.filter(code=issuer_code).first() if issuer_code else None
    issuer_name = clean_text(
        content.issuer_name or (issuer.name if issuer else ""),
        field="issuer_name",
        label=_("Cơ quan ban hành"),
        limit=300,
    )
    subject = clean_text(content.subject, field="subject", label=_("Trích yếu"), limit=500)
    summary = clean_text(content.summary, field="summary", label=_("Tóm tắt"), limit=100_000, required=False)
    printed = clean_text(
        content.number_notation, field="number_notation", label=_("Số, ký hiệu"), limit=80, required=False
    )
    number, notation = "", ""
    if printed:
        try:
            number, notation = parse_number_notation(printed)
        except ValueError:
            raise DomainError(
                message=_("Số, ký hiệu phải có dạng số/ký hiệu, ví dụ 05/QĐ-UBND."),
                rule="number_notation_shape",
                field="number_notation",
            ) from None
    if content.urgency not in Urgency.values:
        raise DomainError(message=_("Độ khẩn không hợp lệ."), rule="choice", field="urgency")
    if content.secrecy not in Secrecy.values:
        raise DomainError(message=_("Độ mật không hợp lệ."), rule="choice", field="secrecy")
    now = timezone.now()
    received = content.received_at or now
    if received > now + _FUTURE_TOLERANCE:
        raise DomainError(
            message=_("Ngày đến không được ở tương lai."), rule="not_future", field="received_at"
        )
    if content.document_date > timezone.localdate(received):
        raise DomainError(
            message=_("Ngày văn bản không được sau ngày đến."), rule="after_arrival", field="document_date"
        )
    document_type = _type(content.document_type)
    signer_name = clean_text(
        content.signer_name, field="signer_name", label=_("Người ký"), limit=150, required=False
    )
    signer_position = clean_text(
        content.signer_position, field="signer_position", label=_("Chức vụ"), limit=150, required=False
    )
    file_name = clean_text(
        content.file_name or "van-ban.pdf", field="file_name", label=_("Tên tệp"), limit=255
    )
    check_pdf(content.pdf, field="pdf")
    facts = inspect_pdf(content.pdf, field="pdf")
    if len(content.attachments) > MAX_ATTACHMENTS:
        raise DomainError(message=_("Quá nhiều tệp đính kèm."), rule="max_items", field="attachments")
    extra = []
    for index, item in enumerate(content.attachments):
        where = f"attachments[{index}]"
        kind = storage.check_upload(item.data, field=f"{where}.content")
        extra.append(
            (
                clean_text(item.title, field=f"{where}.title", label=_("Tên tài liệu"), limit=300),
                clean_text(item.file_name, field=f"{where}.file_name", label=_("Tên tệp"), limit=255),
                item.data,
                kind,
            )
        )
    _report, report, status = verification.check(content.pdf)
    stored = storage.store(content.pdf, storage.PDF)
    stored_extra = [(title, name, storage.store(data, kind)) for title, name, data, kind in extra]

    with transaction.atomic():
        earlier = (
            _duplicate(
                agency,
                issuer_code,
                issuer_name,
                number,
                notation,
                content.document_date,
                timezone.localdate(received).year,
            )
            if printed
            else None
        )
        if earlier is not None and not confirm_duplicate:
            raise Conflict(
                _(
                    "Văn bản %(printed)s ngày %(day)s của %(issuer)s đã vào sổ đến số %(arrival)s lúc %(at)s. "
                    "Nếu đây là một bản khác của cùng văn bản, hãy xác nhận để vào sổ."
                )
                % {
                    "printed": printed,
                    "day": content.document_date.strftime("%d/%m/%Y"),
                    "issuer": issuer_name,
                    "arrival": f"{earlier.arrival_number:02d}",
                    "at": timezone.localtime(earlier.received_at).strftime("%d/%m/%Y %H:%M"),
                },
                rule="duplicate_incoming",
                field="number_notation",
            )
        row = create_incoming(
            agency=agency,
            source=source,
            received_at=received,
            registered_by=actor,
            secret=content.secrecy != Secrecy.NONE,
            fields={
                "issuer_code": issuer_code,
                "issuer_name": issuer_name,
                "issuer": issuer,
                "source_number": number,
                "source_notation": notation,
                "document_date": content.document_date,
                "document_type": document_type,
                "subject": subject,
                "summary": summary,
                "urgency": content.urgency,
                "secrecy": content.secrecy,
                "signer_name": signer_name,
                "signer_position": signer_position,
                "reply_due": content.reply_due,
                "duplicate_of": earlier,
                "sha256": stored.sha256,
                "storage_name": stored.storage_name,
                "size": stored.size,
                "file_name": file_name,
                "page_count": facts.page_count,
                "signature_report": report,
                "signature_status": status,
            },
        )
        IncomingAttachment.objects.bulk_create(
            [
                IncomingAttachment(
                    document=row,
                    position=index,
                    title=title,
                    file_name=name,
                    sha256=saved.sha256,
                    storage_name=saved.storage_name,
                    size=saved.size,
                    content_type=saved.content_type,
                )
                for index, (title, name, saved) in enumerate(stored_extra)
            ]
        )
        record_arrival(actor, row)
    return row
