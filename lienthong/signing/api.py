"""Signature checks over the API: any PDF or signed XML an integrator holds, against this installation's trust
anchors (``LIENTHONG_TRUST_ANCHORS``). Nothing is stored."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives import hashes
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from lienthong.core.files import check_upload
from lienthong.directory.auth import api_auth

from .trust import trust_anchors
from .validation import PdfReport, validate_pdf
from .xmldsig import verify_xml

router = Router(auth=api_auth)


class SignatureOut(Schema):
    field_name: str
    signer: str
    signer_subject: str
    certificate_sha256: str
    intact: bool
    valid: bool
    trusted: bool
    signing_time: datetime | None
    timestamp_time: datetime | None
    covers_whole_file: bool
    changes_after: str
    problems: list[str]
    warnings: list[str]


class PdfReportOut(Schema):
    all_valid_and_trusted: bool
    signatures: list[SignatureOut]
    report: str


class XmlReportOut(Schema):
    valid: bool
    signer: str
    problem: str
    warnings: list[str]


class TrustAnchorOut(Schema):
    subject: str
    sha256: str
    not_before: datetime
    not_after: datetime


def _bytes_of(upload: UploadedFile, field: str, allowed: tuple[str, ...]) -> bytes:
    data = upload.read()
    check_upload(data, field=field, allowed=allowed)
    return data


def _pdf_out(report: PdfReport) -> PdfReportOut:
    return PdfReportOut(
        all_valid_and_trusted=report.all_valid_and_trusted,
        signatures=[
            SignatureOut(
                field_name=s.field_name,
                signer=s.signer,
                signer_subject=s.signer_subject,
                certificate_sha256=s.certificate_sha256,
                intact=s.intact,
                valid=s.valid,
                trusted=s.trusted,
                signing_time=s.signing_time,
                timestamp_time=s.timestamp_time,
                covers_whole_file=s.covers_whole_file,
                changes_after=s.changes_after,
                problems=list(s.problems),
                warnings=list(s.warnings),
            )
            for s in report.signatures
        ],
        report=report.as_text(),
    )


@router.post(
    "/pdf/verify",
    response=PdfReportOut,
    summary="Kiểm tra mọi chữ ký số trong một tệp PDF",
    description=(
        "Gửi tệp PDF (multipart, trường `file`). Với mỗi chữ ký: còn nguyên vẹn không, ai ký, chứng thư có "
        "chuỗi tới một chứng thư gốc tin cậy của hệ thống không, thời điểm ký (và dấu thời gian nếu có), tệp "
        "đã bị thay đổi gì sau chữ ký (`none`, `signatures`, `form_filling`, `annotations`, `other`). "
        "`all_valid_and_trusted` chỉ đúng khi có ít nhất một chữ ký và mọi chữ ký hợp lệ, tin cậy. "
        "`report` là báo cáo đọc được bằng tiếng Việt. Tệp không phải PDF, hỏng hay mã hóa bị từ chối (400)."
    ),
)
def verify_pdf_signatures(request: HttpRequest, file: UploadedFile = File(...)) -> PdfReportOut:  # noqa: B008
    return _pdf_out(validate_pdf(_bytes_of(file, "file", ("pdf",))))


@router.post(
    "/xml/verify",
    response=XmlReportOut,
    summary="Kiểm tra chữ ký XML (XML-DSig) của một gói edXML",
    description=(
        "Gửi tệp XML đã ký (multipart, trường `file`). Chữ ký bao trong (enveloped), c14n loại trừ; chấp nhận "
        "RSA-SHA256 và, kèm cảnh báo, RSA-SHA1. Chứng thư người ký phải có chuỗi tới chứng thư gốc tin cậy."
    ),
)
def verify_xml_signature(request: HttpRequest, file: UploadedFile = File(...)) -> XmlReportOut:  # noqa: B008
    result = verify_xml(_bytes_of(file, "file", ("xml",)), trust_anchors())
    return XmlReportOut(
        valid=result.valid, signer=result.signer, problem=result.problem, warnings=list(result.warnings)
    )


@router.get(
    "/trust-anchors",
    response=list[TrustAnchorOut],
    summary="Các chứng thư gốc mà hệ thống tin cậy",
    description="Cấu hình bằng biến môi trường `LIENTHONG_TRUST_ANCHORS` (tệp PEM hoặc thư mục).",
)
def list_trust_anchors(request: HttpRequest) -> list[TrustAnchorOut]:
    return [
        TrustAnchorOut(
            subject=anchor.subject.rfc4514_string(),
            sha256=anchor.fingerprint(hashes.SHA256()).hex(),
            not_before=anchor.not_valid_before_utc,
            not_after=anchor.not_valid_after_utc,
        )
        for anchor in trust_anchors()
    ]
