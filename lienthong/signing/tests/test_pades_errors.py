"""Bad input to PAdES signing is refused with the rule and the field, before anything is written."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import fields, signers

from lienthong.core.errors import DomainError
from lienthong.signing.pades import (
    Box,
    SealAppearance,
    SignerAppearance,
    add_designated_fields,
    default_box,
    sign_pdf,
)
from lienthong.signing.validation import validate_pdf

from .pades_helpers import DATE_BOX, NUMBER_BOX, SIGNER_BOX, DemoKeys, document_pdf, make_pki, signature_png


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _refused(call: Callable[[], object]) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.message
    return refused.value.rule, refused.value.field


def _encrypted() -> bytes:
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(document_pdf())))
    writer.encrypt("chủ sở hữu", "người đọc")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


NOT_READABLE: dict[str, tuple[Callable[[], bytes], str]] = {
    "text file": (lambda: "Quyết định – một tệp văn bản".encode(), "pdf_not_pdf"),
    "empty": (lambda: b"", "pdf_not_pdf"),
    "truncated": (lambda: document_pdf()[: len(document_pdf()) // 2], "pdf_damaged"),
    "no page tree": (lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF", "pdf_damaged"),
}


@pytest.mark.parametrize("case", NOT_READABLE)
def test_what_is_not_a_readable_pdf_is_refused_for_signing_fields_and_validation(
    keys: DemoKeys, case: str
) -> None:
    build, rule = NOT_READABLE[case]
    data = build()
    assert _refused(lambda: sign_pdf(data, keys.person, field_name="Signature1")) == (rule, "pdf")
    assert _refused(lambda: add_designated_fields(data, {"so_ky_hieu": NUMBER_BOX})) == (rule, "pdf")
    assert _refused(lambda: validate_pdf(data, [keys.anchor])) == (rule, "pdf")


def test_an_encrypted_pdf_is_refused(keys: DemoKeys) -> None:
    encrypted = _encrypted()
    assert _refused(lambda: sign_pdf(encrypted, keys.person, field_name="Signature1")) == (
        "pdf_encrypted",
        "pdf",
    )
    assert _refused(lambda: validate_pdf(encrypted, [keys.anchor])) == ("pdf_encrypted", "pdf")


def test_a_field_name_already_in_the_document_is_refused(keys: DemoKeys) -> None:
    prepared = add_designated_fields(document_pdf(), {"so_ky_hieu": NUMBER_BOX})
    assert _refused(lambda: sign_pdf(prepared, keys.person, field_name="so_ky_hieu")) == (
        "field_exists",
        "field_name",
    )
    signed = sign_pdf(prepared, keys.person, field_name="Signature1")
    assert _refused(lambda: sign_pdf(signed, keys.agency, field_name="Signature1")) == (
        "field_exists",
        "field_name",
    )
    assert _refused(lambda: add_designated_fields(prepared, {"so_ky_hieu": DATE_BOX})) == (
        "field_exists",
        "fields.so_ky_hieu",
    )


@pytest.mark.parametrize("name", ["", "so.ky_hieu", "x" * 101, "dòng\nmới"])
def test_a_malformed_field_name_is_refused(keys: DemoKeys, name: str) -> None:
    assert _refused(lambda: sign_pdf(document_pdf(), keys.person, field_name=name)) == (
        "field_name_invalid",
        "field_name",
    )


@pytest.mark.parametrize(
    ("box", "rule"),
    [
        (Box(1, 400, 90, 700, 230), "box_outside_page"),  # past the right edge of A4
        (Box(1, 330, -20, 540, 100), "box_outside_page"),
        (Box(2, 330, 90, 540, 230), "box_outside_page"),  # the document has pages 0 and 1
        (Box(-1, 330, 90, 540, 230), "box_outside_page"),
        (Box(1, 540, 90, 330, 230), "box_empty"),
        (Box(1, 330, 90, 330, 230), "box_empty"),
    ],
)
def test_a_stamp_box_that_does_not_fit_on_the_page_is_refused(keys: DemoKeys, box: Box, rule: str) -> None:
    appearance = SignerAppearance(box, "CHỦ TỊCH", "Lương Văn Tài")
    assert _refused(
        lambda: sign_pdf(document_pdf(), keys.person, field_name="Signature1", appearance=appearance)
    ) == (rule, "appearance.box")
    assert _refused(lambda: add_designated_fields(document_pdf(), {"ngay_ban_hanh": box})) == (
        rule,
        "fields.ngay_ban_hanh",
    )


def test_filling_a_field_the_document_does_not_have_is_refused(keys: DemoKeys) -> None:
    prepared = add_designated_fields(document_pdf(), {"so_ky_hieu": NUMBER_BOX})
    signed = sign_pdf(prepared, keys.person, field_name="Signature1")
    assert _refused(
        lambda: sign_pdf(signed, keys.agency, field_name="Signature2", fill={"ngay_ban_hanh": "06/12/2026"})
    ) == ("unknown_field", "fill")
    # a signature field is not a text field to fill either
    assert _refused(
        lambda: sign_pdf(signed, keys.agency, field_name="Signature2", fill={"Signature1": "x"})
    ) == ("unknown_field", "fill")
    assert _refused(
        lambda: sign_pdf(signed, keys.agency, field_name="Signature2", fill={"so_ky_hieu": "Số:\n15"})
    ) == ("fill_value_invalid", "fill.so_ky_hieu")


@pytest.mark.parametrize(
    "image",
    [b"not an image", signature_png()[:200], b"GIF89a" + b"\x00" * 40],
    ids=["text", "truncated png", "gif header"],
)
def test_an_unreadable_image_is_refused(keys: DemoKeys, image: bytes) -> None:
    for appearance in (
        SignerAppearance(SIGNER_BOX, "CHỦ TỊCH", "Lương Văn Tài", image),
        SealAppearance(SIGNER_BOX, image),
    ):
        assert _refused(
            lambda appearance=appearance: sign_pdf(
                document_pdf(), keys.agency, field_name="Signature1", appearance=appearance
            )
        ) == ("image_unreadable", "appearance.image_png")


def test_a_jpeg_is_not_accepted_as_the_png_image(keys: DemoKeys, tmp_path: Path) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 0, 200)).save(out, "JPEG")
    appearance = SignerAppearance(SIGNER_BOX, "CHỦ TỊCH", "Lương Văn Tài", out.getvalue())
    assert _refused(
        lambda: sign_pdf(document_pdf(), keys.person, field_name="Signature1", appearance=appearance)
    ) == ("image_unreadable", "appearance.image_png")


def test_the_default_box_is_at_the_bottom_right_of_the_last_page() -> None:
    box = default_box(document_pdf())
    assert box.page == 1 and box.x2 == pytest.approx(595.28 - 36, abs=0.5) and box.y1 == pytest.approx(36)
    assert _refused(lambda: default_box(document_pdf(), page=5)) == ("box_outside_page", "page")


def test_a_document_certified_against_any_change_cannot_be_signed_again(keys: DemoKeys) -> None:
    locked = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name="Certified", certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES
        ),
        keys.agency,
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(document_pdf())), output=locked)
    assert _refused(lambda: sign_pdf(locked.getvalue(), keys.person, field_name="Signature1")) == (
        "pdf_locked",
        "pdf",
    )


def test_a_text_field_with_two_widgets_is_not_filled(keys: DemoKeys) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(document_pdf()))
    page_ref = writer.find_page_for_modification(0)[0]
    parent = generic.DictionaryObject(
        {generic.pdf_name("/FT"): generic.pdf_name("/Tx"), generic.pdf_name("/T"): generic.pdf_string("so")}
    )
    parent_ref = writer.add_object(parent)
    kids = generic.ArrayObject()
    for x in (100, 300):
        widget = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
                generic.pdf_name("/Rect"): generic.ArrayObject(
                    generic.NumberObject(v) for v in (x, 800, x + 80, 820)
                ),
                generic.pdf_name("/Parent"): parent_ref,
                generic.pdf_name("/P"): page_ref,
            }
        )
        widget_ref = writer.add_object(widget)
        kids.append(widget_ref)
        writer.register_annotation(page_ref, widget_ref)
    parent[generic.pdf_name("/Kids")] = kids
    writer.root[generic.pdf_name("/AcroForm")] = generic.DictionaryObject(
        {generic.pdf_name("/Fields"): generic.ArrayObject([parent_ref])}
    )
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert _refused(
        lambda: sign_pdf(out.getvalue(), keys.agency, field_name="Signature1", fill={"so": "Số: 15/QĐ-UBND"})
    ) == ("field_not_fillable", "fill")
