"""PAdES signatures on PDF documents with pyHanko: the leader's personal signature, the agency's signature.

Every signature is an incremental update, so earlier signatures stay valid; the signature is PAdES baseline B-B
(``/ETSI.CAdES.detached``, SHA-256, signing certificate bound in the signed attributes) and B-T when a
time-stamp authority is given or configured (``LIENTHONG_TSA_URL``). The flow of Decree 30/2020 for an outgoing
document is supported as one piece: :func:`add_designated_fields` puts empty fields for the number and the issue
date on the page, the leader signs (the signature covers the empty fields), and the clerk's agency signature
fills them in the same update — *form filling*, which validators (pyHanko's and ours) accept after a signature,
unlike a change of page content.

Bad input is refused before anything is written, as a DomainError naming the argument and the rule.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.content import PdfResources
from pyhanko.pdf_utils.form_tools import annot_width_height, get_single_field_annot
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import FormFillingError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lienthong.core.errors import DomainError

from .appearance import (
    PaintedStyle,
    Resources,
    form_xobject,
    paint_field_value,
    paint_seal,
    paint_signer,
    prepare_png,
    seal_text_lines,
)
from .keys import KeyFile
from .speedups import install as _install_speedups

_install_speedups()  # signature contents parse 10x faster (see speedups)

FIELD_FONT_KEY = "/LTSerif"
FIELD_FONT_SIZE = 13
TSA_TIMEOUT_SECONDS = 10
_FIELD_NAME = re.compile(r"^[^.\x00-\x1f]{1,100}$")  # "." separates the parts of a PDF field name
_MAX_FILL_LENGTH = 200
_TOLERANCE = 0.5  # points: rounding in the caller's arithmetic is not "outside the page"


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF user space, in points, origin bottom-left; ``page`` counts from 0."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SignerAppearance:
    """A leader's personal signature (Decree 30): the blue handwritten image centred between the title lines and
    the name; text only when there is no image."""

    box: Box
    title: str  # e.g. "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    name: str  # "Lương Văn Tài"
    image_png: bytes | None = None


@dataclass(frozen=True)
class SealAppearance:
    """The agency's signature: the red seal image at real size; with no image, a text appearance (attachments in
    separate files: number and notation, then the signing time, Liberation Serif 10 pt, black)."""

    box: Box
    image_png: bytes | None = None
    text_lines: tuple[str, ...] = ()


# --- signers --------------------------------------------------------------------------------------------


class KeyFileSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the private key parsed once.

    SimpleSigner re-reads its key from DER for every signature, and loading an RSA key validates it (about
    40 ms for RSA-2048, more than the rest of the signature); this signer keeps the loaded key.
    """

    def __init__(self, key: KeyFile) -> None:
        der = serialization.Encoding.DER
        certificate = asn1_x509.Certificate.load(key.certificate.public_bytes(der))
        chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in key.chain]
        private = asn1_keys.PrivateKeyInfo.load(
            key.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        super().__init__(
            signing_cert=certificate,
            signing_key=private,
            cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
        )
        self._loaded_key = key.key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        key = self._loaded_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(digest))
        return bytes(super().sign_raw(data, digest_algorithm))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        return self.sign_raw(data, digest_algorithm)


def signer_from_keyfile(key: KeyFile) -> signers.SimpleSigner:
    """A pyHanko signer for a key loaded from a PKCS#12 file (see :func:`lienthong.signing.keys.load_pkcs12`)."""
    return KeyFileSigner(key)


# --- opening and checking -------------------------------------------------------------------------------


def _error(message: str, rule: str, field_name: str) -> DomainError:
    return DomainError(message=message, rule=rule, field=field_name)


def open_pdf(pdf: bytes, field_name: str = "pdf") -> PdfFileReader:
    """A reader over ``pdf``; what is not a PDF, is damaged or encrypted is a DomainError on ``field_name``."""
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in bytes(pdf[:1024]):
        raise _error(_("Tệp không phải PDF."), "pdf_not_pdf", field_name)
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf)), strict=False)
        encrypted = reader.encrypted
        if not encrypted:
            reader.root["/Pages"]["/Count"]  # the page tree must be readable
    except (misc.PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError, OSError):
        raise _error(_("Tệp PDF bị hỏng, không đọc được."), "pdf_damaged", field_name) from None
    if encrypted:
        raise _error(
            _("Tệp PDF đã được mã hóa (có mật khẩu); hãy gỡ mã hóa trước khi ký."),
            "pdf_encrypted",
            field_name,
        )
    return reader


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter.from_reader(open_pdf(pdf))


