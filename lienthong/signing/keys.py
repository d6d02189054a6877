"""Signing keys as the signer back-ends hand them over: a private key, its certificate and the chain."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError


@dataclass(frozen=True)
class KeyFile:
    """A key loaded once (parsing is most of a signature's cost) with its certificate and chain."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default=())


def load_pkcs12(data: bytes, password: str) -> KeyFile:
    """Open a PKCS#12 file; a wrong password or a file that is not PKCS#12 is a clear error naming it."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError:
        raise DomainError(
            message=_("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không đúng định dạng."),
            rule="pkcs12_unreadable",
            field="p12",
        ) from None
    if key is None or certificate is None:
        raise DomainError(
            message=_("Tệp PKCS#12 không có khóa bí mật kèm chứng thư."),
            rule="pkcs12_incomplete",
            field="p12",
        )
    return KeyFile(key=key, certificate=certificate, chain=tuple(chain))
