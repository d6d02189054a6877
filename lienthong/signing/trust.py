"""Trust anchors: the root certificates a signature must chain to, set by configuration.

``LIENTHONG_TRUST_ANCHORS`` lists PEM files and directories (every ``*.pem`` in them), comma-separated; by
default ``$LIENTHONG_DATA_DIR/trust/``. In production these are the roots of the national CA (Ban Cơ yếu Chính
phủ) for state bodies and of the licensed public CAs. The list is read once per process and read again only when
a file or directory changes (modification time, size, the set of files), so an operator adds a root without a
restart and the hot path costs a few ``stat`` calls.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], list[x509.Certificate]] | None = None


def configured_sources() -> list[Path]:
    configured = getattr(settings, "LIENTHONG_TRUST_ANCHORS", None)
    if not configured:
        return [Path(settings.DATA_DIR) / "trust"]
    return [Path(item) for item in configured]


def _files(sources: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(p for p in source.glob("*.pem") if p.is_file()))
        elif source.is_file():
            found.append(source)
    return found


def _fingerprint(sources: list[Path], files: list[Path]) -> tuple[object, ...]:
    marks: list[object] = []
    for path in [*sources, *files]:
        try:
            stat = path.stat()
        except OSError:
            marks.append((str(path), None))
            continue
        marks.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(marks)


def load_pem_certificates(paths: Iterable[Path], field_name: str) -> list[x509.Certificate]:
    """Every certificate in the PEM files ``paths``; an unreadable file is a DomainError naming it."""
    certificates: list[x509.Certificate] = []
    for path in paths:
        try:
            certificates.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
        except (OSError, ValueError):
            raise DomainError(
                message=_("Không đọc được chứng thư gốc tin cậy trong %(path)s (cần tệp PEM).")
                % {"path": path},
                rule="trust_anchor_unreadable",
                field=field_name,
            ) from None
    unique = {c.fingerprint(hashes.SHA256()): c for c in certificates}
    return list(unique.values())


def trust_anchors() -> list[x509.Certificate]:
    """The configured trust anchors (see the module's docstring); cached, reloaded when the files change."""
    global _cached
    sources = configured_sources()
    files = _files(sources)
    mark = _fingerprint(sources, files)
    with _lock:
        if _cached is not None and _cached[0] == mark:
            return list(_cached[1])
    anchors = load_pem_certificates(files, "LIENTHONG_TRUST_ANCHORS")
    with _lock:
        _cached = (mark, anchors)
    return list(anchors)
