"""Helpers for the signer back-end tests: a demo PKI made once per run, a small PDF, independent checks.

The checks are pyHanko's validator with the demo root as the only trust anchor and poppler's ``pdfsig``, so a
back-end's signature is judged by code that is not ours.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils import writer as pdf_writer
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from lienthong.signing import pki


@dataclass(frozen=True)
class KeyMaterial:
    root: pki.Issued
    person: pki.Issued
    agency: pki.Issued
    stranger: pki.Issued  # another person's key, for "the wrong key" scenarios

    def p12(self, issued: pki.Issued, password: str = "demo") -> bytes:
        return pki.pkcs12_bytes(issued, self.root, "key", password)


@functools.lru_cache(maxsize=1)
def demo_keys() -> KeyMaterial:
    """One PKI for the whole run: RSA key generation is the slow part of these tests."""
    now = dt.datetime.now(dt.UTC)
    root = pki.make_root(now)

    def name(common: str) -> x509.Name:
        return pki._name(common, pki.AGENCY_NAME, unit=f"MĐĐT:{pki.AGENCY_CODE}")

    return KeyMaterial(
        root=root,
        person=pki.issue_signing(root, name("Lương Văn Tài"), now),
        agency=pki.issue_signing(root, name(pki.AGENCY_NAME), now),
        stranger=pki.issue_signing(root, name("Người Lạ"), now),
    )


def expired_certificate(issued: pki.Issued) -> pki.Issued:
    """``issued``'s key with a certificate that ended yesterday."""
    root = demo_keys().root
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(issued.certificate.subject)
        .issuer_name(root.certificate.subject)
        .public_key(issued.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now - dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(root.key, hashes.SHA256())
    )
    return pki.Issued(issued.key, certificate)


def small_pdf(text: str = "Van ban thu nghiem") -> bytes:
    """A one-page A4 PDF written with pyHanko's own writer."""
    writer = pdf_writer.PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
    )
    content = writer.add_object(
        generic.StreamObject(stream_data=f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    )
    resources = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
    )
    writer.insert_page(
        pdf_writer.PageObject(contents=content, media_box=[0, 0, 595, 842], resources=resources)
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_with(signer: signers.Signer, pdf: bytes, field_name: str = "ChuKy") -> bytes:
    """Sign directly with pyHanko (no LiênThông code between the back-end and the PDF)."""
    out = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256"),
        signer=signer,
        output=out,
    )
    return out.getvalue()


@dataclass(frozen=True)
class Checked:
    intact: bool
    valid: bool
    trusted: bool
    certificate: x509.Certificate


def check_with_pyhanko(pdf: bytes, root: x509.Certificate | None = None) -> list[Checked]:
    """Every signature in ``pdf`` as pyHanko's validator sees it, trusting only ``root`` (the demo root)."""
    anchor = asn1_x509.Certificate.load((root or demo_keys().root.certificate).public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(pdf))
    found = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[anchor]))
        found.append(
            Checked(
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                certificate=x509.load_der_x509_certificate(embedded.signer_cert.dump()),
            )
        )
    return found


def pdfsig(pdf: bytes) -> str:
    """poppler's report on the signatures of ``pdf``."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "signed.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def sha256_of(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()
