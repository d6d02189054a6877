"""Validation of the signatures in any PDF: integrity, signer, chain of trust, signing time, later changes.

pyHanko does the checking (byte-range digest, CMS signature, path building to our anchors, time-stamp tokens,
and the difference analysis of the revisions added after each signature); this module turns its status into
a report a clerk can read in Vietnamese and a JSON document for machines.

Decisions:

- The certificate is validated at the signing time: the time-stamp's time when the signature carries a valid
  token (B-T), else the time the signer claims (``/M``) — with a warning that this time is only claimed when the
  certificate has expired since.
- Revocation (CRL/OCSP) is not checked: the platform validates offline. Every report says so in a warning; it is
  never a reason to fail.
- A signature is accepted (:attr:`PdfReport.all_valid_and_trusted`) when it is intact, cryptographically valid,
  chains to an anchor, covers a whole revision of the file, and what was added after it is only signatures, form
  filling or annotations. Any other change after it (page content, for instance) is a problem. As in Adobe
  Acrobat, and unlike pyHanko's default, a new visible signature after a certifying signature is accepted.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    CatalogModificationRule,
    DiffResult,
    DocInfoRule,
    DSSCompareRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    MetadataUpdateRule,
    ModificationLevel,
    ObjectStreamRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    XrefStreamRule,
)
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from lienthong.core.errors import DomainError

from .pades import form_fields, open_pdf
from .trust import trust_anchors

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Vietnamese certificates carry the holder's position in "title", which RFC 4514 has no short name for.
_NAME_LABELS = {x509.NameOID.TITLE: "title", x509.NameOID.SERIAL_NUMBER: "serialNumber"}
CHANGES = ("none", "signatures", "form_filling", "annotations", "other")

# pyHanko's default policy, except that a new visible signature after a certifying signature is allowed, as Adobe
# Acrobat allows it: the leader may certify and the clerk's seal still comes after.
_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[
        CatalogModificationRule(),
        DocInfoRule().as_qualified(ModificationLevel.LTA_UPDATES),
        XrefStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        ObjectStreamRule().as_qualified(ModificationLevel.LTA_UPDATES),
        DSSCompareRule().as_qualified(ModificationLevel.LTA_UPDATES),
        MetadataUpdateRule().as_qualified(ModificationLevel.LTA_UPDATES),
    ],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(allow_new_visible_after_certify=True),
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ],
    ),
)


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str  # subject common name
    signer_subject: str  # RFC 4514
    certificate_sha256: str  # hex SHA-256 of the signer certificate's DER
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # intact and the cryptographic signature verifies
    trusted: bool  # the certificate chains to a configured trust anchor and was valid at signing time
    signing_time: datetime | None  # as claimed by the signer
    timestamp_time: datetime | None  # from a signature time-stamp token (B-T), else None
    covers_whole_file: bool
    changes_after: str  # "none" | "signatures" | "form_filling" | "annotations" | "other"
    problems: tuple[str, ...]  # Vietnamese, readable
    warnings: tuple[str, ...]

    @property
    def accepted(self) -> bool:
        return self.valid and self.trusted and not self.problems


@dataclass(frozen=True)
class PdfReport:
    signatures: tuple[SignatureReport, ...]

    @property
    def all_valid_and_trusted(self) -> bool:
        """True when there is at least one signature and every one is valid, trusted and without problems."""
        return bool(self.signatures) and all(s.accepted for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the dataclass fields, times in ISO 8601."""

        def plain(report: SignatureReport) -> dict[str, Any]:
            data = asdict(report)
            for key in ("signing_time", "timestamp_time"):
                data[key] = data[key].isoformat() if data[key] else None
            data["problems"] = list(report.problems)
            data["warnings"] = list(report.warnings)
            return data

        return {
            "all_valid_and_trusted": self.all_valid_and_trusted,
            "signatures": [plain(s) for s in self.signatures],
        }

    def as_text(self) -> str:
        """The report a clerk reads, in Vietnamese."""
        if not self.signatures:
            return _("Tệp không có chữ ký số nào.")
        lines = [_("Tệp có %(count)d chữ ký số.") % {"count": len(self.signatures)}]
        for number, report in enumerate(self.signatures, start=1):
            lines.append(_signature_line(number, report))
            lines.extend("  - " + _("Lỗi: %(text)s") % {"text": p} for p in report.problems)
            lines.extend("  - " + _("Lưu ý: %(text)s") % {"text": w} for w in report.warnings)
        if self.all_valid_and_trusted:
            lines.append(_("Kết luận: mọi chữ ký đều hợp lệ và tin cậy."))
        else:
            lines.append(
                _("Kết luận: có chữ ký không hợp lệ hoặc không tin cậy — không được coi tệp là bản gốc.")
            )
        return "\n".join(lines)


