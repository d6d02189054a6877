"""Remote signing back-end: a Cloud Signature Consortium API v2 service (mobile, cloud and SIM-based signatures).

The key never leaves the provider. We send the hash of what is to be signed; the signer proves sole control with
a PIN or one-time code typed here (``credentials/authorize`` → SAD, bound to that hash: SCAL2) or by confirming
on their phone (the service answers 202 and we poll ``credentials/authorizeCheck``); ``signatures/signHash``
returns the raw signature, which pyHanko puts into the PAdES container.

Config: ``{"url": "https://…", "credential_id": "…"}`` and how this platform authenticates to the service:
``"username"`` + ``"password_env"`` (``auth/login`` with HTTP Basic), or ``"token_env"`` (a bearer token), both
read from the server's environment. Optional: ``"timeout"`` (seconds per call, default 30), ``"poll_seconds"``
(default 2) and ``"wait_seconds"`` (how long the signer has to confirm on the phone, default 120).

A small client on ``urllib`` rather than pyHanko's CSC signer: that one speaks CSC v1 over aiohttp sessions
bound to an event loop, while PAdES signing here is synchronous and the errors must become DomainErrors.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lienthong.core.errors import DomainError

from .base import (
    SignerBackend,
    config_error,
    register_backend,
    secret_from_environment,
    secret_required,
    wrong_secret,
)

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
#: What each in-band authentication object of a credential needs from the person signing.
IN_BAND_TYPES = frozenset({"Password", "ChallengeResponse"})


@dataclass
class CscError(Exception):
    """An error answer of the service: HTTP status, CSC ``error`` code and ``error_description``."""

    status: int
    error: str
    description: str = ""


def unreachable(url: str, detail: str) -> DomainError:
    return DomainError(
        message=_(
            "Không kết nối được dịch vụ ký số từ xa %(url)s (%(detail)s). Hãy thử lại sau hoặc báo quản trị."
        )
        % {"url": url, "detail": detail},
        rule="signer_unreachable",
        field="signer",
        status=503,
    )


def refused(error: CscError) -> DomainError:
    return DomainError(
        message=_("Dịch vụ ký số từ xa từ chối: %(error)s %(detail)s")
        % {"error": error.error, "detail": error.description},
        rule="signer_refused",
        field="signer",
        status=502,
    )


class CscClient:
    """JSON over HTTP to ``<url>/csc/v2/<method>``; transport failures become ``signer_unreachable``."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.access_token: str | None = None

    def call(
        self, method: str, body: Mapping[str, Any], *, basic: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            f"{self.url}/csc/v2/{method}",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if basic is not None:
            request.add_header("Authorization", f"Basic {basic}")
        elif self.access_token:
            request.add_header("Authorization", f"Bearer {self.access_token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                answer = json.loads(raw or b"{}")
            except ValueError:
                answer = {}
            raise CscError(
                exc.code, str(answer.get("error") or exc.reason), str(answer.get("error_description") or "")
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise unreachable(self.url, str(reason)) from None
        if not raw:
            return status, {}
        try:
            answer = json.loads(raw)
        except ValueError:
            raise refused(CscError(status, "invalid_response", _("trả lời không phải JSON"))) from None
        if not isinstance(answer, dict):
            raise refused(CscError(status, "invalid_response", _("trả lời không phải đối tượng JSON")))
        return status, answer


@dataclass
class Credential:
    """What ``credentials/info`` told us about the credential."""

    certificate: x509.Certificate
    chain: list[x509.Certificate]
    algorithms: frozenset[str]
    scal: int
    in_band: list[str]  # ids of the authentication objects the signer types (PIN, OTP)
    out_of_band: list[str] = field(default_factory=list)  # ids confirmed elsewhere (the phone)


class RemoteSigner(Signer):
    """A pyHanko signer whose raw signature comes from ``signatures/signHash`` after ``credentials/authorize``."""

    def __init__(
        self, backend: CscBackend, client: CscClient, credential: Credential, secret: str | None
    ) -> None:
        der = [
            asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))
            for c in (credential.certificate, *credential.chain)
        ]
        super().__init__(signing_cert=der[0], cert_registry=SimpleCertificateStore.from_certs(der))
        self.backend = backend
        self.client = client
        self.credential = credential
        self.secret = secret

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self.credential.certificate.public_key().key_size // 8 + 16)  # type: ignore[union-attr]
        hash_oid = algos.DigestAlgorithmId(digest_algorithm).dotted
        digest = hashes.Hash(_HASHES[digest_algorithm]())
        digest.update(data)
        hashed = base64.b64encode(digest.finalize()).decode()
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)["algorithm"].dotted
        if mechanism not in self.credential.algorithms:
            if RSA_ENCRYPTION not in self.credential.algorithms:
                raise config_error(
                    "credential_id",
                    _("Khóa trên dịch vụ ký không hỗ trợ thuật toán %(algo)s.") % {"algo": mechanism},
                    "algorithm_unsupported",
                )
            mechanism = RSA_ENCRYPTION
        sad = self.backend.authorize(self.client, self.credential, [hashed], hash_oid, self.secret)
        try:
            _status, answer = self.client.call(
                "signatures/signHash",
                {
                    "credentialID": self.backend.credential_id,
                    "SAD": sad,
                    "hashes": [hashed],
                    "hashAlgorithmOID": hash_oid,
                    "signAlgo": mechanism,
                },
            )
        except CscError as error:
            if "expired" in error.description.lower() and "sad" in error.description.lower():
                raise DomainError(
                    message=_("Phiên ủy quyền ký đã hết hạn trước khi ký xong; hãy ký lại và nhập mã mới."),
                    rule="sad_expired",
                    field="secret",
                ) from None
            raise self.backend.explain(error) from None
        signatures = answer.get("signatures")
        if not isinstance(signatures, list) or len(signatures) != 1:
            raise refused(CscError(200, "invalid_response", _("không có đúng một chữ ký trong trả lời")))
        try:
            return base64.b64decode(signatures[0], validate=True)
        except (ValueError, TypeError):
            raise refused(CscError(200, "invalid_response", _("chữ ký không ở dạng Base64"))) from None


