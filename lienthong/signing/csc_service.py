"""A small Cloud Signature Consortium API v2 service holding demo keys: for tests and for trying remote signing.

It does what a remote signing provider does, over real HTTP: ``info``, ``auth/login`` (HTTP Basic → bearer
token), ``credentials/list``, ``credentials/info`` (certificate chain, the authentication object the signer must
answer, SCAL), ``credentials/authorize`` (PIN or one-time code → SAD bound to the hashes; or 202 and a handle
when the signer confirms on the phone, polled with ``credentials/authorizeCheck``) and ``signatures/signHash``.
SADs expire (``sad_seconds``) and are good for the authorised number of signatures; wrong codes lock a credential
after three tries. Run one with ``lienthong csc serve``. **Never for real keys**: no TLS, everything in memory.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.serialization import Encoding

HASH_OIDS: dict[str, hashes.HashAlgorithm] = {
    "2.16.840.1.101.3.4.2.1": hashes.SHA256(),
    "2.16.840.1.101.3.4.2.2": hashes.SHA384(),
    "2.16.840.1.101.3.4.2.3": hashes.SHA512(),
}
SIGN_OIDS: dict[str, str | None] = {  # signature algorithm → its hash (None: given by hashAlgorithmOID)
    "1.2.840.113549.1.1.1": None,
    "1.2.840.113549.1.1.11": "2.16.840.1.101.3.4.2.1",
    "1.2.840.113549.1.1.12": "2.16.840.1.101.3.4.2.2",
    "1.2.840.113549.1.1.13": "2.16.840.1.101.3.4.2.3",
}
MAX_TRIES = 3


class Refusal(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass
class DemoCredential:
    """A key the service holds for one user, with the code that unlocks it."""

    credential_id: str
    owner: str
    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    code: str | None = "123456"  # the PIN/OTP typed in band; None: confirmed on the phone instead
    auth_object: str = "OTP"
    scal: int = 2
    confirm_after_checks: int = 1  # phone confirmation: authorizeCheck answers 202 this many times first
    enabled: bool = True
    failures: int = 0

    def info(self) -> dict[str, Any]:
        certificates = [c.public_bytes(Encoding.DER) for c in (self.certificate, *self.chain)]
        if self.code is not None:
            objects = [{"type": "Password", "id": self.auth_object, "format": "N", "label": self.auth_object}]
        else:
            objects = [{"type": "PasswordOOB", "id": "PHONE", "label": "Xác nhận trên điện thoại"}]
        return {
            "description": f"Khóa ký số thử nghiệm của {self.certificate.subject.rfc4514_string()}",
            "key": {
                "status": "enabled" if self.enabled else "disabled",
                "algo": ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1"],
                "len": self.key.key_size if isinstance(self.key, rsa.RSAPrivateKey) else 0,
            },
            "cert": {
                "status": "valid",
                "certificates": [base64.b64encode(c).decode() for c in certificates],
                "issuerDN": self.certificate.issuer.rfc4514_string(),
                "serialNumber": format(self.certificate.serial_number, "X"),
                "subjectDN": self.certificate.subject.rfc4514_string(),
            },
            "auth": {"mode": "explicit", "objects": objects},
            "SCAL": str(self.scal),
            "multisign": 1,
        }


@dataclass
class _Grant:
    credential_id: str
    hashes: set[str]
    expires_at: float
    remaining: int


class DemoCscService:
    """The service's state and rules; :meth:`serve` puts it on HTTP."""

    def __init__(
        self,
        credentials: list[DemoCredential],
        users: dict[str, str],
        *,
        sad_seconds: float = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.credentials = {c.credential_id: c for c in credentials}
        self.users = users
        self.sad_seconds = sad_seconds
        self.clock = clock
        self.tokens: dict[str, str] = {}
        self.grants: dict[str, _Grant] = {}
        self.pending: dict[str, tuple[_Grant, int]] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def bearer_for(self, user: str) -> str:
        """A token for ``user`` as if issued out of band (for the ``token_env`` configuration)."""
        token = secrets.token_urlsafe(24)
        self.tokens[token] = user
        return token

    # --- dispatch ---------------------------------------------------------------------------------------

    def handle(self, method: str, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(method)
            handler = {
                "info": self._info,
                "auth/login": self._login,
                "credentials/list": self._list,
                "credentials/info": self._credential_info,
                "credentials/authorize": self._authorize,
                "credentials/authorizeCheck": self._authorize_check,
                "signatures/signHash": self._sign_hash,
            }.get(method)
            if handler is None:
                return 404, {"error": "invalid_request", "error_description": f"Unknown method {method}"}
            try:
                return handler(body, authorization)
            except Refusal as refusal:
                return refusal.status, {"error": refusal.error, "error_description": refusal.description}

    def _user(self, authorization: str) -> str:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or token not in self.tokens:
            raise Refusal("invalid_token", "The access token is not valid", 401)
        return self.tokens[token]

    def _credential(self, body: dict[str, Any], user: str) -> DemoCredential:
        ident = body.get("credentialID")
        if not isinstance(ident, str):
            raise Refusal("invalid_request", "Missing (or invalid type) string parameter credentialID")
        credential = self.credentials.get(ident)
        if credential is None or credential.owner != user:
            raise Refusal("invalid_request", "Invalid parameter credentialID")
        return credential

    def _info(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        return 200, {
            "specs": "2.0.0.2",
            "name": "LiênThông CSC thử nghiệm",
            "logo": "",
            "region": "VN",
            "lang": "vi",
            "description": "Dịch vụ ký số từ xa thử nghiệm",
            "authType": ["basic"],
            "methods": [
                "auth/login",
                "credentials/list",
                "credentials/info",
                "credentials/authorize",
                "credentials/authorizeCheck",
                "signatures/signHash",
            ],
            "signAlgorithms": {"algos": sorted(SIGN_OIDS)},
        }

    def _login(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        scheme, _, encoded = authorization.partition(" ")
        if scheme != "Basic":
            raise Refusal("invalid_request", "Malformed authentication parameter", 401)
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Refusal("invalid_request", "Malformed username-password") from None
        if self.users.get(user) != password or not user:
            raise Refusal("authentication_error", "An error occurred during authentication process")
        return 200, {"access_token": self.bearer_for(user), "expires_in": 3600}

    def _list(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        user = self._user(authorization)
        return 200, {"credentialIDs": sorted(i for i, c in self.credentials.items() if c.owner == user)}

    def _credential_info(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        return 200, self._credential(body, self._user(authorization)).info()

    def _new_grant(self, credential: DemoCredential, body: dict[str, Any]) -> _Grant:
        hashes_ = body.get("hashes") or []
        number = body.get("numSignatures")
        if not isinstance(number, int) or number < 1:
            raise Refusal("invalid_request", "Missing (or invalid type) integer parameter numSignatures")
        if credential.scal == 2 and (not isinstance(hashes_, list) or len(hashes_) != number):
            raise Refusal("invalid_request", "Missing (or invalid type) array parameter hashes")
        return _Grant(credential.credential_id, set(hashes_), 0.0, number)

    def _issue(self, grant: _Grant) -> dict[str, Any]:
        sad = secrets.token_urlsafe(24)
        grant.expires_at = self.clock() + self.sad_seconds
        self.grants[sad] = grant
        return {"SAD": sad, "expiresIn": int(self.sad_seconds)}

    def _authorize(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        credential = self._credential(body, self._user(authorization))
        if not credential.enabled:
            raise Refusal("invalid_request", "The credential identified by credentialID is disabled")
        if credential.failures >= MAX_TRIES:
            raise Refusal("invalid_request", "Credential locked")
        grant = self._new_grant(credential, body)
        if credential.code is None:
            handle = secrets.token_urlsafe(16)
            self.pending[handle] = (grant, credential.confirm_after_checks)
            return 202, {"handle": handle}
        given = {str(o.get("id")): o.get("value") for o in body.get("authData") or [] if isinstance(o, dict)}
        if given.get(credential.auth_object) != credential.code:
            credential.failures += 1
            raise Refusal("invalid_authentication_data", "The authentication data is invalid")
        credential.failures = 0
        return 200, self._issue(grant)

    def _authorize_check(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        self._user(authorization)
        handle = str(body.get("handle"))
        if handle not in self.pending:
            raise Refusal("invalid_request", "Invalid parameter handle")
        grant, waits = self.pending.pop(handle)
        if waits > 0:
            self.pending[handle] = (grant, waits - 1)
            return 202, {"handle": handle}
        return 200, self._issue(grant)

    def _sign_hash(self, body: dict[str, Any], authorization: str) -> tuple[int, dict[str, Any]]:
        credential = self._credential(body, self._user(authorization))
        sad = body.get("SAD")
        if not isinstance(sad, str):
            raise Refusal("invalid_request", "Missing (or invalid type) string parameter SAD")
        grant = self.grants.get(sad)
        if grant is None or grant.credential_id != credential.credential_id:
            raise Refusal("invalid_request", "Invalid parameter SAD")
        if self.clock() >= grant.expires_at:
            del self.grants[sad]
            raise Refusal("invalid_request", "SAD expired")
        values = body.get("hashes")
        if not isinstance(values, list) or not values:
            raise Refusal("invalid_request", "Missing (or invalid type) array parameter hash")
        if credential.scal == 2 and not set(values) <= grant.hashes:
            raise Refusal("invalid_request", "Hash is not authorized by the SAD")
        if len(values) > grant.remaining:
            raise Refusal("invalid_request", "Numbers of signatures is too high")
        algo = str(body.get("signAlgo"))
        if algo not in SIGN_OIDS:
            raise Refusal("invalid_request", "Invalid parameter signAlgo")
        hash_oid = SIGN_OIDS[algo] or str(body.get("hashAlgorithmOID"))
        if hash_oid not in HASH_OIDS:
            raise Refusal("invalid_request", "Invalid parameter hashAlgorithmOID")
        algorithm = HASH_OIDS[hash_oid]
        if not isinstance(credential.key, rsa.RSAPrivateKey):
            raise Refusal("invalid_request", "Invalid parameter signAlgo")
        signatures = []
        for value in values:
            try:
                digest = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise Refusal("invalid_request", "Invalid Base64 hash string parameter") from None
            if len(digest) != algorithm.digest_size:
                raise Refusal("invalid_request", "Invalid digest value length")
            raw = credential.key.sign(digest, padding.PKCS1v15(), Prehashed(algorithm))
            signatures.append(base64.b64encode(raw).decode())
        grant.remaining -= len(values)
        if grant.remaining <= 0:
            del self.grants[sad]
        return 200, {"signatures": signatures}

    # --- HTTP -------------------------------------------------------------------------------------------

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve on ``host:port`` (0: a free port) in a thread; yields the base URL, stops on leaving."""
        server = make_server(self, host, port)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def make_server(service: DemoCscService, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            prefix = "/csc/v2/"
            if not self.path.startswith(prefix):
                self._answer(404, {"error": "invalid_request", "error_description": "Not a CSC v2 path"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._answer(400, {"error": "invalid_request", "error_description": "Body is not JSON"})
                return
            if not isinstance(body, dict):
                body = {}
            status, answer = service.handle(
                self.path[len(prefix) :], body, self.headers.get("Authorization") or ""
            )
            self._answer(status, answer)

        def _answer(self, status: int, answer: dict[str, Any]) -> None:
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
