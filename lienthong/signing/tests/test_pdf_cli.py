"""`lienthong pdf sign` and `lienthong pdf verify` as an operator runs them, exit codes included."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .pades_helpers import DemoKeys, document_pdf, flip_one_byte, make_pki, pdftotext, signature_png

LIENTHONG = str(Path(sys.executable).parent / "lienthong")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DemoKeys:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "quyet-dinh.pdf").write_bytes(document_pdf())
    (tmp_path / "chu-ky.png").write_bytes(signature_png())
    return tmp_path


def _run(*args: str, anchors: Path | None = None, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIENTHONG_DATA_DIR": str(data_dir)}
    env["LIENTHONG_TRUST_ANCHORS"] = str(anchors) if anchors else str(data_dir / "no-anchors")
    return subprocess.run(
        [LIENTHONG, *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def _sign(keys: DemoKeys, files: Path, source: str, target: str, *extra: str) -> None:
    call_command(
        "pdf",
        "sign",
        str(files / source),
        str(files / target),
        "--p12",
        str(keys.directory / "person.p12"),
        "--password",
        "demo",
        *extra,
    )


def test_sign_visible_then_verify_against_the_root_exits_0(keys: DemoKeys, files: Path) -> None:
    _sign(keys, files, "quyet-dinh.pdf", "da-ky.pdf", "--visible", "--image", str(files / "chu-ky.png"))
    call_command(
        "pdf",
        "sign",
        str(files / "da-ky.pdf"),
        str(files / "da-ky-2.pdf"),
        "--p12",
        str(keys.directory / "agency.p12"),
        "--password",
        "demo",
        "--visible",
        "--page",
        "1",
        "--box",
        "360,760,575,822",
        "--reason",
        "Sao y bản chính",
    )
    text = pdftotext(files / "da-ky-2.pdf")
    assert "PHÓ CHỦ TỊCH" in text and "Lương Văn Tài" in text  # the title comes from the certificate
    assert "Thời gian ký:" in text  # the agency's certificate has no title: a text seal

    done = _run("pdf", "verify", str(files / "da-ky-2.pdf"), "--trust", str(keys.root_pem), data_dir=files)
    assert done.returncode == 0, done.stderr
    assert "Chữ ký 1 (Signature1): hợp lệ, tin cậy; người ký Lương Văn Tài" in done.stdout
    assert "Chữ ký 2 (Signature2): hợp lệ, tin cậy" in done.stdout

    out = io.StringIO()
    call_command(
        "pdf", "verify", str(files / "da-ky-2.pdf"), "--json", "--trust", str(keys.directory), stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["all_valid_and_trusted"] is True
    assert [s["field_name"] for s in data["signatures"]] == ["Signature1", "Signature2"]


def test_verify_exits_1_for_a_changed_byte_an_untrusted_root_or_no_signature(
    keys: DemoKeys, files: Path, settings: object
) -> None:
    _sign(keys, files, "quyet-dinh.pdf", "da-ky.pdf")
    (files / "sua.pdf").write_bytes(flip_one_byte((files / "da-ky.pdf").read_bytes()))
    changed = _run("pdf", "verify", str(files / "sua.pdf"), "--trust", str(keys.root_pem), data_dir=files)
    assert changed.returncode == 1, changed.stderr
    assert "không hợp lệ (nội dung đã bị thay đổi sau khi ký)" in changed.stdout

    settings.LIENTHONG_TRUST_ANCHORS = [str(files / "no-anchors")]  # type: ignore[attr-defined]
    for name, expected in (
        ("da-ky.pdf", "hợp lệ, không tin cậy"),
        ("quyet-dinh.pdf", "Tệp không có chữ ký số nào."),
    ):
        out = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("pdf", "verify", str(files / name), stdout=out)
        assert refused.value.returncode == 1 and expected in out.getvalue()


def test_verify_exits_2_for_a_file_that_is_not_a_pdf(files: Path) -> None:
    (files / "ghi-chu.txt").write_text("Đây là một tệp văn bản.", encoding="utf-8")
    done = _run("pdf", "verify", str(files / "ghi-chu.txt"), data_dir=files)
    assert done.returncode == 2, done.stderr
    assert "Tệp không phải PDF." in done.stderr and "pdf_not_pdf" in done.stderr
    with pytest.raises(CommandError) as missing:
        call_command("pdf", "verify", str(files / "khong-co.pdf"))
    assert missing.value.returncode == 2 and "không đọc được tệp PDF" in str(missing.value)


def test_sign_names_the_next_free_field_and_refuses_bad_options(keys: DemoKeys, files: Path) -> None:
    _sign(keys, files, "quyet-dinh.pdf", "mot.pdf")
    _sign(keys, files, "mot.pdf", "hai.pdf")
    assert b"/T (Signature2)" in (files / "hai.pdf").read_bytes()

    cases = {
        ("--password", "sai"): "pkcs12_unreadable",
        ("--visible", "--box", "500,50,700,150"): "box_outside_page",
        ("--visible", "--page", "9"): "--page 9",
        ("--box", "1,2,3"): "--box",
        ("--image", str(files / "quyet-dinh.pdf")): "image_unreadable",
    }
    for extra, expected in cases.items():
        arguments = ["--password", "demo", *extra] if extra[0] != "--password" else list(extra)
        with pytest.raises(CommandError) as refused:
            call_command(
                "pdf",
                "sign",
                str(files / "quyet-dinh.pdf"),
                str(files / "loi.pdf"),
                "--p12",
                str(keys.directory / "person.p12"),
                *arguments,
            )
        assert refused.value.returncode == 2 and expected in str(refused.value), (extra, refused.value)
        assert not (files / "loi.pdf").exists()
