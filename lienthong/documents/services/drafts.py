"""Drafting an outgoing document: the metadata, the recipients, the PDF (uploaded or rendered) and its
designated places. Only the drafter edits, and only while the draft is with them (new or returned); every edit
makes a new version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError, PermissionDenied
from lienthong.directory.codes import is_agency_code
from lienthong.directory.models import Agency, Person, Role, Unit

from .. import layout as places
from ..files import put_pdf, read_pdf
from ..models import (
    AuthorityPrefix,
    DocumentType,
    IncomingDocument,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingStatus,
    PdfSource,
    Secrecy,
    Urgency,
)
from ..pdfs import check_pdf, inspect_pdf
from ..render import Sheet, render_sheet
from ..search import refresh_search_text
from .common import (
    DRAFTER_ROLES,
    audit,
    check_version,
    clean_text,
    first_unit,
    position_in,
    require_person,
    require_role,
    require_status,
    roles_in,
)

SUBJECT_MAX = 500
BODY_MAX = 100_000
MAX_RECIPIENTS = 200
MAX_ATTACHMENTS = 20
_PLACE_NAME = re.compile(r"(?:thành phố|thị xã|thị trấn|đặc khu|tỉnh|phường|xã)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class RecipientInput:
    """A recipient by agency code; ``external`` sends it over the exchange even if the code is on the platform.
    ``name`` is required for a code the directory does not know."""

    agency_code: str
    name: str = ""
    external: bool = False


@dataclass(frozen=True)
class AttachmentInput:
    """An attachment in a separate file: a PDF (it is issued with the agency's signature)."""

    title: str
    file_name: str
    data: bytes


@dataclass(frozen=True)
class DraftContent:
    """Everything the drafter fills in. ``pdf=None`` means: the platform renders the PDF from this form."""

    document_type: DocumentType | str
    subject: str
    signer: Person
    body: str = ""
    summary: str = ""
    signer_position: str | None = None
    authority_prefix: str = ""
    authority_of: str = ""
    recipients: Sequence[RecipientInput | Mapping[str, Any]] = ()
    urgency: str = Urgency.NORMAL
    secrecy: str = Secrecy.NONE
    reply_due: date | None = None
    reply_to: IncomingDocument | None = None
    completes_reply: bool = True
    place: str = ""
    notation_suffix: str | None = None
    drafting_unit: Unit | None = None
    pdf: bytes | None = None
    layout: Mapping[str, Any] | None = None
    attachments: Sequence[AttachmentInput] | None = field(default=None)


@dataclass
class _Prepared:
    values: dict[str, Any]
    recipients: list[OutgoingRecipient]
    pdf: bytes | None
    attachments: list[AttachmentInput] | None


def default_place(agency: Agency) -> str:
    """The place name of the date line: the commune's or province's name taken from the agency's name."""
    for candidate in (agency, agency.parent):
        if candidate is None:
            continue
        found = _PLACE_NAME.search(candidate.name)
        if found:
            return found.group(1).strip()
    return ""


def signature_title(prefix: str, authority_of: str, position: str) -> str:
    """The title lines of the signature block, upper case: ``KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC``."""
    lines = []
    if prefix:
        lines.append(f"{prefix}. {authority_of}".upper())
    if position:
        lines.append(position.upper())
    return "\n".join(lines)


def _document_type(value: DocumentType | str) -> DocumentType:
    if isinstance(value, DocumentType):
        found: DocumentType | None = value
    else:
        found = DocumentType.objects.filter(code=str(value or "").strip()).first()
    if found is None or not found.is_active:
        raise DomainError(
            message=_("Loại văn bản “%(code)s” không có trong danh mục.") % {"code": str(value)[:20]},
            rule="unknown_document_type",
            field="document_type",
        )
    return found


def _recipient_input(value: RecipientInput | Mapping[str, Any], where: str) -> RecipientInput:
    if isinstance(value, RecipientInput):
        return value
    if not isinstance(value, Mapping):
        raise DomainError(message=_("Nơi nhận không hợp lệ."), rule="type", field=where)
    unknown = sorted(set(value) - {"agency_code", "name", "external"})
    if unknown:
        raise DomainError(
            message=_("Trường không hợp lệ: %(name)s.") % {"name": unknown[0]},
            rule="unknown_field",
            field=f"{where}.{unknown[0]}",
        )
    return RecipientInput(
        agency_code=str(value.get("agency_code") or ""),
        name=str(value.get("name") or ""),
        external=bool(value.get("external", False)),
    )


def _recipients(
    agency: Agency, items: Sequence[RecipientInput | Mapping[str, Any]], secret: bool
) -> list[OutgoingRecipient]:
    if len(items) > MAX_RECIPIENTS:
        raise DomainError(
            message=_("Tối đa %(n)d nơi nhận.") % {"n": MAX_RECIPIENTS}, rule="max_items", field="recipients"
        )
    rows: list[OutgoingRecipient] = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        where = f"recipients[{index}]"
        item = _recipient_input(raw, where)
        code = item.agency_code.strip()
        if not is_agency_code(code):
            raise DomainError(
                message=_(
                    "Mã định danh “%(code)s” sai định dạng: phải là NNN.NN.NN.XNN, ví dụ 000.00.00.H56."
                )
                % {"code": code[:20]},
                rule="agency_code_shape",
                field=f"{where}.agency_code",
            )
        if code in seen:
            raise DomainError(
                message=_("Nơi nhận %(code)s bị lặp.") % {"code": code},
                rule="duplicate",
                field=f"{where}.agency_code",
            )
        seen.add(code)
        if code == agency.code:
            raise DomainError(
                message=_("Không gửi văn bản cho chính cơ quan ban hành."),
                rule="recipient_self",
                field=f"{where}.agency_code",
            )
        known = Agency.objects.filter(code=code).select_related("successor").first()
        name = item.name.strip()
        if len(name) > 300:
            raise DomainError(message=_("Tên nơi nhận quá dài."), rule="max_length", field=f"{where}.name")
        on_platform = known is not None and not item.external
        if known is not None and on_platform and not known.is_active:
            successor = known.successor
            raise DomainError(
                message=(
                    _("%(name)s đã chấm dứt hoạt động; gửi cho cơ quan kế thừa %(next)s (%(code)s).")
                    % {"name": known.name, "next": successor.name, "code": successor.code}
                    if successor is not None
                    else _("%(name)s đã chấm dứt hoạt động.") % {"name": known.name}
                ),
                rule="recipient_inactive",
                field=f"{where}.agency_code",
            )
        if not on_platform:
            if secret:
                raise DomainError(
                    message=_("Văn bản mật không được gửi qua trục liên thông; %(code)s nằm ngoài hệ thống.")
                    % {"code": code},
                    rule="secret_not_external",
                    field=f"{where}.agency_code",
                )
            name = name or (known.name if known is not None else "")
            if not name:
                raise DomainError(
                    message=_("Mã %(code)s không có trong danh bạ: cần ghi tên cơ quan nhận.")
                    % {"code": code},
                    rule="required",
                    field=f"{where}.name",
                )
        rows.append(
            OutgoingRecipient(
                position=index,
                agency_code=code,
                name=known.name if on_platform and known is not None else name,
                agency=known if on_platform else None,
                is_external=not on_platform,
            )
        )
    return rows


def _choice(value: str, choices: Any, field_name: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(
            message=_("%(label)s không hợp lệ; chọn một trong: %(values)s.")
            % {"label": label, "values": ", ".join(v for v in choices.values if v)},
            rule="choice",
            field=field_name,
        )
    return str(value)


def _attachments(items: Sequence[AttachmentInput] | None) -> list[AttachmentInput] | None:
    if items is None:
        return None
    if len(items) > MAX_ATTACHMENTS:
        raise DomainError(
            message=_("Tối đa %(n)d tệp đính kèm.") % {"n": MAX_ATTACHMENTS},
            rule="max_items",
            field="attachments",
        )
    checked = []
    for index, item in enumerate(items):
        where = f"attachments[{index}]"
        title = clean_text(item.title, field=f"{where}.title", label=_("Tên tài liệu"), limit=300)
        name = clean_text(item.file_name, field=f"{where}.file_name", label=_("Tên tệp"), limit=255)
        check_pdf(item.data, field=f"{where}.content")
        inspect_pdf(item.data, field=f"{where}.content")
        checked.append(AttachmentInput(title, name.replace("/", "_").replace("\\", "_"), item.data))
    return checked


def _prepare(
    actor: Person, agency: Agency, content: DraftContent, *, keep_pdf: OutgoingDocument | None
) -> _Prepared:
    document_type = _document_type(content.document_type)
    subject = clean_text(content.subject, field="subject", label=_("Trích yếu"), limit=SUBJECT_MAX)
    body = clean_text(content.body, field="body", label=_("Nội dung"), limit=BODY_MAX, required=False)
    summary = clean_text(content.summary, field="summary", label=_("Tóm tắt"), limit=BODY_MAX, required=False)
    urgency = _choice(content.urgency, Urgency, "urgency", _("Độ khẩn"))
    secrecy = _choice(content.secrecy, Secrecy, "secrecy", _("Độ mật"))
    prefix = _choice(content.authority_prefix or "", AuthorityPrefix, "authority_prefix", _("Quyền hạn ký"))

    signer = content.signer
    if not isinstance(signer, Person) or Role.LEADER not in roles_in(signer, agency):
        raise DomainError(
            message=_("Người ký phải là lãnh đạo của %(agency)s.") % {"agency": agency.name},
            rule="signer_not_leader",
            field="signer",
        )
    position = (
        position_in(signer, agency, Role.LEADER)
        if content.signer_position is None
        else content.signer_position
    )
    position = clean_text(
        position, field="signer_position", label=_("Chức vụ người ký"), limit=150, required=False
    )
    authority_of = clean_text(
        content.authority_of,
        field="authority_of",
        label=_("Ký thay mặt / thay cho"),
        limit=150,
        required=bool(prefix),
    )
    if authority_of and not prefix:
        raise DomainError(
            message=_("Chỉ ghi “thay mặt / thay cho” khi có quyền hạn ký (TM., Q., KT., TL., TUQ.)."),
            rule="authority_without_prefix",
            field="authority_of",
        )
    if not signature_title(prefix, authority_of, position):
        raise DomainError(
            message=_("Cần chức vụ người ký để in ở khối chữ ký."), rule="required", field="signer_position"
        )

    unit = content.drafting_unit or first_unit(actor, agency)
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError(
            message=_("Đơn vị soạn thảo phải thuộc %(agency)s.") % {"agency": agency.name},
            rule="unit_other_agency",
            field="drafting_unit",
        )
    if content.notation_suffix is None:
        suffix = (unit.short_name or unit.code) if unit is not None and document_type.is_letter else ""
    else:
        suffix = clean_text(
            content.notation_suffix,
            field="notation_suffix",
            label=_("Viết tắt đơn vị"),
            limit=30,
            required=False,
        )
    place = clean_text(content.place or default_place(agency), field="place", label=_("Địa danh"), limit=100)

    today = timezone.localdate()
    if content.reply_due is not None and content.reply_due < today:
        raise DomainError(
            message=_("Hạn trả lời không được trước hôm nay."), rule="not_past", field="reply_due"
        )
    reply_to = content.reply_to
    if reply_to is not None and reply_to.agency_id != agency.pk:
        raise DomainError(
            message=_("Văn bản được trả lời phải là văn bản đến của %(agency)s.") % {"agency": agency.name},
            rule="reply_to_other_agency",
            field="reply_to",
        )
    recipients = _recipients(agency, content.recipients, secrecy != Secrecy.NONE)
    values: dict[str, Any] = {
        "document_type": document_type,
        "subject": subject,
        "body": body,
        "summary": summary,
        "signer": signer,
        "signer_position": position,
        "authority_prefix": prefix,
        "authority_of": authority_of,
        "urgency": urgency,
        "secrecy": secrecy,
        "reply_due": content.reply_due,
        "reply_to": reply_to,
        "completes_reply": bool(content.completes_reply),
        "place": place,
        "notation_suffix": suffix,
        "drafting_unit": unit,
    }
    if content.pdf is None and keep_pdf is not None and keep_pdf.pdf_source == PdfSource.UPLOADED:
        pdf = None
        values["layout"] = keep_pdf.layout
        if content.layout is not None:
            values.update(_uploaded_places(_stored_pdf(keep_pdf), document_type, content.layout))
    elif content.pdf is None:
        if content.layout is not None:
            raise DomainError(
                message=_("Vị trí chỉ ghi cho tệp tải lên; tệp do hệ thống tạo tự biết vị trí."),
                rule="layout_only_for_upload",
                field="layout",
            )
        sheet = _sheet(agency, values, recipients)
        rendered = render_sheet(sheet)
        pdf = rendered.pdf
        values.update(
            pdf_source=PdfSource.RENDERED,
            layout=places.as_json(rendered.places),
            own_fields=[],
            page_count=len(rendered.page_sizes),
        )
    else:
        check_pdf(content.pdf, field="pdf")
        pdf = content.pdf
        values.update(_uploaded_places(pdf, document_type, content.layout))
        values["pdf_source"] = PdfSource.UPLOADED
    return _Prepared(
        values=values, recipients=recipients, pdf=pdf, attachments=_attachments(content.attachments)
    )


def _stored_pdf(document: OutgoingDocument) -> bytes:
    return read_pdf(document.draft_storage_name, document.draft_sha256)


def _uploaded_places(
    pdf: bytes, document_type: DocumentType, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    facts = inspect_pdf(pdf, field="pdf")
    own = {name: place.as_dict() for name, place in facts.own_fields.items()}
    # Fields already in the file cannot move: they win over any place given for them.
    chosen = places.merged(own, dict(given or {}), document_type.layout or None, places.DEFAULT_LAYOUT)
    try:
        parsed = places.parse_layout(chosen, facts.page_sizes)
    except places.LayoutError as error:
        raise DomainError(
            message=_("Vị trí không hợp lệ (%(field)s): %(detail)s")
            % {"field": error.field, "detail": error.detail or error.rule},
            rule=error.rule,
            field=error.field,
        ) from None
    return {"layout": places.as_json(parsed), "own_fields": sorted(own), "page_count": facts.page_count}


def _sheet(agency: Agency, values: Mapping[str, Any], recipients: Sequence[OutgoingRecipient]) -> Sheet:
    document_type: DocumentType = values["document_type"]
    parent = agency.parent
    show_parent = parent is not None and not agency.name.lower().startswith("ủy ban nhân dân")
    parent_name = parent.name.replace("Ủy ban nhân dân", "UBND") if show_parent and parent is not None else ""
    keep = "Lưu: VT" + (f", {values['notation_suffix']}" if values["notation_suffix"] else "")
    marks = []
    if values["secrecy"] != Secrecy.NONE:
        marks.append(str(Secrecy(values["secrecy"]).label))
    if values["urgency"] != Urgency.NORMAL:
        marks.append(str(Urgency(values["urgency"]).label))
    return Sheet(
        agency_name=agency.name,
        parent_name=parent_name,
        type_name=document_type.name,
        is_letter=document_type.is_letter,
        subject=values["subject"],
        body=values["body"],
        recipients=[r.name for r in recipients],
        keep_line=keep,
        marks=marks,
    )


def _write_children(document: OutgoingDocument, prepared: _Prepared) -> None:
    document.recipients.all().delete()
    for row in prepared.recipients:
        row.document = document
    OutgoingRecipient.objects.bulk_create(prepared.recipients)
    if prepared.attachments is not None:
        document.attachments.all().delete()
        OutgoingAttachment.objects.bulk_create(
            [
                OutgoingAttachment(
                    document=document,
                    position=index,
                    title=item.title,
                    file_name=item.file_name,
                    sha256=stored.sha256,
                    storage_name=stored.storage_name,
                    size=stored.size,
                )
                for index, (item, stored) in enumerate(
                    (item, put_pdf(item.data)) for item in prepared.attachments
                )
            ]
        )


def _summary(document: OutgoingDocument) -> dict[str, Any]:
    return {
        "document_type": document.document_type.code,
        "subject": document.subject,
        "signer": document.signer.get_username(),
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "version": document.version,
        "pdf_source": document.pdf_source,
        "draft_sha256": document.draft_sha256,
        "recipients": list(document.recipients.values_list("agency_code", flat=True)),
    }


def create_draft(*, actor: Person, agency: Agency, content: DraftContent) -> OutgoingDocument:
    """A new draft of ``agency`` by ``actor`` (a specialist, unit head or leader there)."""
    actor = require_person(actor)
    require_role(
        actor,
        agency,
        DRAFTER_ROLES,
        rule="drafter_role_required",
        message=_("Chỉ chuyên viên, trưởng đơn vị hoặc lãnh đạo của %(agency)s được soạn văn bản đi.")
        % {"agency": agency.name},
    )
    prepared = _prepare(actor, agency, content, keep_pdf=None)
    assert prepared.pdf is not None
    stored = put_pdf(prepared.pdf)
    with transaction.atomic():
        document = OutgoingDocument(
            agency=agency,
            drafter=actor,
            status=OutgoingStatus.DRAFT,
            draft_sha256=stored.sha256,
            draft_storage_name=stored.storage_name,
            draft_size=stored.size,
            **prepared.values,
        )
        refresh_search_text(document)
        document.save()
        _write_children(document, prepared)
        audit(actor, "outgoing.create", document, agency, _summary(document))
    return document


def update_draft(
    *, actor: Person, document: OutgoingDocument, content: DraftContent, expected_version: int | None = None
) -> OutgoingDocument:
    """Change a draft that is with its drafter (new or returned). ``content.pdf=None`` keeps an uploaded file
    (with its places, or the new ``content.layout``) and re-renders a rendered one; ``attachments=None``
    keeps the attachments. The version goes up by one."""
    actor = require_person(actor)
    prepared = _prepare(actor, document.agency, content, keep_pdf=document)
    stored = put_pdf(prepared.pdf) if prepared.pdf is not None else None
    with transaction.atomic():
        locked = (
            OutgoingDocument.objects.select_for_update(of=("self",))
            .select_related("agency", "document_type", "signer")
            .get(pk=document.pk)
        )
        if locked.drafter_id != actor.pk:
            raise PermissionDenied(_("Chỉ người soạn thảo được sửa dự thảo."), rule="drafter_only")
        require_status(
            locked,
            (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED),
            _("Dự thảo đang được thẩm định, trình ký hoặc đã ký: không sửa được."),
            rule="not_editable",
        )
        check_version(locked, expected_version)
        before = _summary(locked)
        for name, value in prepared.values.items():
            setattr(locked, name, value)
        if stored is not None:
            locked.draft_sha256, locked.draft_storage_name, locked.draft_size = (
                stored.sha256,
                stored.storage_name,
                stored.size,
            )
        locked.version += 1
        refresh_search_text(locked)
        locked.save()
        _write_children(locked, prepared)
        after = _summary(locked)
        audit(
            actor,
            "outgoing.update",
            locked,
            locked.agency,
            {k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    document.refresh_from_db()
    return locked
