"""What the documents API answers: output schemas and the functions that fill them from rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from lienthong.directory.models import Person

from .. import selectors
from ..models import (
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    Secrecy,
    SignatureStatus,
    Urgency,
    WorkFile,
)
from .schemas import Label, PersonRef, Ref


class RecipientOut(Schema):
    agency_code: str
    name: str
    external: bool = Field(description="true: gửi qua trục liên thông.")
    state: str = Field(
        description="delivered (đã chuyển trên hệ thống), waiting (chờ gửi), sending, sent, failed, not_issued."
    )
    state_label: str
    incoming_id: int | None = Field(description="Văn bản đến đã tạo ở nơi nhận (cùng hệ thống).")


class AttachmentOut(Schema):
    title: str
    file_name: str
    size: int
    sha256: str
    issued_sha256: str = Field(description="Băm của bản đã ký số cơ quan (rỗng khi chưa phát hành).")


class StepOut(Schema):
    stage: str = Field(description="review (thẩm định) hoặc signature (trình ký).")
    assignee: PersonRef
    submitted_by: PersonRef
    submitted_at: datetime
    document_version: int
    decision: str = Field(description="pending, approved, returned, signed.")
    note: str
    decided_at: datetime | None


class FileOut(Schema):
    sha256: str
    url: str = Field(description="Tải bản mới nhất (đã phát hành, đã ký, hoặc dự thảo).")


class OutgoingOut(Schema):
    id: int
    agency: Ref
    status: Label
    version: int
    document_type: Label
    subject: str
    summary: str
    drafter: PersonRef
    drafting_unit: str | None
    signer: PersonRef
    signer_position: str
    authority_prefix: str
    authority_of: str
    urgency: Label
    secrecy: Label
    reply_due: date | None
    reply_to: int | None
    place: str
    pdf_source: str = Field(description="uploaded (tải lên) hoặc rendered (hệ thống tạo).")
    page_count: int
    layout: dict[str, Any] = Field(description="Vị trí số, ngày, chữ ký (điểm PDF).")
    personal_signed_at: datetime | None
    number: int | None = Field(description="Số văn bản, chỉ có sau khi phát hành.")
    notation: str
    number_notation: str = Field(description="Ví dụ 05/QĐ-UBND.")
    identifier: str = Field(description="{mã cơ quan},{yyyy/MM/dd},{số}/{ký hiệu} — mã văn bản trên trục.")
    issue_date: date | None
    issued_at: datetime | None
    recipients: list[RecipientOut]
    attachments: list[AttachmentOut]
    steps: list[StepOut]
    file: FileOut


class AssignmentOut(Schema):
    person: PersonRef | None
    unit: Ref | None
    role: str = Field(description="main (chủ trì) hoặc cooperating (phối hợp).")
    due_at: datetime
    note: str
    assigned_by: PersonRef
    assigned_at: datetime
    is_active: bool


class NoteOut(Schema):
    kind: str
    author: PersonRef
    text: str
    at: datetime


class SignatureOut(Schema):
    status: Label = Field(description="unsigned, valid_trusted, valid_untrusted, invalid.")
    report: dict[str, Any] = Field(
        description="Kết quả kiểm tra từng chữ ký (người ký, chứng thư, toàn vẹn, tin cậy…)."
    )


class IncomingOut(Schema):
    id: int
    agency: Ref
    register_year: int
    secret_register: bool
    arrival_number: int = Field(description="Số đến trong sổ văn bản đến của năm.")
    received_at: datetime
    source: str = Field(description="platform, manual, exchange.")
    issuer: Ref
    number_notation: str
    document_date: date
    document_type: str | None
    subject: str
    summary: str
    urgency: Label
    secrecy: Label
    signer_name: str
    signer_position: str
    reply_due: date | None
    outgoing_id: int | None
    duplicate_of: int | None
    signature: SignatureOut
    status: Label
    processing_due: datetime | None
    timeliness: str | None = Field(description="on_time, late (đã xong); within_time, overdue (đang xử lý).")
    assignments: list[AssignmentOut]
    notes: list[NoteOut]
    completed_at: datetime | None
    result_note: str
    reply_id: int | None
    file: FileOut


class ItemOut(Schema):
    ordinal: int
    kind: str
    id: int
    label: str


class WorkFileOut(Schema):
    id: int
    agency: Ref
    year: int
    code: str
    file_code: str = Field(description="Mã hồ sơ: {mã cơ quan}.{năm}.{ký hiệu}.")
    title: str
    description: str
    retention: str
    retention_years: int | None = Field(description="Số năm bảo quản; null là vĩnh viễn.")
    responsible_unit: str | None
    responsible_person: PersonRef | None
    status: str = Field(description="open hoặc closed.")
    items: list[ItemOut]


class TypeOut(Schema):
    code: str
    name: str
    abbreviation: str


def person(p: Person | None) -> dict[str, str] | None:
    return {"username": p.get_username(), "full_name": p.full_name} if p is not None else None


def outgoing_out(d: OutgoingDocument) -> dict[str, Any]:
    sha256, _name = d.current_file()
    return {
        "id": d.pk,
        "agency": {"code": d.agency.code, "name": d.agency.name},
        "status": {"code": d.status, "label": str(OutgoingStatus(d.status).label)},
        "version": d.version,
        "document_type": {"code": d.document_type.code, "label": d.document_type.name},
        "subject": d.subject,
        "summary": d.summary,
        "drafter": person(d.drafter),
        "drafting_unit": d.drafting_unit.code if d.drafting_unit else None,
        "signer": person(d.signer),
        "signer_position": d.signer_position,
        "authority_prefix": d.authority_prefix,
        "authority_of": d.authority_of,
        "urgency": {"code": d.urgency, "label": str(Urgency(d.urgency).label)},
        "secrecy": {"code": d.secrecy, "label": str(Secrecy(d.secrecy).label)},
        "reply_due": d.reply_due,
        "reply_to": d.reply_to_id,
        "place": d.place,
        "pdf_source": d.pdf_source,
        "page_count": d.page_count,
        "layout": d.layout,
        "personal_signed_at": d.personal_signed_at,
        "number": d.number,
        "notation": d.notation,
        "number_notation": d.number_notation,
        "identifier": d.identifier,
        "issue_date": d.issue_date,
        "issued_at": d.issued_at,
        "recipients": [
            {
                "agency_code": r.agency_code,
                "name": r.name,
                "external": r.is_external,
                "state": selectors.recipient_state(r)[0],
                "state_label": selectors.recipient_state(r)[1],
                "incoming_id": r.incoming_id,
            }
            for r in d.recipients.all()
        ],
        "attachments": [
            {
                "title": a.title,
                "file_name": a.file_name,
                "size": a.size,
                "sha256": a.sha256,
                "issued_sha256": a.issued_sha256,
            }
            for a in d.attachments.all()
        ],
        "steps": [
            {
                "stage": s.stage,
                "assignee": person(s.assignee),
                "submitted_by": person(s.submitted_by),
                "submitted_at": s.submitted_at,
                "document_version": s.document_version,
                "decision": s.decision,
                "note": s.note,
                "decided_at": s.decided_at,
            }
            for s in d.steps.select_related("assignee", "submitted_by")
        ],
        "file": {"sha256": sha256, "url": reverse("api:documents_outgoing_file", args=[d.pk])},
    }


def incoming_out(d: IncomingDocument) -> dict[str, Any]:
    return {
        "id": d.pk,
        "agency": {"code": d.agency.code, "name": d.agency.name},
        "register_year": d.register.year,
        "secret_register": d.register.secret,
        "arrival_number": d.arrival_number,
        "received_at": d.received_at,
        "source": d.source,
        "issuer": {"code": d.issuer_code, "name": d.issuer_name},
        "number_notation": d.number_notation,
        "document_date": d.document_date,
        "document_type": d.document_type.code if d.document_type else None,
        "subject": d.subject,
        "summary": d.summary,
        "urgency": {"code": d.urgency, "label": str(Urgency(d.urgency).label)},
        "secrecy": {"code": d.secrecy, "label": str(Secrecy(d.secrecy).label)},
        "signer_name": d.signer_name,
        "signer_position": d.signer_position,
        "reply_due": d.reply_due,
        "outgoing_id": d.outgoing_id,
        "duplicate_of": d.duplicate_of_id,
        "signature": {
            "status": {"code": d.signature_status, "label": str(SignatureStatus(d.signature_status).label)},
            "report": d.signature_report,
        },
        "status": {"code": d.status, "label": str(IncomingStatus(d.status).label)},
        "processing_due": d.processing_due,
        "timeliness": selectors.processing_timeliness(d, timezone.now()),
        "assignments": [
            {
                "person": person(a.person),
                "unit": {"code": a.unit.code, "name": a.unit.name} if a.unit else None,
                "role": a.role,
                "due_at": a.due_at,
                "note": a.note,
                "assigned_by": person(a.assigned_by),
                "assigned_at": a.assigned_at,
                "is_active": a.is_active,
            }
            for a in d.assignments.select_related("person", "unit", "assigned_by")
        ],
        "notes": [
            {"kind": n.kind, "author": person(n.author), "text": n.text, "at": n.at}
            for n in d.notes.select_related("author")
        ],
        "completed_at": d.completed_at,
        "result_note": d.result_note,
        "reply_id": d.completed_by_reply_id,
        "file": {"sha256": d.sha256, "url": reverse("api:documents_incoming_file", args=[d.pk])},
    }


def work_file_out(w: WorkFile) -> dict[str, Any]:
    items = []
    for item in w.items.select_related("outgoing", "incoming"):
        document = item.outgoing or item.incoming
        items.append(
            {
                "ordinal": item.ordinal,
                "kind": "outgoing" if item.outgoing_id else "incoming",
                "id": document.pk if document else 0,
                "label": str(document),
            }
        )
    return {
        "id": w.pk,
        "agency": {"code": w.agency.code, "name": w.agency.name},
        "year": w.year,
        "code": w.code,
        "file_code": w.file_code,
        "title": w.title,
        "description": w.description,
        "retention": w.retention.name,
        "retention_years": w.retention.years,
        "responsible_unit": w.responsible_unit.code if w.responsible_unit else None,
        "responsible_person": person(w.responsible_person),
        "status": w.status,
        "items": items,
    }
