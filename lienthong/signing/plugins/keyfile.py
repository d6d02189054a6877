"""Key file back-end: a PKCS#12 file (.p12, .pfx) on the server, unlocked with its password at each signature.

Config: ``{"path": "keys/….p12"}`` — relative paths are under ``LIENTHONG_DATA_DIR`` (files uploaded through the
admin land in ``keys/``, mode 600), absolute paths are taken as they are. For an agency key the config may add
``"secret_env": "NAME"``: the server reads the password from that environment variable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pyhanko.sign.signers import Signer

from lienthong.core.errors import DomainError

from ..keys import KeyFile, load_pkcs12
from .base import SignerBackend, config_error, register_backend, secret_required, wrong_secret


def is_pkcs12(data: bytes) -> bool:
    """Does ``data`` have the structure of a PKCS#12 file (whatever its password)?"""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native)
    except (ValueError, TypeError, KeyError, OverflowError):
        return False


def read_pkcs12(data: bytes, secret: str | None, field: str = "key_file") -> KeyFile:
    """The key in ``data`` unlocked with ``secret``: not PKCS#12 → ``pkcs12_invalid`` on ``field``; a wrong or
    missing password → ``wrong_secret`` / ``secret_required`` on ``secret``."""
    if not is_pkcs12(data):
        raise DomainError(
            message=_("Tệp khóa không phải tệp PKCS#12 (.p12, .pfx)."), rule="pkcs12_invalid", field=field
        )
    try:
        return load_pkcs12(data, secret or "")
    except DomainError as error:
        if error.rule != "pkcs12_unreadable":
            raise DomainError(message=error.message, rule=error.rule, field=field) from None
        if not secret:
            raise secret_required(_("Tệp khóa có mật khẩu; hãy nhập mật khẩu để mở.")) from None
        raise wrong_secret(_("Sai mật khẩu của tệp khóa.")) from None


def resolve_key_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(settings.DATA_DIR) / path


@register_backend
class KeyFileBackend(SignerBackend):
    name = "keyfile"
    label = gettext_noop("Tệp khóa PKCS#12 (.p12, .pfx)")
    config_keys = {"path": True}

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config)
        self.path = resolve_key_path(self.text("path"))

    def _data(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise config_error(
                "path", _("Không tìm thấy tệp khóa %(path)s.") % {"path": self.path}, "key_file_missing"
            ) from None
        except OSError as exc:
            raise config_error(
                "path",
                _("Không đọc được tệp khóa %(path)s: %(error)s") % {"path": self.path, "error": exc.strerror},
                "key_file_unreadable",
            ) from None

    def load(self, secret: str | None) -> KeyFile:
        return read_pkcs12(self._data(), secret, field="config.path")

    @contextmanager
    def open(self, secret: str | None) -> Iterator[Signer]:
        from ..pades import signer_from_keyfile

        yield signer_from_keyfile(self.load(secret))

    def certificate(self) -> x509.Certificate:
        # Certificates in a PKCS#12 file are normally encrypted with the same password as the key, so only
        # a file without a password gives its certificate away.
        return self.load(None).certificate
