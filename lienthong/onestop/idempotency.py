"""Idempotency keys for API intakes (``Idempotency-Key`` header).

A partner system that sends a dossier and loses the answer (a timeout, a dropped connection) cannot know whether
the dossier was created, and it has no code to look it up by. It sends the intake again with the same key: the
first intake with that key creates the dossier, every later one with the same body answers with that dossier
(200, ``Idempotent-Replayed: true``) and creates nothing. The same key with a different body is refused (422):
that is a caller's bug, not a retry. Keys belong to one caller — an API credential or a signed-in person — and
are kept as long as the dossier.

Two retries racing each other are settled by the key's unique index: the second intake's statement fails as a
whole (its code number goes back to the counter) and it answers with the first one's dossier.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import ApiCredential, Person

from .models import Dossier, IntakeKey

HEADER = "Idempotency-Key"
#: The header as WSGI hands it over (``request.META``).
META_KEY = "HTTP_IDEMPOTENCY_KEY"
MAX_LENGTH = 255


@dataclass(frozen=True)
class IdempotencyKey:
    """A key as one caller sent it, with the fingerprint of the intake it came with."""

    caller: str
    key: str
    body_sha256: str

    def row(self, at: datetime) -> IntakeKey:
        """The key's row, not yet inserted (it is written with the dossier, in the same statement)."""
        return IntakeKey(caller=self.caller, key=self.key, body_sha256=self.body_sha256, created_at=at)


class AlreadyReceived(Exception):
    """The intake repeats an earlier one with the same key and body: ``dossier`` is the one that created."""

    def __init__(self, dossier: Dossier) -> None:
        super().__init__(dossier.code)
        self.dossier = dossier


def caller_of(principal: Person | ApiCredential) -> str:
    kind = "credential" if isinstance(principal, ApiCredential) else "person"
    return f"{kind}:{principal.pk}"


def from_header(
    value: str | None, *, principal: Person | ApiCredential, body: bytes
) -> IdempotencyKey | None:
    """The key sent in the header (``None`` without one), checked: 1–255 visible ASCII characters, optionally
    in double quotes (the structured-field form of the IETF draft)."""
    if value is None:
        return None
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > MAX_LENGTH or not all("!" <= ch <= "~" for ch in key):
        raise DomainError(
            message=_("Khóa chống gửi trùng phải gồm 1–%(n)d ký tự ASCII nhìn thấy được, không có dấu cách.")
            % {"n": MAX_LENGTH},
            rule="idempotency_key",
            field=HEADER,
            status=422,
        )
    return IdempotencyKey(caller=caller_of(principal), key=key, body_sha256=hashlib.sha256(body).hexdigest())


def refuse_repeat(idempotency: IdempotencyKey) -> None:
    """Raise :class:`AlreadyReceived` when the key already created a dossier with this body, or a 422 when it
    came with another body; return when the key is new."""
    earlier = (
        IntakeKey.objects.select_related("dossier")
        .filter(caller=idempotency.caller, key=idempotency.key)
        .first()
    )
    if earlier is None:
        return
    if earlier.body_sha256 != idempotency.body_sha256:
        raise DomainError(
            message=_(
                "Khóa chống gửi trùng này đã dùng cho hồ sơ %(code)s với nội dung khác. Gửi lại đúng nội dung "
                "cũ, hoặc dùng khóa mới cho hồ sơ mới."
            )
            % {"code": earlier.dossier.code},
            rule="idempotency_key_reused",
            field=HEADER,
            status=422,
        )
    raise AlreadyReceived(earlier.dossier)
