"""`lienthong pki demo DIR` writes a test PKI that an independent tool (OpenSSL) accepts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError


def _openssl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)


def _certificate_from(p12: Path, password: str, out: Path) -> Path:
    # -legacy is not needed: cryptography writes AES-256/PBKDF2 PKCS#12, as OpenSSL 3 does by default.
    done = _openssl(
        "pkcs12", "-in", str(p12), "-passin", f"pass:{password}", "-nokeys", "-clcerts", "-out", str(out)
    )
    assert done.returncode == 0, done.stderr
    return out


def test_the_demo_pki_chains_to_its_root_for_openssl(tmp_path: Path) -> None:
    call_command("pki", "demo", str(tmp_path / "pki"))
    pki = tmp_path / "pki"
    assert sorted(p.name for p in pki.iterdir()) == ["agency.p12", "person.p12", "root-ca.pem"]
    for name in ("agency", "person"):
        pem = _certificate_from(pki / f"{name}.p12", "demo", tmp_path / f"{name}.pem")
        verified = _openssl("verify", "-CAfile", str(pki / "root-ca.pem"), str(pem))
        assert verified.returncode == 0 and verified.stdout.strip().endswith(": OK"), verified.stderr


def test_the_personal_certificate_carries_the_vietnamese_name_title_and_signing_uses(tmp_path: Path) -> None:
    call_command("pki", "demo", str(tmp_path), "--password", "mật khẩu")
    key, certificate, extra = pkcs12.load_key_and_certificates(
        (tmp_path / "person.p12").read_bytes(), "mật khẩu".encode()
    )
    assert key is not None and certificate is not None and len(extra) == 1
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Lương Văn Tài"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Chủ tịch"
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_wrong_password_does_not_open_the_key(tmp_path: Path) -> None:
    call_command("pki", "demo", str(tmp_path), "--password", "dung")
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates((tmp_path / "agency.p12").read_bytes(), b"sai")
    assert (
        _openssl("pkcs12", "-in", str(tmp_path / "agency.p12"), "-passin", "pass:sai", "-nokeys").returncode
        != 0
    )


def test_a_file_in_place_of_the_directory_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "not-a-dir"
    target.write_text("x")
    with pytest.raises(CommandError, match="không phải thư mục"):
        call_command("pki", "demo", str(target))
