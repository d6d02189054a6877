"""Hardware token back-end: a USB token, smart card or HSM reached through its PKCS#11 module.

Config: ``{"token_label": "…", "key_label": "…"}``, optionally ``"cert_label"`` (default: the key's label) and
``"module"`` — the path of the vendor's PKCS#11 library, which must be one of ``LIENTHONG_PKCS11_MODULES``
(loading a library is running its code, so an admin's form cannot name any file). The secret is the token's
user PIN; an agency HSM may take it from the environment (``"secret_env"``).

The key found on the token must match the certificate next to it, and the service checks that certificate is
the one registered for the key, so a token swapped for another person's is refused before anything is signed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

import pkcs11 as p11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pkcs11 import Attribute, ObjectClass
from pkcs11 import exceptions as p11_errors
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers import Signer

from lienthong.core.errors import DomainError

from .base import SignerBackend, config_error, register_backend, secret_required, wrong_secret

DEFAULT_MODULES = ("/usr/lib/softhsm/libsofthsm2.so",)
TOKEN_LABEL_BYTES = 32
# One login per token at a time: PKCS#11 logs in an application, not a session, so two requests signing
# with the same token in one process would otherwise meet "user already logged in".
_token_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def allowed_modules() -> list[str]:
    configured = getattr(settings, "LIENTHONG_PKCS11_MODULES", None)
    return list(configured) if configured else list(DEFAULT_MODULES)


def _token_lock(module: str, token_label: str) -> threading.Lock:
    with _locks_guard:
        return _token_locks.setdefault((module, token_label), threading.Lock())


def _unreachable(message: str) -> DomainError:
    return DomainError(message=message, rule="signer_unreachable", field="signer", status=503)


class _TokenSigner(PKCS11Signer):
    """pyHanko's PKCS#11 signer whose device errors come out as a readable DomainError."""

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        try:
            return await super().async_sign_raw(data, digest_algorithm, dry_run)
        except p11_errors.PKCS11Error as exc:
            raise _unreachable(
                _("Thiết bị ký từ chối hoặc bị rút ra khi đang ký (%(error)s).")
                % {"error": type(exc).__name__}
            ) from None


def _public_numbers_match(key: Any, certificate: x509.Certificate, session: Any) -> bool | None:
    """Whether the token's private key belongs to ``certificate``; ``None`` when the token does not tell."""
    public = certificate.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            modulus = int.from_bytes(key[Attribute.MODULUS], "big")
            return modulus == public.public_numbers().n
        if isinstance(public, ec.EllipticCurvePublicKey):
            twins = list(
                session.get_objects(
                    {Attribute.CLASS: ObjectClass.PUBLIC_KEY, Attribute.ID: key[Attribute.ID]}
                )
            )
            if len(twins) != 1:
                return None
            point = bytes(twins[0][Attribute.EC_POINT])
            raw = public.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
            return point.endswith(raw)
    except p11_errors.PKCS11Error:
        return None
    return None


