"""XML signatures on edXML packages: ours verify in xmlsec1 and in our verifier; a one-byte change fails both."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509

from lienthong.core.errors import DomainError
from lienthong.signing.keys import load_pkcs12
from lienthong.signing.pki import write_demo_pki
from lienthong.signing.xmldsig import sign_xml, verify_xml

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXMLHeader><MessageHeader><From><OrganId>000.00.31.H99</OrganId></From>
  <Subject>Về việc triển khai dịch vụ công trực tuyến</Subject></MessageHeader></edXMLHeader>
  <edXMLBody/>
</edXMLEnvelope>""".encode()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki")
    write_demo_pki(directory)
    return directory


def _root(pki: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate((pki / "root-ca.pem").read_bytes())


def _signed(pki: Path) -> bytes:
    return sign_xml(PACKAGE, load_pkcs12((pki / "agency.p12").read_bytes(), "demo"))


def _xmlsec1(path: Path, pki: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(pki / "root-ca.pem"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_agency_signed_package_verifies_in_xmlsec1_and_in_ours(pki: Path, tmp_path: Path) -> None:
    signed = _signed(pki)
    assert b"xml-exc-c14n#" in signed and b"rsa-sha256" in signed
    (tmp_path / "signed.xml").write_bytes(signed)
    done = _xmlsec1(tmp_path / "signed.xml", pki)
    assert done.returncode == 0, done.stderr
    result = verify_xml(signed, [_root(pki)])
    assert result.valid and result.warnings == []
    assert "Ủy ban nhân dân phường Thành Lam" in result.signer


def test_one_changed_byte_fails_in_both_verifiers(pki: Path, tmp_path: Path) -> None:
    signed = _signed(pki)
    tampered = signed.replace(b"<OrganId>000.00.31.H99", b"<OrganId>000.00.32.H99", 1)
    assert tampered != signed and len(tampered) == len(signed)
    (tmp_path / "tampered.xml").write_bytes(tampered)
    assert _xmlsec1(tmp_path / "tampered.xml", pki).returncode != 0
    assert not verify_xml(tampered, [_root(pki)]).valid


def test_a_signature_from_another_pki_is_not_trusted(pki: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_demo_pki(other)
    signed = sign_xml(PACKAGE, load_pkcs12((other / "person.p12").read_bytes(), "demo"))
    result = verify_xml(signed, [_root(pki)])
    assert not result.valid and result.problem


def test_not_xml_and_a_wrong_password_are_clear_errors(pki: Path) -> None:
    with pytest.raises(DomainError) as not_xml:
        verify_xml(b"%PDF-1.7 not xml", [_root(pki)])
    assert (not_xml.value.rule, not_xml.value.field) == ("xml_syntax", "xml")
    with pytest.raises(DomainError) as wrong:
        load_pkcs12((pki / "agency.p12").read_bytes(), "sai")
    assert (wrong.value.rule, wrong.value.field) == ("pkcs12_unreadable", "p12")


def test_a_package_with_a_doctype_is_refused_before_anything_is_read(pki: Path) -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>"""
    for call in (
        lambda: sign_xml(evil, load_pkcs12((pki / "agency.p12").read_bytes(), "demo")),
        lambda: verify_xml(evil, [_root(pki)]),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.rule == "doctype_forbidden"


SHA1_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>Gói từ hệ thống cũ</Subject>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>
<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>
<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>
<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue/></Reference></SignedInfo>
<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></edXMLEnvelope>""".encode()


def test_an_old_system_s_sha1_signature_still_verifies_with_a_warning(pki: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    signer = load_pkcs12((pki / "person.p12").read_bytes(), "demo")
    key = tmp_path / "key.pem"
    key.write_bytes(
        signer.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert = tmp_path / "cert.pem"
    cert.write_bytes(signer.certificate.public_bytes(serialization.Encoding.PEM))
    template = tmp_path / "template.xml"
    template.write_bytes(SHA1_TEMPLATE)
    out = tmp_path / "signed-sha1.xml"
    done = subprocess.run(
        ["xmlsec1", "--sign", "--output", str(out), "--privkey-pem", f"{key},{cert}", str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = verify_xml(out.read_bytes(), [_root(pki)])
    assert result.valid, result.problem
    assert result.warnings and "SHA-1" in result.warnings[0]
    assert "Lương Văn Tài" in result.signer
