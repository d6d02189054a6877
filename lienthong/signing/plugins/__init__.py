"""Signer back-ends: where a signing key lives (a PKCS#12 file, a PKCS#11 token, a remote CSC service).

Each back-end is one module here registering a :class:`~.base.SignerBackend` subclass; a key's ``backend`` field
chooses one, ``LIENTHONG_SIGNER_BACKENDS`` says which this installation allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import csc, keyfile, pkcs11  # noqa: F401  (importing registers them)
from .base import SignerBackend, backend_class, enabled_backends, iter_backends

__all__ = ["SignerBackend", "backend_choices", "backend_for", "enabled_backends"]


def backend_for(name: str, config: Mapping[str, Any]) -> SignerBackend:
    """The back-end ``name`` set up with ``config``; an unknown name or bad config is a DomainError."""
    return backend_class(name)(config)


def backend_choices() -> list[tuple[str, str]]:
    """``(name, Vietnamese label)`` of each enabled back-end, for forms."""
    return [(cls.name, str(cls.label)) for cls in iter_backends()]
