"""What the PAdES tests share: a test PKI in memory and on disk, a real A4 document, signature and seal
images, and the independent tools (poppler's pdfsig with an NSS database trusting the test root, pdftotext)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PIL import Image, ImageDraw
from pyhanko.sign.signers import Signer
from weasyprint import HTML

from lienthong.signing import pki
from lienthong.signing.keys import load_pkcs12
from lienthong.signing.pades import Box, signer_from_keyfile

PASSWORD = "demo"


@dataclass
class DemoKeys:
    directory: Path
    root: pki.Issued
    person: Signer
    agency: Signer

    @property
    def anchor(self) -> x509.Certificate:
        return self.root.certificate

    @property
    def root_pem(self) -> Path:
        return self.directory / "root-ca.pem"


def make_pki(directory: Path, now: dt.datetime | None = None, person_years: int = 3) -> DemoKeys:
    """root-ca.pem, person.p12 and agency.p12 in ``directory`` (as `pki demo` writes them) and their signers,
    loaded once; the root's key is kept so a test can issue more (a time-stamping certificate)."""
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    root = pki.make_root(now - dt.timedelta(days=365 * 5))
    person = pki.issue_signing(
        root,
        pki._name(pki.PERSON_NAME, pki.AGENCY_NAME, unit=f"MĐĐT:{pki.AGENCY_CODE}", title="Phó Chủ tịch"),
        now,
        years=person_years,
    )
    agency = pki.issue_signing(
        root, pki._name(pki.AGENCY_NAME, pki.AGENCY_NAME, unit=f"MĐĐT:{pki.AGENCY_CODE}"), now
    )
    (directory / "root-ca.pem").write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    signers = {}
    for name, issued in (("person", person), ("agency", agency)):
        data = pki.pkcs12_bytes(issued, root, name, PASSWORD)
        (directory / f"{name}.p12").write_bytes(data)
        signers[name] = signer_from_keyfile(load_pkcs12(data, PASSWORD))
    return DemoKeys(directory, root, signers["person"], signers["agency"])


DOCUMENT_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 20mm 20mm 30mm }
body { font-family: "Liberation Serif"; font-size: 13pt }
h1 { font-size: 14pt; text-align: center }
</style></head><body>
<p>ỦY BAN NHÂN DÂN PHƯỜNG THÀNH LAM</p>
<h1>QUYẾT ĐỊNH</h1>
<p style="text-align:center">Về việc triển khai dịch vụ công trực tuyến toàn trình</p>
{paragraphs}
<p>Nơi nhận: như Điều 3; lưu VT.</p>
</body></html>"""


@functools.cache
def document_pdf(paragraphs: int = 24) -> bytes:
    """A two-page A4 decision as WeasyPrint writes it (object streams, embedded Liberation Serif)."""
    body = "".join(
        f"<p>Điều {n}. Các phòng, ban, đơn vị thuộc Ủy ban nhân dân phường có trách nhiệm thi hành "
        "Quyết định này; người dân được hướng dẫn nộp hồ sơ trực tuyến.</p>"
        for n in range(1, paragraphs + 1)
    )
    return bytes(HTML(string=DOCUMENT_HTML.replace("{paragraphs}", body)).write_pdf())


def _png(colour: tuple[int, int, int], size: tuple[int, int], dpi: int, round_shape: bool) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    if round_shape:
        draw.ellipse((6, 6, w - 6, h - 6), outline=(*colour, 255), width=max(w // 40, 3))
        draw.ellipse((w // 5, h // 5, w - w // 5, h - h // 5), outline=(*colour, 255), width=max(w // 60, 2))
    else:
        points = [(int(w * x / 10), int(h * (0.5 + 0.35 * ((-1) ** x)))) for x in range(1, 10)]
        draw.line(points, fill=(*colour, 255), width=max(h // 25, 3))
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


@functools.cache
def signature_png() -> bytes:
    """A blue handwritten-looking signature on a transparent background."""
    return _png((20, 50, 190), (360, 160), 200, round_shape=False)


@functools.cache
def seal_png() -> bytes:
    """A red round seal, 40 mm across at 300 dpi."""
    return _png((210, 25, 30), (472, 472), 300, round_shape=True)


# Places in document_pdf(), in points (A4 is 595 × 842): number and date in the top margin of page one, the
# signature block low on page two, below the text.
SIGNER_BOX = Box(1, 330, 90, 540, 230)
NUMBER_BOX = Box(0, 85, 800, 280, 820)
DATE_BOX = Box(0, 300, 800, 560, 820)


def nss_database(directory: Path, root_pem: Path) -> str:
    """An NSS database trusting ``root_pem`` for everything, as pdfsig reads it; returns ``sql:DIR``."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = f"sql:{directory}"
    for command in (
        ["certutil", "-N", "--empty-password", "-d", spec],
        ["certutil", "-A", "-n", "root", "-t", "C,C,C", "-i", str(root_pem), "-d", spec],
    ):
        subprocess.run(command, check=True, capture_output=True)
    return spec


@dataclass(frozen=True)
class PdfsigSignature:
    field: str
    valid: bool
    trusted: bool
    validation: str
    certificate: str


def pdfsig(path: Path, nss: str) -> list[PdfsigSignature]:
    done = subprocess.run(["pdfsig", "-nssdir", nss, str(path)], capture_output=True, text=True, check=False)
    found = []
    for block in re.split(r"^Signature #\d+:$", done.stdout, flags=re.M)[1:]:
        field = re.search(r"Signature Field Name: (.*)", block)
        validation = re.search(r"Signature Validation: (.*)", block)
        certificate = re.search(r"Certificate Validation: (.*)", block)
        found.append(
            PdfsigSignature(
                field=field.group(1).strip() if field else "",
                valid=bool(validation and validation.group(1).strip() == "Signature is Valid."),
                trusted=bool(certificate and certificate.group(1).strip() == "Certificate is Trusted."),
                validation=validation.group(1).strip() if validation else done.stderr,
                certificate=certificate.group(1).strip() if certificate else "",
            )
        )
    return found


def pdftotext(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def flip_one_byte(data: bytes) -> bytes:
    """``data`` with one bit changed inside the first page-content stream of the original document, a byte
    every signature covers; the file keeps its length and structure."""
    offset = data.index(b"stream\n") + 40
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]
