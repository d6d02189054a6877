"""Signature checks on documents' PDFs through :mod:`lienthong.signing.validation`, summed up for display."""

from __future__ import annotations

from typing import Any

from lienthong.signing.validation import PdfReport, validate_pdf

from .models import SignatureStatus


def status_of(report: PdfReport) -> SignatureStatus:
    """One word for the page: no signature, all valid and trusted, valid but untrusted, or invalid."""
    if not report.signatures:
        return SignatureStatus.UNSIGNED
    if not all(sig.valid for sig in report.signatures):
        return SignatureStatus.INVALID
    if report.all_valid_and_trusted:
        return SignatureStatus.VALID_TRUSTED
    return SignatureStatus.VALID_UNTRUSTED


def check(pdf: bytes) -> tuple[PdfReport, dict[str, Any], SignatureStatus]:
    """The report of ``pdf``'s signatures, as stored (JSON) and summed up."""
    report = validate_pdf(pdf)
    return report, report.as_dict(), status_of(report)
