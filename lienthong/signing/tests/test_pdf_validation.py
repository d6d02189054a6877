"""Validating any PDF: trust anchors from configuration, untrusted and expired signers, the report."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from lienthong.core.errors import DomainError
from lienthong.signing.pades import SignerAppearance, add_designated_fields, sign_pdf
from lienthong.signing.trust import trust_anchors
from lienthong.signing.validation import VN_TZ, validate_pdf

from .pades_helpers import DATE_BOX, NUMBER_BOX, SIGNER_BOX, DemoKeys, document_pdf, make_pki


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def issued(keys: DemoKeys) -> bytes:
    prepared = add_designated_fields(document_pdf(), {"so_ky_hieu": NUMBER_BOX, "ngay_ban_hanh": DATE_BOX})
    personal = sign_pdf(
        prepared,
        keys.person,
        field_name="Signature1",
        appearance=SignerAppearance(SIGNER_BOX, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Lương Văn Tài"),
    )
    return sign_pdf(personal, keys.agency, field_name="Signature2", fill={"so_ky_hieu": "Số: 15/QĐ-UBND"})


def test_the_configured_trust_directory_is_used_and_a_new_root_counts_without_a_restart(
    keys: DemoKeys, issued: bytes, tmp_path: Path, settings: object
) -> None:
    anchors = tmp_path / "trust"
    anchors.mkdir()
    settings.LIENTHONG_TRUST_ANCHORS = [str(anchors)]  # type: ignore[attr-defined]
    assert trust_anchors() == []
    before = validate_pdf(issued)
    assert not before.all_valid_and_trusted and not any(s.trusted for s in before.signatures)
    assert all(s.valid for s in before.signatures)

    shutil.copy(keys.root_pem, anchors / "lienthong-root.pem")
    assert [a.subject for a in trust_anchors()] == [keys.anchor.subject]
    after = validate_pdf(issued)
    assert after.all_valid_and_trusted


def test_anchors_may_be_listed_as_files_and_directories(
    keys: DemoKeys, tmp_path: Path, settings: object
) -> None:
    other = make_pki(tmp_path / "other")
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(other.root_pem, folder / "other.pem")
    (folder / "notes.txt").write_text("không phải chứng thư")
    settings.LIENTHONG_TRUST_ANCHORS = [str(keys.root_pem), str(folder)]  # type: ignore[attr-defined]
    assert {a.subject for a in trust_anchors()} == {keys.anchor.subject, other.anchor.subject}
    assert len(trust_anchors()) == 2


def test_an_unreadable_anchor_file_is_a_clear_error(tmp_path: Path, settings: object) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    settings.LIENTHONG_TRUST_ANCHORS = [str(broken)]  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as refused:
        trust_anchors()
    assert (refused.value.rule, refused.value.field) == ("trust_anchor_unreadable", "LIENTHONG_TRUST_ANCHORS")


def test_a_signer_from_another_pki_is_valid_but_not_trusted(keys: DemoKeys, tmp_path: Path) -> None:
    stranger = make_pki(tmp_path / "stranger")
    signed = sign_pdf(document_pdf(), stranger.person, field_name="Signature1")
    (report,) = validate_pdf(signed, [keys.anchor]).signatures
    assert report.intact and report.valid and not report.trusted
    assert any("không nối được tới chứng thư gốc" in p for p in report.problems)


def test_a_certificate_that_expired_before_signing_is_not_trusted(keys: DemoKeys, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = make_pki(tmp_path / "expired", now=now - dt.timedelta(days=4 * 365), person_years=3)
    signed = sign_pdf(document_pdf(), expired.person, field_name="Signature1")
    (report,) = validate_pdf(signed, [expired.anchor]).signatures
    assert report.valid and not report.trusted
    assert any("hiệu lực" in p for p in report.problems)


def test_a_pdf_without_signatures_is_not_accepted(keys: DemoKeys) -> None:
    report = validate_pdf(document_pdf(), [keys.anchor])
    assert report.signatures == () and not report.all_valid_and_trusted
    assert report.as_text() == "Tệp không có chữ ký số nào."
    assert report.as_dict() == {"all_valid_and_trusted": False, "signatures": []}


def test_the_report_reads_like_a_clerk_expects_and_its_json_has_every_field(
    keys: DemoKeys, issued: bytes
) -> None:
    report = validate_pdf(issued, [keys.anchor])
    leader = report.signatures[0]
    assert leader.signing_time is not None
    when = leader.signing_time.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    text = report.as_text()
    assert (
        f"Chữ ký 1 (Signature1): hợp lệ, tin cậy; người ký Lương Văn Tài; ký lúc {when}; "
        "sau khi ký: chỉ điền biểu mẫu"
    ) in text
    assert "Chữ ký 2 (Signature2): hợp lệ, tin cậy; người ký Ủy ban nhân dân phường Thành Lam" in text
    assert "Chưa kiểm tra tình trạng thu hồi chứng thư" in text
    assert text.endswith("Kết luận: mọi chữ ký đều hợp lệ và tin cậy.")

    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["all_valid_and_trusted"] is True
    first = data["signatures"][0]
    assert set(first) == {
        "field_name",
        "signer",
        "signer_subject",
        "certificate_sha256",
        "intact",
        "valid",
        "trusted",
        "signing_time",
        "timestamp_time",
        "covers_whole_file",
        "changes_after",
        "problems",
        "warnings",
    }
    assert first["signer_subject"].startswith("CN=Lương Văn Tài,title=Phó Chủ tịch")
    assert len(first["certificate_sha256"]) == 64
    assert dt.datetime.fromisoformat(first["signing_time"]) == leader.signing_time
    assert first["timestamp_time"] is None and first["changes_after"] == "form_filling"
