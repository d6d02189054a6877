"""A complete test PKI for development and tests: a root CA, an agency certificate and a personal one.

Pure (no Django): keys and X.509 certificates built with ``cryptography``, the way a Vietnamese CA issues them —
names in UTF-8 with diacritics, the agency's code in the organisation unit, the signing certificates marked for
digital signatures and non-repudiation (what PAdES and XML-DSig validators look for). Never for production: the
keys are generated on the spot and the PKCS#12 files are protected only by the password given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_PASSWORD = "demo"
KEY_BITS = 2048

ROOT_NAME = "LiênThông Root CA thử nghiệm"
AGENCY_NAME = "Ủy ban nhân dân phường Thành Lam"
AGENCY_CODE = "000.00.31.H99"
PERSON_NAME = "Lương Văn Tài"
PERSON_TITLE = "Chủ tịch"


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def _name(common: str, organisation: str, unit: str = "", title: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Tỉnh Sông Lam"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if title:
        parts.append(x509.NameAttribute(NameOID.TITLE, title))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def make_root(now: dt.datetime, years: int = 10) -> Issued:
    """A self-signed root CA, allowed to issue end-entity certificates only (path length 0)."""
    key = _key()
    name = _name(ROOT_NAME, "LiênThông (thử nghiệm)")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, certificate)


def issue_signing(root: Issued, subject: x509.Name, now: dt.datetime, years: int = 3) -> Issued:
    """An end-entity certificate for signing documents, issued by ``root``."""
    key = _key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False
        )
        .sign(root.key, hashes.SHA256())
    )
    return Issued(key, certificate)


def pkcs12_bytes(issued: Issued, root: Issued, friendly_name: str, password: str) -> bytes:
    """The key, its certificate and the root as a PKCS#12 file protected by ``password``."""
    encryption = (
        serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode(), issued.key, issued.certificate, [root.certificate], encryption
    )


def write_demo_pki(
    directory: Path, password: str = DEFAULT_PASSWORD, now: dt.datetime | None = None
) -> list[Path]:
    """Write ``root-ca.pem``, ``agency.p12`` and ``person.p12`` into ``directory``; return their paths."""
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    root = make_root(now)
    agency = issue_signing(root, _name(AGENCY_NAME, AGENCY_NAME, unit=f"MĐĐT:{AGENCY_CODE}"), now)
    person = issue_signing(
        root, _name(PERSON_NAME, AGENCY_NAME, unit=f"MĐĐT:{AGENCY_CODE}", title=PERSON_TITLE), now
    )
    files = {
        "root-ca.pem": root.certificate.public_bytes(serialization.Encoding.PEM),
        "agency.p12": pkcs12_bytes(agency, root, AGENCY_NAME, password),
        "person.p12": pkcs12_bytes(person, root, PERSON_NAME, password),
    }
    written = []
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        if name.endswith(".p12"):
            path.chmod(0o600)
        written.append(path)
    return written
