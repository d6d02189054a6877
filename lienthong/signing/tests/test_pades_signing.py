"""PAdES signatures as Decree 30 asks for them, checked by poppler's pdfsig and by our own validator."""

from __future__ import annotations

import datetime as dt
import io
import socket
import unicodedata
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from lienthong.core.errors import DomainError
from lienthong.signing.pades import (
    Box,
    SealAppearance,
    SignerAppearance,
    add_designated_fields,
    seal_box_over,
    sign_pdf,
)
from lienthong.signing.pdffont import liberation_serif
from lienthong.signing.validation import validate_pdf

from .pades_helpers import (
    DATE_BOX,
    NUMBER_BOX,
    SIGNER_BOX,
    DemoKeys,
    document_pdf,
    flip_one_byte,
    make_pki,
    nss_database,
    pdfsig,
    pdftotext,
    seal_png,
    signature_png,
)
from .tsa import TimeStampAuthority, issue_tsa

TITLE = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
NUMBER = "Số: 15/QĐ-UBND"
DATE = "Thành Lam, ngày 06 tháng 12 năm 2026"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def nss(keys: DemoKeys, tmp_path_factory: pytest.TempPathFactory) -> str:
    return nss_database(tmp_path_factory.mktemp("nss"), keys.root_pem)


def _leader_and_clerk(keys: DemoKeys, *, certify: bool = False) -> tuple[bytes, bytes]:
    """The Decree 30 flow: places for number and date, the leader's signature, the clerk's agency signature
    filling them. Returns (after the leader, after the clerk)."""
    prepared = add_designated_fields(document_pdf(), {"so_ky_hieu": NUMBER_BOX, "ngay_ban_hanh": DATE_BOX})
    personal = sign_pdf(
        prepared,
        keys.person,
        field_name="ChuKyLanhDao",
        appearance=SignerAppearance(SIGNER_BOX, TITLE, "Lương Văn Tài", signature_png()),
        reason="Ký ban hành",
        certify=certify,
    )
    agency = sign_pdf(
        personal,
        keys.agency,
        field_name="ChuKyCoQuan",
        appearance=SealAppearance(seal_box_over(SIGNER_BOX, seal_png()), seal_png()),
        fill={"so_ky_hieu": NUMBER, "ngay_ban_hanh": DATE},
        location="Phường Thành Lam",
    )
    return personal, agency


def test_leader_then_clerk_with_number_and_date_filled_is_valid_and_trusted_everywhere(
    keys: DemoKeys, nss: str, tmp_path: Path
) -> None:
    personal, agency = _leader_and_clerk(keys)
    assert agency.startswith(personal)  # an incremental update: the leader's bytes are untouched
    path = tmp_path / "issued.pdf"
    path.write_bytes(agency)

    found = pdfsig(path, nss)
    assert [s.field for s in found] == ["ChuKyLanhDao", "ChuKyCoQuan"]
    assert all(s.valid and s.trusted for s in found), found

    report = validate_pdf(agency, [keys.anchor])
    assert report.all_valid_and_trusted
    leader, clerk = report.signatures
    assert (leader.signer, clerk.signer) == ("Lương Văn Tài", "Ủy ban nhân dân phường Thành Lam")
    assert leader.changes_after == "form_filling" and not leader.covers_whole_file
    assert clerk.changes_after == "none" and clerk.covers_whole_file
    assert leader.timestamp_time is None and leader.signing_time is not None

    text = pdftotext(path)
    for expected in (NUMBER, DATE, "Lương Văn Tài", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        assert expected in text


def test_a_certifying_leader_signature_still_allows_the_clerk_to_fill_and_sign(
    keys: DemoKeys, nss: str, tmp_path: Path
) -> None:
    _personal, agency = _leader_and_clerk(keys, certify=True)
    path = tmp_path / "certified.pdf"
    path.write_bytes(agency)
    assert all(s.valid and s.trusted for s in pdfsig(path, nss))
    report = validate_pdf(agency, [keys.anchor])
    assert report.all_valid_and_trusted
    assert report.signatures[0].changes_after == "form_filling"


def test_a_second_signature_alone_leaves_the_first_with_only_signatures_after(keys: DemoKeys) -> None:
    first = sign_pdf(document_pdf(), keys.person, field_name="Signature1")
    both = sign_pdf(first, keys.agency, field_name="Signature2")
    report = validate_pdf(both, [keys.anchor])
    assert [s.changes_after for s in report.signatures] == ["signatures", "none"]
    assert report.all_valid_and_trusted


def test_without_an_image_the_leader_stamp_is_text_with_every_vietnamese_letter(
    keys: DemoKeys, tmp_path: Path
) -> None:
    name = "Nguyễn Thị Ngọc Hường"
    signed = sign_pdf(
        document_pdf(),
        keys.person,
        field_name="Signature1",
        appearance=SignerAppearance(SIGNER_BOX, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", name),
    )
    path = tmp_path / "text-stamp.pdf"
    path.write_bytes(signed)
    text = pdftotext(path)
    for expected in ("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", name):
        assert expected in text
    assert validate_pdf(signed, [keys.anchor]).all_valid_and_trusted


def test_an_attachment_gets_the_agency_signature_as_text_with_number_and_iso_time(
    keys: DemoKeys, tmp_path: Path
) -> None:
    box = Box(0, 360, 760, 575, 822)  # top right of page one
    signed = sign_pdf(
        document_pdf(),
        keys.agency,
        field_name="Signature1",
        appearance=SealAppearance(box, text_lines=("Ủy ban nhân dân phường Thành Lam", NUMBER)),
    )
    path = tmp_path / "attachment.pdf"
    path.write_bytes(signed)
    text = " ".join(pdftotext(path).split())
    assert "Ủy ban nhân dân phường Thành Lam" in text and NUMBER in text
    signing_time = validate_pdf(signed, [keys.anchor]).signatures[0].signing_time
    assert signing_time is not None
    local = signing_time.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"Thời gian ký: {local.isoformat(timespec='seconds')}" in text


def test_an_invisible_signature_is_valid_in_pdfsig(keys: DemoKeys, nss: str, tmp_path: Path) -> None:
    path = tmp_path / "invisible.pdf"
    path.write_bytes(sign_pdf(document_pdf(), keys.agency, field_name="Signature1", reason="Sao y"))
    (only,) = pdfsig(path, nss)
    assert only.valid and only.trusted


def test_one_changed_byte_inside_the_signed_range_fails_in_pdfsig_and_in_ours(
    keys: DemoKeys, nss: str, tmp_path: Path
) -> None:
    _personal, agency = _leader_and_clerk(keys)
    tampered = flip_one_byte(agency)
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    found = pdfsig(path, nss)
    assert len(found) == 2 and not any(s.valid for s in found), found
    report = validate_pdf(tampered, [keys.anchor])
    assert not report.all_valid_and_trusted
    assert all(not s.intact and not s.valid for s in report.signatures)
    assert "nội dung đã bị thay đổi" in report.as_text()


def test_page_content_added_after_a_signature_is_reported_as_another_change(keys: DemoKeys) -> None:
    signed = sign_pdf(document_pdf(), keys.person, field_name="Signature1")
    writer = IncrementalPdfFileWriter.from_reader(PdfFileReader(io.BytesIO(signed)))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"0 0 100 100 re f")))
    out = io.BytesIO()
    writer.write(out)
    (report,) = validate_pdf(out.getvalue(), [keys.anchor]).signatures
    assert report.valid and report.trusted  # the signed revision itself is intact …
    assert report.changes_after == "other" and report.problems  # … but the page changed afterwards
    assert not validate_pdf(out.getvalue(), [keys.anchor]).all_valid_and_trusted


