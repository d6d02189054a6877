"""SoftHSM2 for the tests: a token directory of its own, tokens made with ``softhsm2-util``, keys imported with
python-pkcs11 — the way an agency loads its key into an HSM.

SoftHSM reads ``SOFTHSM2_CONF`` when the library is initialised, and python-pkcs11 loads a library once per
process, so :meth:`SoftHsm.reload` finalises and initialises it again after the configuration changes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute
from pkcs11.util.rsa import decode_rsa_private_key
from pkcs11.util.x509 import decode_x509_certificate

CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
SO_PIN = "87654321"


def module_path() -> str:
    """Where Debian's softhsm2 package put the PKCS#11 module."""
    for candidate in CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise RuntimeError("SoftHSM2 is not installed (apt-get install softhsm2)")


class SoftHsm:
    """A SoftHSM2 installation confined to ``directory``; sets ``SOFTHSM2_CONF`` for this process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        tokens = directory / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        self.config = directory / "softhsm2.conf"
        self.config.write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
        )
        self.previous = os.environ.get("SOFTHSM2_CONF")
        os.environ["SOFTHSM2_CONF"] = str(self.config)
        self.module = module_path()

    def close(self) -> None:
        if self.previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = self.previous

    def init_token(self, label: str, pin: str) -> None:
        done = subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", pin],
            capture_output=True,
            text=True,
            env={**os.environ, "SOFTHSM2_CONF": str(self.config)},
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr or done.stdout)
        self.reload()

    def reload(self) -> None:
        pkcs11.lib(self.module).reinitialize()

    def import_key(
        self,
        token_label: str,
        pin: str,
        label: str,
        key: rsa.RSAPrivateKey,
        certificate: x509.Certificate | None,
        chain: Iterable[x509.Certificate] = (),
        key_id: bytes = b"\x01",
    ) -> None:
        """Put ``key`` (private, not extractable) and its certificate under ``label`` on the token."""
        token = pkcs11.lib(self.module).get_token(token_label=token_label)
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        with token.open(rw=True, user_pin=pin) as session:
            attributes = decode_rsa_private_key(der)
            attributes.update(
                {
                    Attribute.LABEL: label,
                    Attribute.ID: key_id,
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: True,
                    Attribute.SENSITIVE: True,
                    Attribute.EXTRACTABLE: False,
                }
            )
            session.create_object(attributes)
            for index, cert in enumerate([c for c in [certificate] if c is not None] + list(chain)):
                template = decode_x509_certificate(cert.public_bytes(serialization.Encoding.DER))
                own = index == 0 and certificate is not None
                template.update(
                    {
                        Attribute.LABEL: label if own else f"{label}-ca{index}",
                        Attribute.ID: key_id if own else bytes([0x80 + index]),
                        Attribute.TOKEN: True,
                    }
                )
                session.create_object(template)