_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


def _certificates(encoded: Any) -> list[x509.Certificate]:
    if not isinstance(encoded, list) or not encoded:
        raise refused(CscError(200, "invalid_response", _("không có chứng thư của khóa")))
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(item)) for item in encoded]
    except (ValueError, TypeError):
        raise refused(CscError(200, "invalid_response", _("chứng thư không đọc được"))) from None


@register_backend
class CscBackend(SignerBackend):
    name = "csc"
    label = gettext_noop("Ký số từ xa (CSC API v2: ký số trên điện thoại, ký số đám mây)")
    config_keys = {
        "url": True,
        "credential_id": True,
        "username": False,
        "password_env": False,
        "token_env": False,
        "timeout": False,
        "poll_seconds": False,
        "wait_seconds": False,
    }

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config)
        self.url = self.text("url").rstrip("/")
        parsed = urlparse(self.url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise config_error("url", _("Địa chỉ dịch vụ ký phải bắt đầu bằng https:// (hoặc http://)."))
        self.credential_id = self.text("credential_id")
        if "username" in self.config and "password_env" not in self.config:
            raise config_error(
                "password_env",
                _("Có username thì cần password_env: tên biến môi trường chứa mật khẩu đăng nhập dịch vụ."),
                "required",
            )
        self.timeout = self.number("timeout", 30, lowest=1, highest=300)
        self.poll_seconds = self.number("poll_seconds", 2, lowest=0, highest=60)
        self.wait_seconds = self.number("wait_seconds", 120, lowest=0, highest=900)

    # --- talking to the service ------------------------------------------------------------------------

    def explain(self, error: CscError) -> DomainError:
        """The DomainError a person can act on for an error answer of the service."""
        text = error.description.lower()
        if error.error in {"invalid_authentication_data", "invalid_otp", "invalid_pin"}:
            return wrong_secret(_("Mã PIN hoặc mã OTP của dịch vụ ký không đúng."))
        if "locked" in text:
            return DomainError(
                message=_("Khóa ký số trên dịch vụ đã bị khóa vì nhập sai nhiều lần; liên hệ nhà cung cấp."),
                rule="secret_locked",
                field="secret",
            )
        if "credentialid" in text.replace(" ", ""):
            return config_error(
                "credential_id",
                _("Dịch vụ ký không có khóa mã '%(id)s'.") % {"id": self.credential_id},
                "credential_unknown",
            )
        if error.status == 401 or error.error in {"invalid_token", "expired_token", "authentication_error"}:
            return DomainError(
                message=_(
                    "Dịch vụ ký không chấp nhận tài khoản của hệ thống (kiểm tra username, password_env "
                    "hoặc token_env)."
                ),
                rule="signer_login_failed",
                field="config",
                status=502,
            )
        return refused(error)

    def connect(self) -> CscClient:
        """A client that has checked the service speaks CSC v2 and has logged in if the config says how."""
        client = CscClient(self.url, self.timeout)
        try:
            _status, info = client.call("info", {"lang": "vi"})
            methods = set(info.get("methods") or [])
            missing = {"credentials/info", "credentials/authorize", "signatures/signHash"} - methods
            if missing:
                raise config_error(
                    "url",
                    _("Dịch vụ %(url)s thiếu các phương thức CSC: %(missing)s.")
                    % {"url": self.url, "missing": ", ".join(sorted(missing))},
                    "csc_unsupported",
                )
            if "username" in self.config:
                password = secret_from_environment(self.config, "password_env") or ""
                basic = base64.b64encode(f"{self.config['username']}:{password}".encode()).decode()
                _status, login = client.call("auth/login", {}, basic=basic)
                client.access_token = str(login.get("access_token") or "") or None
            elif "token_env" in self.config:
                client.access_token = secret_from_environment(self.config, "token_env")
        except CscError as error:
            raise self.explain(error) from None
        return client

    def credential(self, client: CscClient) -> Credential:
        try:
            _status, info = client.call(
                "credentials/info",
                {
                    "credentialID": self.credential_id,
                    "certificates": "chain",
                    "certInfo": True,
                    "authInfo": True,
                },
            )
        except CscError as error:
            raise self.explain(error) from None
        certificates = _certificates((info.get("cert") or {}).get("certificates"))
        key = info.get("key") or {}
        if key.get("status") == "disabled":
            raise config_error(
                "credential_id",
                _("Khóa '%(id)s' trên dịch vụ ký đang bị tạm ngừng.") % {"id": self.credential_id},
                "credential_disabled",
            )
        auth = info.get("auth") or {}
        if auth.get("mode", "explicit") != "explicit":
            raise config_error(
                "credential_id",
                _("Khóa '%(id)s' đòi cách ủy quyền %(mode)s, hệ thống chưa hỗ trợ (chỉ hỗ trợ explicit).")
                % {"id": self.credential_id, "mode": auth.get("mode")},
                "csc_auth_unsupported",
            )
        objects = [o for o in auth.get("objects") or [] if isinstance(o, dict)]
        in_band = [str(o.get("id")) for o in objects if o.get("type") in IN_BAND_TYPES]
        if len(in_band) > 1:
            raise config_error(
                "credential_id",
                _("Khóa '%(id)s' đòi nhập nhiều mã cùng lúc (%(ids)s); hệ thống chỉ hỗ trợ một mã PIN/OTP.")
                % {"id": self.credential_id, "ids": ", ".join(in_band)},
                "csc_auth_unsupported",
            )
        try:
            scal = int(info.get("SCAL", 1))
        except (TypeError, ValueError):
            scal = 2
        return Credential(
            certificate=certificates[0],
            chain=certificates[1:],
            algorithms=frozenset(str(a) for a in key.get("algo") or []),
            scal=scal,
            in_band=in_band,
            out_of_band=[str(o.get("id")) for o in objects if o.get("type") not in IN_BAND_TYPES],
        )

    def authorize(
        self, client: CscClient, credential: Credential, hashed: list[str], hash_oid: str, secret: str | None
    ) -> str:
        """The SAD for signing ``hashed``: from the typed PIN/OTP, or once the signer confirms on the phone."""
        auth_data: list[dict[str, str]] = [
            {"id": ident, "value": secret or ""} for ident in credential.in_band
        ]
        auth_data += [{"id": ident} for ident in credential.out_of_band]
        body = {
            "credentialID": self.credential_id,
            "numSignatures": 1,
            "hashes": hashed,
            "hashAlgorithmOID": hash_oid,
            "authData": auth_data,
            "description": _("Ký văn bản trên LiênThông"),
        }
        try:
            status, answer = client.call("credentials/authorize", body)
            deadline = time.monotonic() + self.wait_seconds
            while status == 202:
                if time.monotonic() >= deadline:
                    raise DomainError(
                        message=_(
                            "Người ký chưa xác nhận trên điện thoại trong %(seconds)s giây; hãy ký lại."
                        )
                        % {"seconds": int(self.wait_seconds)},
                        rule="authorization_timeout",
                        field="secret",
                        status=408,
                    )
                time.sleep(self.poll_seconds)
                status, answer = client.call("credentials/authorizeCheck", {"handle": answer.get("handle")})
        except CscError as error:
            raise self.explain(error) from None
        sad = answer.get("SAD")
        if not isinstance(sad, str) or not sad:
            raise refused(CscError(status, "invalid_response", _("không có SAD trong trả lời")))
        return sad

    # --- the contract ---------------------------------------------------------------------------------

    @contextmanager
    def open(self, secret: str | None) -> Iterator[Signer]:
        client = self.connect()
        credential = self.credential(client)
        if credential.in_band and not secret:
            raise secret_required(_("Cần nhập mã PIN hoặc mã OTP của dịch vụ ký số từ xa."))
        yield RemoteSigner(self, client, credential, secret)

    def listed_credential(self) -> Credential:
        """The credential, after checking the platform's account at the service lists it (registration)."""
        client = self.connect()
        try:
            _status, listed = client.call("credentials/list", {})
        except CscError as error:
            raise self.explain(error) from None
        known = [str(i) for i in listed.get("credentialIDs") or []]
        if self.credential_id not in known:
            raise config_error(
                "credential_id",
                _("Tài khoản trên dịch vụ ký không có khóa mã '%(id)s' (có: %(known)s).")
                % {"id": self.credential_id, "known": ", ".join(known) or _("không có")},
                "credential_unknown",
            )
        return self.credential(client)

    def certificate(self) -> x509.Certificate:
        return self.listed_credential().certificate

    def certificate_with(self, secret: str | None) -> tuple[x509.Certificate, list[x509.Certificate]]:
        # The PIN/OTP can only be tried on a hash to sign (and would be spent), so registration reads the
        # certificate as the service lists it.
        credential = self.listed_credential()
        return credential.certificate, credential.chain