def _walk_fields(
    items: Any, parent: str = "", seen: frozenset[int] = frozenset()
) -> Iterator[tuple[str, generic.IndirectObject]]:
    if not isinstance(items, generic.ArrayObject):
        return
    for ref in items:
        if not isinstance(ref, generic.IndirectObject) or ref.idnum in seen:
            continue
        field = ref.get_object()
        if not isinstance(field, generic.DictionaryObject) or "/T" not in field:
            continue
        name = f"{parent}.{field['/T']}" if parent else str(field["/T"])
        yield name, ref
        if "/Kids" in field:
            yield from _walk_fields(field["/Kids"], name, seen | {ref.idnum})


def form_fields(reader: PdfFileReader | IncrementalPdfFileWriter) -> dict[str, generic.IndirectObject]:
    """Every named form field of the document by fully qualified name."""
    try:
        form = reader.root["/AcroForm"]
    except KeyError:
        return {}
    if not isinstance(form, generic.DictionaryObject):
        return {}
    return dict(_walk_fields(form.get("/Fields")))


def _check_new_name(name: str, taken: Mapping[str, object], field_name: str) -> None:
    if not isinstance(name, str) or not _FIELD_NAME.match(name):
        raise _error(
            _("Tên trường không hợp lệ: cần 1–100 ký tự, không có dấu chấm."),
            "field_name_invalid",
            field_name,
        )
    if name in taken:
        raise _error(_("Tài liệu đã có trường tên “%(name)s”.") % {"name": name}, "field_exists", field_name)


def page_count(reader: PdfFileReader | IncrementalPdfFileWriter) -> int:
    return int(reader.root["/Pages"]["/Count"])


def page_rect(
    reader: PdfFileReader | IncrementalPdfFileWriter, page: int
) -> tuple[float, float, float, float]:
    """The visible area of page ``page`` (0-based): its crop box, else its media box."""
    page_obj = reader.find_page_for_modification(page)[0].get_object()
    for key in ("/CropBox", "/MediaBox"):
        found = find_inherited_value_in_tree(page_obj, key, "/Parent")
        if found is not None:
            x1, y1, x2, y2 = (float(v) for v in found)
            return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    return 0.0, 0.0, 612.0, 792.0  # the PDF default (US Letter)


def _checked_box(
    writer: IncrementalPdfFileWriter, box: Box, field_name: str
) -> tuple[generic.IndirectObject, tuple[float, float, float, float]]:
    if not isinstance(box, Box):
        raise _error(_("Vị trí phải là một Box."), "box_invalid", field_name)
    if box.x2 - box.x1 < 1 or box.y2 - box.y1 < 1:
        raise _error(
            _("Khung trống hoặc ngược: cần x1 < x2 và y1 < y2 (đơn vị điểm)."), "box_empty", field_name
        )
    pages = page_count(writer)
    if not 0 <= box.page < pages:
        raise _error(
            _("Trang %(page)d không có: tài liệu có %(count)d trang (đánh số từ 0).")
            % {"page": box.page, "count": pages},
            "box_outside_page",
            field_name,
        )
    px1, py1, px2, py2 = page_rect(writer, box.page)
    if (
        box.x1 < px1 - _TOLERANCE
        or box.y1 < py1 - _TOLERANCE
        or box.x2 > px2 + _TOLERANCE
        or box.y2 > py2 + _TOLERANCE
    ):
        raise _error(
            _("Khung (%(x1)g, %(y1)g, %(x2)g, %(y2)g) nằm ngoài trang (%(px1)g, %(py1)g, %(px2)g, %(py2)g).")
            % {
                "x1": box.x1,
                "y1": box.y1,
                "x2": box.x2,
                "y2": box.y2,
                "px1": px1,
                "py1": py1,
                "px2": px2,
                "py2": py2,
            },
            "box_outside_page",
            field_name,
        )
    page_ref = writer.find_page_for_modification(box.page)[0]
    return page_ref, (box.x1, box.y1, box.x2, box.y2)


def default_box(pdf: bytes, page: int | None = None, width: float = 200, height: float = 100) -> Box:
    """A stamp's box at the bottom right of ``page`` (default: the last page), 36 pt from the edges."""
    reader = open_pdf(pdf)
    index = page_count(reader) - 1 if page is None else page
    if not 0 <= index < page_count(reader):
        raise _error(_("Trang %(page)d không có.") % {"page": index}, "box_outside_page", "page")
    _x1, y1, x2, _y2 = page_rect(reader, index)
    return Box(index, x2 - 36 - width, y1 + 36, x2 - 36, y1 + 36 + height)


