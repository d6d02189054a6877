"""XML signatures for edXML packages (XML-DSig) with signxml.

Signing: an enveloped signature over the whole document (``URI=""``), exclusive canonicalisation, RSA-SHA256 with
SHA-256 digests, and the signer's certificate in ``KeyInfo`` — what the national interconnection axis expects
and what ``xmlsec1 --verify`` accepts. Verification checks the signature, that the signing certificate chains to
the trust anchors given, and reports the signer; packages from older systems signed with SHA-1 still verify,
with a warning, because refusing them would cut agencies off.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import InvalidInput, InvalidSignature

from lienthong.core.errors import DomainError

from .keys import KeyFile

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SHA1_URIS = {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1"}
_DS = "{http://www.w3.org/2000/09/xmldsig#}"


@dataclass(frozen=True)
class XmlVerification:
    valid: bool
    signer: str = ""
    problem: str = ""
    warnings: list[str] = field(default_factory=list)


def _parse(data: bytes, field_name: str) -> etree._Element:
    # edXML has no DTD; a DOCTYPE can only bring entity tricks (external files, billion laughs).
    if b"<!DOCTYPE" in data.upper():
        raise DomainError(
            message=_("Tệp XML không được có khai báo DOCTYPE."), rule="doctype_forbidden", field=field_name
        )
    try:
        return etree.fromstring(data, parser=_SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DomainError(
            message=_("Tệp XML không hợp lệ: %(detail)s") % {"detail": exc.msg},
            rule="xml_syntax",
            field=field_name,
        ) from None


def sign_xml(data: bytes, signer: KeyFile) -> bytes:
    """``data`` with an enveloped XML signature by ``signer`` appended to its root element."""
    root = _parse(data, "xml")
    key_pem = signer.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificates = [
        c.public_bytes(serialization.Encoding.PEM).decode() for c in (signer.certificate, *signer.chain)
    ]
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    ).sign(root, key=key_pem, cert=certificates)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def verify_xml(data: bytes, trusted: Iterable[x509.Certificate]) -> XmlVerification:
    """Is ``data`` signed, intact, and by a certificate that chains to ``trusted``?"""
    anchors = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in trusted)
    if not anchors:
        raise DomainError(
            message=_("Chưa cấu hình chứng thư gốc tin cậy."), rule="no_trust_anchor", field="trust"
        )
    _parse(data, "xml")  # a clear error for what is not XML at all
    config = SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA1}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256, DigestAlgorithm.SHA1}),
    )
    # signxml reads trust anchors from a file only.
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as anchor_file:
        anchor_file.write(anchors)
        anchor_file.flush()
        try:
            found = XMLVerifier().verify(data, expect_config=config, ca_pem_file=anchor_file.name)
        except (InvalidSignature, InvalidInput) as exc:
            return XmlVerification(valid=False, problem=str(exc))
    result = found[0] if isinstance(found, list) else found
    warnings = []
    info = result.signature_xml
    methods = {el.get("Algorithm") for el in info.iter() if el.get("Algorithm")}
    if methods & _SHA1_URIS:
        warnings.append(_("Chữ ký dùng SHA-1, thuật toán đã lỗi thời; đề nghị bên gửi chuyển sang SHA-256."))
    return XmlVerification(valid=True, signer=_signer_of(info), warnings=warnings)


def _signer_of(signature: etree._Element) -> str:
    """The subject of the first certificate in ``KeyInfo`` (the signer's, as signers write it first)."""
    element = signature.find(f".//{_DS}X509Certificate")
    if element is None or not element.text:
        return ""
    der = base64.b64decode("".join(element.text.split()))
    return x509.load_der_x509_certificate(der).subject.rfc4514_string()