def test_with_a_time_stamp_authority_the_signature_is_b_t_and_reports_the_token_time(
    keys: DemoKeys, nss: str, tmp_path: Path
) -> None:
    authority = TimeStampAuthority(issue_tsa(keys.root), keys.root)
    with authority as url:
        signed = sign_pdf(document_pdf(), keys.person, field_name="Signature1", timestamp_url=url)
    assert authority.requests == 1
    path = tmp_path / "b-t.pdf"
    path.write_bytes(signed)
    (only,) = pdfsig(path, nss)
    assert only.valid and only.trusted
    (report,) = validate_pdf(signed, [keys.anchor]).signatures
    assert report.timestamp_time is not None and report.trusted
    assert abs((report.timestamp_time - dt.datetime.now(dt.UTC)).total_seconds()) < 120
    assert not any("dấu thời gian" in w.lower() for w in report.warnings)


def test_the_configured_time_stamp_authority_is_used_by_default(keys: DemoKeys, settings: object) -> None:
    authority = TimeStampAuthority(issue_tsa(keys.root), keys.root)
    with authority as url:
        settings.LIENTHONG_TSA_URL = url  # type: ignore[attr-defined]
        signed = sign_pdf(document_pdf(), keys.agency, field_name="Signature1")
        assert authority.requests == 1
        plain = sign_pdf(document_pdf(), keys.agency, field_name="Signature1", timestamp_url="")
        assert authority.requests == 1  # an explicit empty URL means B-B
    assert validate_pdf(signed, [keys.anchor]).signatures[0].timestamp_time is not None
    assert validate_pdf(plain, [keys.anchor]).signatures[0].timestamp_time is None


def test_an_unreachable_time_stamp_authority_is_a_clear_error(keys: DemoKeys) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DomainError) as refused:
        sign_pdf(
            document_pdf(), keys.agency, field_name="Signature1", timestamp_url=f"http://127.0.0.1:{port}/"
        )
    assert (refused.value.rule, refused.value.field) == ("tsa_unavailable", "timestamp_url")


def test_filled_fields_draw_with_the_font_the_form_already_carries(keys: DemoKeys) -> None:
    _personal, agency = _leader_and_clerk(keys)
    reader = PdfFileReader(io.BytesIO(agency))
    form = reader.root["/AcroForm"]
    carried = form["/DR"]["/Font"].raw_get("/LTSerif")
    for field_ref in form["/Fields"]:
        field = field_ref.get_object()
        if field["/FT"] == "/Tx":
            drawn = field["/AP"]["/N"]["/Resources"]["/Font"].raw_get("/FS")
            assert drawn.reference == carried.reference
            assert field["/V"] in (NUMBER, DATE)


def test_every_vietnamese_letter_has_its_own_glyph_in_both_fonts() -> None:
    bases = "aăâeêioôơuưy"
    letters = {
        unicodedata.normalize("NFC", base + tone)
        for base in bases + bases.upper()
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    } | {"đ", "Đ"}
    assert len(letters) == 12 * 2 * 6 + 2
    for bold in (False, True):
        font = liberation_serif(bold)
        missing = sorted(letter for letter in letters if ord(letter) not in font.glyph_of)
        assert missing == []
        assert font.glyphs("Lương") != font.glyphs("L?ong")