def seal_box_over(signer_box: Box, seal_png: bytes) -> Box:
    """A box of the seal's real size placed as Decree 30 asks: over the left third of the signer's stamp,
    centred on it vertically."""
    seal = prepare_png(seal_png, "image_png")
    right = signer_box.x1 + (signer_box.x2 - signer_box.x1) / 3
    middle = (signer_box.y1 + signer_box.y2) / 2
    return Box(
        signer_box.page,
        right - seal.width_pt,
        middle - seal.height_pt / 2,
        right,
        middle + seal.height_pt / 2,
    )


# --- designated fields ----------------------------------------------------------------------------------


def _mark(writer: IncrementalPdfFileWriter, holder: generic.DictionaryObject, key: str) -> Any:
    """``holder[key]`` for changing in place: the indirect object is marked updated, a direct one's holder is."""
    raw = holder.raw_get(key)
    if isinstance(raw, generic.IndirectObject):
        writer.mark_update(raw)
        return raw.get_object()
    writer.update_container(holder)
    return raw


def _acroform(writer: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    root = writer.root
    if "/AcroForm" not in root:
        root[pdf_name("/AcroForm")] = writer.add_object(
            generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        )
        writer.update_root()
    form = _mark(writer, root, "/AcroForm")
    if "/Fields" not in form:
        form[pdf_name("/Fields")] = generic.ArrayObject()
    return form


def add_designated_fields(pdf: bytes, fields: Mapping[str, Box]) -> bytes:
    """Add empty text form fields (e.g. ``{"so_ky_hieu": Box(...), "ngay_ban_hanh": Box(...)}``) as an update the
    later signature covers, so filling them after a personal signature is *form filling*, a change PDF validators
    allow, and not a change of page content."""
    writer = _writer(pdf)
    if not fields:
        raise _error(_("Cần ít nhất một trường."), "required", "fields")
    taken = form_fields(writer)
    placed = []
    for name, box in fields.items():
        _check_new_name(name, taken, f"fields.{name}")
        placed.append((name, *_checked_box(writer, box, f"fields.{name}")))
    book = Resources(writer)
    _font, font_ref = book.font(bold=False)
    form = _acroform(writer)
    if "/DR" not in form:
        form[pdf_name("/DR")] = generic.DictionaryObject()
    resources = _mark(writer, form, "/DR")
    if "/Font" not in resources:
        resources[pdf_name("/Font")] = generic.DictionaryObject()
    fonts = _mark(writer, resources, "/Font")
    font_key = FIELD_FONT_KEY
    while font_key in fonts and fonts.raw_get(font_key) != font_ref:
        font_key += "X"
    fonts[pdf_name(font_key)] = font_ref
    appearance = b"/%s %d Tf 0 g" % (font_key[1:].encode(), FIELD_FONT_SIZE)
    field_list = _mark(writer, form, "/Fields")
    for name, page_ref, (x1, y1, x2, y2) in placed:
        empty = writer.add_object(form_xobject(b"/Tx BMC EMC", PdfResources(), x2 - x1, y2 - y1))
        field = generic.DictionaryObject(
            {
                pdf_name("/FT"): pdf_name("/Tx"),
                pdf_name("/T"): pdf_string(name),
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in (x1, y1, x2, y2)),
                pdf_name("/F"): generic.NumberObject(4),  # printed
                pdf_name("/P"): page_ref,
                pdf_name("/DA"): pdf_string(appearance.decode()),
                pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): empty}),
            }
        )
        ref = writer.add_object(field)
        field_list.append(ref)
        writer.register_annotation(page_ref, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fill(writer: IncrementalPdfFileWriter, book: Resources, fill: Mapping[str, str]) -> None:
    existing = form_fields(writer)
    targets = {}
    for name, value in fill.items():
        ref = existing.get(name)
        field = ref.get_object() if ref is not None else None
        if ref is None or field is None or field.get("/FT") != "/Tx":
            raise _error(
                _("Tài liệu không có trường văn bản “%(name)s” để điền.") % {"name": name},
                "unknown_field",
                "fill",
            )
        if not isinstance(value, str) or len(value) > _MAX_FILL_LENGTH or any(ord(c) < 32 for c in value):
            raise _error(
                _("Giá trị điền vào “%(name)s” phải là một dòng chữ, tối đa %(max)d ký tự.")
                % {"name": name, "max": _MAX_FILL_LENGTH},
                "fill_value_invalid",
                f"fill.{name}",
            )
        try:
            annot = get_single_field_annot(field)
        except FormFillingError:
            annot = None
        width, height = annot_width_height(annot) if annot is not None else (0, 0)
        if annot is None or width < 1 or height < 1:
            raise _error(
                _("Trường “%(name)s” không có đúng một ô hiện trên trang nên không điền được.")
                % {"name": name},
                "field_not_fillable",
                "fill",
            )
        targets[name] = (ref, field, annot, float(width), float(height), value)
    # Everything is checked before the first change, so a refused fill leaves the writer untouched.
    for ref, field, annot, width, height, value in targets.values():
        content, resources = paint_field_value(book, width, height, value)
        appearance = writer.add_object(form_xobject(content, resources, width, height))
        field[pdf_name("/V")] = pdf_string(value)
        annot[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): appearance})
        writer.mark_update(ref)
        if annot is not field:
            writer.update_container(annot)