def _when(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _changes_label(changes: str) -> str:
    return {
        "none": _("không thay đổi"),
        "signatures": _("chỉ thêm chữ ký"),
        "form_filling": _("chỉ điền biểu mẫu"),
        "annotations": _("thêm ghi chú"),
        "other": _("có thay đổi khác (nội dung có thể đã bị sửa)"),
    }[changes]


def _signature_line(number: int, report: SignatureReport) -> str:
    if not report.intact:
        state = _("không hợp lệ (nội dung đã bị thay đổi sau khi ký)")
    elif not report.valid:
        state = _("không hợp lệ")
    elif report.trusted:
        state = _("hợp lệ, tin cậy")
    else:
        state = _("hợp lệ, không tin cậy")
    parts = [
        _("Chữ ký %(number)d (%(field)s): %(state)s")
        % {"number": number, "field": report.field_name, "state": state}
    ]
    if report.signer:
        parts.append(_("người ký %(name)s") % {"name": report.signer})
    if report.signing_time:
        parts.append(_("ký lúc %(time)s") % {"time": _when(report.signing_time)})
    if report.timestamp_time:
        parts.append(_("dấu thời gian %(time)s") % {"time": _when(report.timestamp_time)})
    parts.append(_("sau khi ký: %(changes)s") % {"changes": _changes_label(report.changes_after)})
    return "; ".join(parts)


# --- trust contexts -------------------------------------------------------------------------------------

_managers: dict[tuple[bytes, ...], SimpleTrustManager] = {}
_managers_lock = threading.Lock()


def _trust_manager(anchors: Sequence[x509.Certificate]) -> SimpleTrustManager:
    """One trust manager per set of anchors, kept for the process (parsing the roots is the costly part)."""
    key = tuple(sorted(a.fingerprint(hashes.SHA256()) for a in anchors))
    with _managers_lock:
        manager = _managers.get(key)
    if manager is None:
        roots = [asn1_x509.Certificate.load(a.public_bytes(Encoding.DER)) for a in anchors]
        manager = SimpleTrustManager.build(trust_roots=roots)
        with _managers_lock:
            if (
                len(_managers) > 16
            ):  # trust sets change rarely; a long-lived process must not grow without end
                _managers.clear()
            _managers[key] = manager
    return manager


def _context(manager: SimpleTrustManager, moment: datetime | None) -> ValidationContext:
    return ValidationContext(
        trust_manager=manager,
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


# --- one signature --------------------------------------------------------------------------------------


def _timestamp_claim(embedded: EmbeddedPdfSignature) -> datetime | None:
    """The time in the signature's time-stamp token, read without validating it (to choose the moment)."""
    unsigned = embedded.signer_info["unsigned_attrs"]
    if not unsigned:
        return None
    for attribute in unsigned:
        if attribute["type"].native == "signature_time_stamp_token":
            try:
                token = attribute["values"][0]
                info = token["content"]["encap_content_info"]["content"].parsed
                moment: datetime = info["gen_time"].native
                return moment
            except (KeyError, ValueError, TypeError, AttributeError):
                return None
    return None


def _changes(status: PdfSignatureStatus, signature_fields: set[str]) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none"
    diff = status.diff_result
    if not isinstance(diff, DiffResult):
        return "other"
    level = diff.modification_level
    if level == ModificationLevel.NONE:
        return "none"
    if level == ModificationLevel.LTA_UPDATES:
        return "signatures"
    if level == ModificationLevel.FORM_FILLING:
        changed = set(diff.changed_form_fields)
        return "signatures" if changed <= signature_fields else "form_filling"
    if level == ModificationLevel.ANNOTATIONS:
        return "annotations"
    return "other"


def _trust_problem(status: PdfSignatureStatus) -> str:
    indication = str(getattr(status.trust_problem_indic, "name", "") or "")
    if status.revoked or "REVOKED" in indication:
        return _("Chứng thư người ký đã bị thu hồi.")
    if "EXPIRED" in indication or "OUT_OF_BOUNDS" in indication or "NOT_YET_VALID" in indication:
        return _("Chứng thư người ký không còn hoặc chưa có hiệu lực vào thời điểm ký.")
    if "CHAIN" in indication or status.validation_path is None:
        return _("Chứng thư người ký không nối được tới chứng thư gốc tin cậy nào đã cấu hình.")
    return _("Không xác lập được tin cậy cho chứng thư người ký (%(reason)s).") % {"reason": indication}


def _unreadable(name: str, detail: str) -> SignatureReport:
    return SignatureReport(
        field_name=name,
        signer="",
        signer_subject="",
        certificate_sha256="",
        intact=False,
        valid=False,
        trusted=False,
        signing_time=None,
        timestamp_time=None,
        covers_whole_file=False,
        changes_after="other",
        problems=(_("Không đọc được chữ ký: %(detail)s") % {"detail": detail},),
        warnings=(),
    )


async def _validate_one(
    embedded: EmbeddedPdfSignature, manager: SimpleTrustManager, signature_fields: set[str]
) -> SignatureReport:
    name = str(embedded.field_name)
    claimed_stamp = _timestamp_claim(embedded)
    claimed = embedded.self_reported_timestamp
    moment = claimed_stamp or claimed
    context = _context(manager, moment)
    status = await async_validate_pdf_signature(
        embedded,
        signer_validation_context=context,
        ts_validation_context=_context(manager, None),
        diff_policy=_DIFF_POLICY,
    )
    certificate = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    common = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    problems: list[str] = []
    warnings: list[str] = []
    if not status.intact:
        problems.append(_("Nội dung đã bị thay đổi sau khi ký: giá trị băm không khớp với giá trị đã ký."))
    elif not status.valid:
        problems.append(_("Chữ ký số không khớp với khóa công khai trong chứng thư người ký."))
    elif not status.trusted:
        problems.append(_trust_problem(status))
    covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append(_("Chữ ký không bao trọn một phiên bản của tệp."))
    changes = _changes(status, signature_fields - {name})
    if changes == "other":
        problems.append(
            _("Sau khi ký, tệp đã bị thay đổi ngoài việc thêm chữ ký, điền biểu mẫu hay ghi chú.")
        )
    if status.docmdp_ok is False:
        problems.append(_("Thay đổi sau khi ký vượt quá quyền mà chữ ký chứng nhận cho phép."))

    timestamp_time = None
    stamp = status.timestamp_validity
    if stamp is not None:
        if stamp.intact and stamp.valid:
            timestamp_time = stamp.timestamp
            if not stamp.trusted:
                warnings.append(_("Dấu thời gian không nối được tới chứng thư gốc tin cậy."))
        else:
            problems.append(_("Dấu thời gian của chữ ký không hợp lệ."))
    elif claimed is not None and certificate.not_valid_after_utc < datetime.now(UTC):
        warnings.append(
            _("Chứng thư đã hết hạn; thời điểm ký do người ký tự khai vì chữ ký không có dấu thời gian.")
        )
    if status.md_algorithm.lower() in {"sha1", "md5"}:
        warnings.append(
            _("Chữ ký dùng thuật toán băm đã lỗi thời (%(algo)s).") % {"algo": status.md_algorithm}
        )
    warnings.append(
        _("Chưa kiểm tra tình trạng thu hồi chứng thư (CRL/OCSP): hệ thống kiểm tra ngoại tuyến.")
    )
    return SignatureReport(
        field_name=name,
        signer=str(common[0].value) if common else "",
        signer_subject=certificate.subject.rfc4514_string(_NAME_LABELS),
        certificate_sha256=hashlib.sha256(embedded.signer_cert.dump()).hexdigest(),
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        signing_time=status.signer_reported_dt or claimed,
        timestamp_time=timestamp_time,
        covers_whole_file=covers_whole_file,
        changes_after=changes,
        problems=tuple(problems),
        warnings=tuple(warnings),
    )


async def _validate_all(reader: PdfFileReader, manager: SimpleTrustManager) -> PdfReport:
    signature_fields = {n for n, ref in form_fields(reader).items() if ref.get_object().get("/FT") == "/Sig"}
    reports = []
    for name, _value, ref in enumerate_sig_fields(reader, filled_status=True):
        try:
            embedded = EmbeddedPdfSignature(reader, ref, name)
            if embedded.sig_object_type != "/Sig":
                continue  # document time-stamps (PAdES-LTA) are not a signer's signature
            reports.append(await _validate_one(embedded, manager, signature_fields))
        except Exception as exc:  # a damaged signature must not hide the others; it is reported as unreadable
            reports.append(_unreadable(str(name), str(exc) or type(exc).__name__))
    return PdfReport(signatures=tuple(reports))


def validate_pdf(pdf: bytes, trust: Sequence[x509.Certificate] | None = None) -> PdfReport:
    """Validate every signature in ``pdf`` against ``trust`` (default: the configured trust anchors).

    A file that is not a PDF, is damaged or encrypted is a DomainError (pdf_not_pdf, pdf_damaged,
    pdf_encrypted); a PDF without signatures gives an empty report.
    """
    anchors = trust_anchors() if trust is None else list(trust)
    reader = open_pdf(pdf)
    try:
        return asyncio.run(_validate_all(reader, _trust_manager(anchors)))
    except PdfError:  # the form itself is broken; a broken signature is reported, not raised
        raise DomainError(
            message=_("Tệp PDF bị hỏng, không đọc được."), rule="pdf_damaged", field="pdf"
        ) from None
