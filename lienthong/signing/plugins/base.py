"""The signer back-end plugin: one base class and the registry of back-ends.

A back-end turns a key's non-secret configuration (stored with the key) and a secret typed at signing time (a
PKCS#12 password, a token PIN, a remote signing service's PIN or OTP) into a pyHanko :class:`Signer` carrying the
certificate and its chain. It never stores the secret and refuses configuration that looks like one, so secrets
stay out of the database.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign.signers import Signer

from lienthong.core.errors import DomainError

#: Configuration keys that would hold a secret; the secret is typed at signing or read from the environment.
SECRET_KEYS = frozenset({"password", "pin", "otp", "secret", "token", "passphrase", "access_token"})


def config_error(key: str, message: str, rule: str = "invalid_config") -> DomainError:
    return DomainError(message=message, rule=rule, field=f"config.{key}")


def wrong_secret(message: str | None = None) -> DomainError:
    return DomainError(
        message=message or _("Mật khẩu, mã PIN hoặc mã OTP không đúng."), rule="wrong_secret", field="secret"
    )


def secret_required(message: str | None = None) -> DomainError:
    return DomainError(
        message=message or _("Cần nhập mật khẩu, mã PIN hoặc mã OTP của khóa để ký."),
        rule="secret_required",
        field="secret",
    )


def to_cryptography(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def secret_from_environment(config: Mapping[str, Any], key: str = "secret_env") -> str | None:
    """The value of the environment variable named by ``config[key]``; ``None`` when the config names none.

    A name given but not set on this server is a clear error: the operator forgot to export it.
    """
    name = config.get(key)
    if not name:
        return None
    value = os.environ.get(str(name))
    if value is None:
        raise DomainError(
            message=_("Biến môi trường %(name)s (chứa bí mật của khóa) chưa được đặt trên máy chủ.")
            % {"name": name},
            rule="secret_env_missing",
            field=f"config.{key}",
            status=503,
        )
    return value


class SignerBackend(ABC):
    """Where a private key lives and how to sign with it. Subclasses validate their config in ``__init__``."""

    name: ClassVar[str]
    label: ClassVar[str]
    #: Config keys the back-end understands: ``{key: required}``; others are refused, so a typo is not ignored.
    config_keys: ClassVar[Mapping[str, bool]] = {}

    def __init__(self, config: Mapping[str, Any]) -> None:
        if not isinstance(config, Mapping):
            raise DomainError(
                message=_("Cấu hình khóa phải là một đối tượng JSON."), rule="invalid_config", field="config"
            )
        self.config: dict[str, Any] = dict(config)
        allowed = {**self.config_keys, "secret_env": False}
        for key in self.config:
            if key.lower() in SECRET_KEYS:
                raise config_error(
                    key,
                    _(
                        "Không lưu bí mật (%(key)s) trong cấu hình khóa: người ký nhập khi ký, hoặc máy chủ đọc "
                        "từ biến môi trường ghi trong secret_env."
                    )
                    % {"key": key},
                    "secret_in_config",
                )
            if key not in allowed:
                raise config_error(
                    key,
                    _("Cấu hình của %(backend)s không có mục '%(key)s'; các mục dùng được: %(keys)s.")
                    % {"backend": self.name, "key": key, "keys": ", ".join(sorted(allowed))},
                    "unknown_config_key",
                )
        for key, required in allowed.items():
            value = self.config.get(key)
            if value is None or value == "":
                if required:
                    raise config_error(
                        key, _("Cấu hình khóa thiếu mục bắt buộc '%(key)s'.") % {"key": key}, "required"
                    )
                self.config.pop(key, None)

    def text(self, key: str, default: str | None = None) -> str:
        """A config value that must be a non-empty string (already checked present when required)."""
        value = self.config.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise config_error(key, _("Mục '%(key)s' của cấu hình phải là chuỗi ký tự.") % {"key": key})
        return value.strip()

    def number(self, key: str, default: float, *, lowest: float, highest: float) -> float:
        value = self.config.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lowest <= value <= highest:
            raise config_error(
                key,
                _("Mục '%(key)s' của cấu hình phải là số từ %(low)s đến %(high)s.")
                % {"key": key, "low": lowest, "high": highest},
            )
        return float(value)

    @abstractmethod
    def open(self, secret: str | None) -> AbstractContextManager[Signer]:
        """A context manager yielding a pyHanko signer (certificate and chain included) for the time of one
        signing; the session with the token or service is closed on leaving it."""

    @abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signing certificate, read without the secret where the back-end allows it."""

    def certificate_with(self, secret: str | None) -> tuple[x509.Certificate, list[x509.Certificate]]:
        """The certificate and its chain as the signer sees them after unlocking the key with ``secret``.

        Registering a key goes through here: it proves the secret opens a key that matches the certificate.
        """
        with self.open(secret) as signer:
            if signer.signing_cert is None:  # pragma: no cover - every back-end here sets it
                raise DomainError(
                    message=_("Khóa không kèm chứng thư."), rule="no_certificate", field="config"
                )
            own = to_cryptography(signer.signing_cert)
            chain = [
                to_cryptography(c) for c in signer.cert_registry if c.dump() != signer.signing_cert.dump()
            ]
            return own, chain


_registry: dict[str, type[SignerBackend]] = {}


def register_backend(cls: type[SignerBackend]) -> type[SignerBackend]:
    """Class decorator: make a back-end available under ``cls.name``."""
    _registry[cls.name] = cls
    return cls


def enabled_backends() -> list[str]:
    """The back-ends this installation allows (``LIENTHONG_SIGNER_BACKENDS``), in the order given there."""
    wanted = getattr(settings, "LIENTHONG_SIGNER_BACKENDS", None)
    return [n for n in wanted if n in _registry] if wanted else sorted(_registry)


def backend_class(name: str) -> type[SignerBackend]:
    cls = _registry.get(name)
    if cls is None or name not in enabled_backends():
        raise DomainError(
            message=_("Kiểu khóa '%(name)s' không có hoặc không được bật; dùng được: %(names)s.")
            % {"name": name, "names": ", ".join(enabled_backends())},
            rule="unknown_backend",
            field="backend",
        )
    return cls


def iter_backends() -> Iterator[type[SignerBackend]]:
    for name in enabled_backends():
        yield _registry[name]