# --- signing --------------------------------------------------------------------------------------------


def _common_name(signer: signers.Signer) -> str:
    certificate = signer.signing_cert
    if certificate is None:
        return ""
    return str(certificate.subject.native.get("common_name", "") or "")


def _bytes_reserved(signer: signers.Signer, timestamped: bool) -> int:
    """Room for the CMS container, so pyHanko need not sign a dummy first to measure it (hex doubles it)."""
    certificates = list(signer.cert_registry)
    if signer.signing_cert is not None:
        certificates.append(signer.signing_cert)
    size = sum(len(c.dump()) for c in certificates) + 4096
    if timestamped:
        size += 12288  # the token with the TSA's certificates
    return 2 * size


def _style(book: Resources, appearance: SignerAppearance | SealAppearance, signer_name: str) -> PaintedStyle:
    if isinstance(appearance, SignerAppearance):
        image = (
            prepare_png(appearance.image_png, "appearance.image_png")
            if appearance.image_png is not None
            else None
        )

        def paint_person(width: float, height: float, signed_at: datetime) -> Any:
            return paint_signer(
                book, width, height, title=appearance.title, name=appearance.name, image=image
            )

        return PaintedStyle(painter=paint_person)
    seal = (
        prepare_png(appearance.image_png, "appearance.image_png")
        if appearance.image_png is not None
        else None
    )

    def paint_agency(width: float, height: float, signed_at: datetime) -> Any:
        lines = [] if seal is not None else seal_text_lines(appearance.text_lines, signer_name, signed_at)
        return paint_seal(book, width, height, image=seal, lines=lines)

    return PaintedStyle(painter=paint_agency)


def configured_tsa_url() -> str:
    return str(getattr(settings, "LIENTHONG_TSA_URL", "") or "")


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    field_name: str,
    appearance: SignerAppearance | SealAppearance | None = None,
    reason: str = "",
    location: str = "",
    fill: Mapping[str, str] | None = None,
    timestamp_url: str | None = None,
    certify: bool = False,
) -> bytes:
    """PAdES signature as an incremental update (earlier signatures stay valid). ``fill`` sets values (with
    appearance streams, Liberation Serif, Vietnamese) of text fields added by add_designated_fields, in the same
    update as the signature. B-B by default; B-T (signature time-stamp) when ``timestamp_url`` is given, and by
    default when settings.LIENTHONG_TSA_URL is set. Bad input → DomainError: not a PDF (rule pdf_not_pdf),
    damaged (pdf_damaged), encrypted (pdf_encrypted), unknown field in fill (unknown_field), field name taken
    (field_exists), box outside the page (box_outside_page); field="pdf" or the argument's name."""
    writer = _writer(pdf)
    _check_new_name(field_name, form_fields(writer), "field_name")
    book = Resources(writer)
    style = None
    if appearance is not None:
        _page_ref, rect = _checked_box(writer, appearance.box, "appearance.box")
        style = _style(book, appearance, _common_name(signer))
        spec = fields.SigFieldSpec(field_name, on_page=appearance.box.page, box=rect)  # type: ignore[arg-type]
    else:
        spec = fields.SigFieldSpec(field_name)
    if fill:
        _fill(writer, book, fill)
    url = configured_tsa_url() if timestamp_url is None else timestamp_url
    timestamper = HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS) if url else None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(
            writer, output=out, bytes_reserved=_bytes_reserved(signer, timestamper is not None)
        )
    except TimestampRequestError:
        raise DomainError(
            message=_("Không lấy được dấu thời gian từ %(url)s.") % {"url": url},
            rule="tsa_unavailable",
            field="timestamp_url",
            status=503,
        ) from None
    except misc.PdfError:  # an object the first reading did not touch turned out broken
        raise _error(_("Tệp PDF bị hỏng, không đọc được."), "pdf_damaged", "pdf") from None
    except SigningError as exc:
        raise _error(
            _("Tài liệu không cho phép ký thêm: %(detail)s") % {"detail": exc}, "pdf_locked", "pdf"
        ) from None
    return out.getvalue()