@register_backend
class Pkcs11Backend(SignerBackend):
    name = "pkcs11"
    label = gettext_noop("Thiết bị ký số (USB token, HSM) qua PKCS#11")
    config_keys = {"module": False, "token_label": True, "key_label": True, "cert_label": False}

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config)
        modules = allowed_modules()
        self.module = self.text("module") if "module" in self.config else modules[0]
        if self.module not in modules:
            raise config_error(
                "module",
                _(
                    "Thư viện PKCS#11 %(module)s không nằm trong danh sách cho phép (LIENTHONG_PKCS11_MODULES): "
                    "%(allowed)s."
                )
                % {"module": self.module, "allowed": ", ".join(modules)},
                "module_not_allowed",
            )
        self.token_label = self.text("token_label")
        if len(self.token_label.encode()) > TOKEN_LABEL_BYTES:
            raise config_error(
                "token_label",
                _("Nhãn thiết bị ký dài tối đa %(n)s byte (PKCS#11); '%(label)s' dài hơn.")
                % {"n": TOKEN_LABEL_BYTES, "label": self.token_label},
            )
        self.key_label = self.text("key_label")
        self.cert_label = self.text("cert_label") if "cert_label" in self.config else self.key_label

    # --- the token ------------------------------------------------------------------------------------

    def _token(self) -> Any:
        try:
            lib = p11.lib(self.module)
        except (p11_errors.PKCS11Error, OSError) as exc:
            raise config_error(
                "module",
                _("Không nạp được thư viện PKCS#11 %(module)s: %(error)s")
                % {"module": self.module, "error": exc},
                "module_unavailable",
            ) from None
        try:
            tokens = list(lib.get_tokens())
        except p11_errors.PKCS11Error as exc:
            raise _unreachable(
                _("Không đọc được danh sách thiết bị ký (%(error)s).") % {"error": type(exc).__name__}
            ) from None
        found = [t for t in tokens if t.label == self.token_label]
        if len(found) != 1:
            present = ", ".join(sorted(f"'{t.label}'" for t in tokens if t.label)) or _("không có")
            raise config_error(
                "token_label",
                (
                    _("Không thấy thiết bị ký có nhãn '%(label)s' (thiết bị đang cắm: %(present)s).")
                    if not found
                    else _("Có nhiều thiết bị ký cùng nhãn '%(label)s'; đặt nhãn riêng cho từng thiết bị.")
                )
                % {"label": self.token_label, "present": present},
                "token_not_found" if not found else "token_ambiguous",
            )
        return found[0]

    def _session(self, secret: str | None) -> Any:
        token = self._token()
        try:
            return token.open(user_pin=secret) if secret is not None else token.open()
        except (p11_errors.PinIncorrect, p11_errors.PinInvalid, p11_errors.PinLenRange):
            raise wrong_secret(_("Sai mã PIN của thiết bị ký.")) from None
        except p11_errors.PinLocked:
            raise DomainError(
                message=_("Mã PIN của thiết bị ký đã bị khóa vì nhập sai nhiều lần; cần mã PUK để mở."),
                rule="secret_locked",
                field="secret",
            ) from None
        except p11_errors.PKCS11Error as exc:
            raise _unreachable(
                _("Không mở được phiên làm việc với thiết bị ký (%(error)s).") % {"error": type(exc).__name__}
            ) from None

    def _certificate_in(self, session: Any) -> x509.Certificate:
        found = list(
            session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: self.cert_label})
        )
        key = "cert_label" if "cert_label" in self.config else "key_label"
        if len(found) != 1:
            raise config_error(
                key,
                (
                    _("Thiết bị ký '%(token)s' không có chứng thư nhãn '%(label)s'.")
                    if not found
                    else _("Thiết bị ký '%(token)s' có nhiều chứng thư cùng nhãn '%(label)s'.")
                )
                % {"token": self.token_label, "label": self.cert_label},
                "certificate_not_found" if not found else "certificate_ambiguous",
            )
        return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))

    def _private_key_in(self, session: Any) -> Any:
        query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: self.key_label}
        found = list(session.get_objects(query))
        if len(found) != 1:
            raise config_error(
                "key_label",
                (
                    _("Thiết bị ký '%(token)s' không có khóa bí mật nhãn '%(label)s'.")
                    if not found
                    else _("Thiết bị ký '%(token)s' có nhiều khóa bí mật cùng nhãn '%(label)s'.")
                )
                % {"token": self.token_label, "label": self.key_label},
                "key_not_found" if not found else "key_ambiguous",
            )
        return found[0]

    # --- the contract ---------------------------------------------------------------------------------

    @contextmanager
    def open(self, secret: str | None) -> Iterator[Signer]:
        if not secret:
            raise secret_required(_("Cần nhập mã PIN của thiết bị ký."))
        with _token_lock(self.module, self.token_label):
            session = self._session(secret)
            try:
                certificate = self._certificate_in(session)
                key = self._private_key_in(session)
                if _public_numbers_match(key, certificate, session) is False:
                    raise config_error(
                        "key_label",
                        _(
                            "Khóa bí mật '%(key)s' trên thiết bị không khớp với chứng thư '%(cert)s' bên cạnh nó."
                        )
                        % {"key": self.key_label, "cert": self.cert_label},
                        "key_certificate_mismatch",
                    )
                others = [
                    asn1_x509.Certificate.load(bytes(obj[Attribute.VALUE]))
                    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
                    if obj[Attribute.LABEL] != self.cert_label
                ]
                yield _TokenSigner(
                    session,
                    key_label=self.key_label,
                    signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER)),
                    ca_chain=others,
                )
            finally:
                with suppress(p11_errors.PKCS11Error):
                    session.close()

    def certificate(self) -> x509.Certificate:
        # Certificates are public objects: reading one needs no PIN.
        with _token_lock(self.module, self.token_label):
            session = self._session(None)
            try:
                return self._certificate_in(session)
            finally:
                with suppress(p11_errors.PKCS11Error):
                    session.close()
