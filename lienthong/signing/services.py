"""Signing keys and signing with them.

Key management — :func:`register_signing_key`, :func:`replace_signing_key`, :func:`deactivate_signing_key`,
:func:`set_signing_key_image` — are business actions: atomic, audited, allowed to system administrators and to
the agency administrators of the key's agency (or of an agency where the key's person works). The certificate
is read from the back-end at registration, with the secret typed once and then forgotten.

Signing — :func:`sign_pdf_as_person` (a leader's personal signature) and :func:`sign_pdf_as_agency` (the
agency's signature applied by its clerk) — writes nothing: the business action that calls them (issuing a
document) records the audit entry. Before anything is signed, the key must be active, its certificate valid
now, and the back-end must hand over exactly the registered certificate.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.signers import Signer

from lienthong.audit.services import record
from lienthong.core import files
from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Person, Role, RoleAssignment

from . import pades
from .models import Purpose, SigningKey
from .pades import Box, SealAppearance, SignerAppearance
from .plugins import backend_for
from .plugins.base import secret_from_environment
from .plugins.keyfile import read_pkcs12
from .selectors import agency_key_for, key_image, personal_key_for

Actor = Person | None
KEY_DIRECTORY = "keys"
#: Roles that may apply the agency's signature (the clerk, văn thư).
AGENCY_SIGNING_ROLES = (Role.CLERK,)


@dataclass(frozen=True)
class CheckedKey:
    """What registering a key would store, found without writing anything."""

    purpose: str
    backend: str
    config: dict[str, Any]
    certificate: x509.Certificate
    key_file: bytes | None
    image_png: bytes | None


# --- rules ----------------------------------------------------------------------------------------------


def _owner(person: Person | None, agency: Agency | None) -> str:
    if (person is None) == (agency is None):
        raise DomainError(
            message=_("Khóa ký số thuộc đúng một chủ: một cán bộ (chữ ký cá nhân) hoặc một cơ quan."),
            rule="owner_required",
            field="owner",
        )
    return Purpose.PERSONAL if person is not None else Purpose.AGENCY


def _agencies_of(person: Person) -> list[int]:
    return list(
        RoleAssignment.objects.filter(person_id=person.pk, is_active=True).values_list("agency_id", flat=True)
    )


def require_key_admin(actor: Actor, *, person: Person | None = None, agency: Agency | None = None) -> None:
    """Refuse (403) unless ``actor`` administers the key owner's agency; ``None`` (the system) passes."""
    if actor is None or (actor.is_active and actor.is_superuser):
        return
    agencies = [agency.pk] if agency is not None else _agencies_of(person) if person is not None else []
    allowed = (
        actor.is_active
        and RoleAssignment.objects.filter(
            person_id=actor.pk, agency_id__in=agencies, role=Role.AGENCY_ADMIN, is_active=True
        ).exists()
    )
    if not allowed:
        raise PermissionDenied(
            _("Chỉ quản trị của cơ quan (hoặc quản trị hệ thống) mới quản lý được khóa ký số này."),
            rule="key_admin_required",
        )


def require_agency_signer(actor: Actor, agency: Agency) -> None:
    """Refuse (403) unless ``actor`` is a clerk of ``agency``; ``None`` (the system) passes."""
    if actor is None:
        return
    allowed = (
        actor.is_active
        and RoleAssignment.objects.filter(
            person_id=actor.pk, agency_id=agency.pk, role__in=AGENCY_SIGNING_ROLES, is_active=True
        ).exists()
    )
    if not allowed:
        raise PermissionDenied(
            _("Chỉ văn thư của %(agency)s mới được ký số thay mặt cơ quan.") % {"agency": agency.name},
            rule="clerk_required",
        )


def certificate_sha256(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def _check_certificate(certificate: x509.Certificate, now: datetime) -> None:
    if certificate.not_valid_after_utc <= now:
        raise DomainError(
            message=_("Chứng thư số đã hết hạn ngày %(date)s.")
            % {"date": timezone.localtime(certificate.not_valid_after_utc).strftime("%d/%m/%Y")},
            rule="certificate_expired",
            field="certificate",
        )
    if certificate.not_valid_before_utc > now:
        raise DomainError(
            message=_("Chứng thư số chưa đến ngày có hiệu lực."),
            rule="certificate_not_yet_valid",
            field="certificate",
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise DomainError(
            message=_("Chứng thư số này không dùng để ký (thiếu digitalSignature/nonRepudiation)."),
            rule="certificate_not_for_signing",
            field="certificate",
        )


def check_image(image_png: bytes | None) -> bytes | None:
    """``image_png`` if it is a PNG by content that can be drawn; else a DomainError on ``image_png``."""
    if image_png is None:
        return None
    files.check_upload(image_png, field="image_png", allowed=("png",))
    from .appearance import prepare_png

    prepare_png(image_png, "image_png")
    return image_png


def check_key(
    *,
    backend: str,
    config: Mapping[str, Any],
    person: Person | None = None,
    agency: Agency | None = None,
    secret: str | None = None,
    key_file: bytes | None = None,
    image_png: bytes | None = None,
) -> CheckedKey:
    """Validate a key to register and read its certificate, writing nothing (forms call it to show errors)."""
    purpose = _owner(person, agency)
    config = dict(config or {})
    if purpose == Purpose.PERSONAL and config.get("secret_env"):
        raise DomainError(
            message=_("Khóa cá nhân không đọc bí mật từ máy chủ: chỉ người ký được mở khóa của mình."),
            rule="secret_env_personal",
            field="config.secret_env",
        )
    if secret is None and purpose == Purpose.AGENCY:
        secret = secret_from_environment(config)
    if key_file is not None:
        if backend != "keyfile":
            raise DomainError(
                message=_("Chỉ khóa kiểu tệp PKCS#12 mới tải tệp khóa lên."),
                rule="key_file_unexpected",
                field="key_file",
            )
        backend_for(backend, {**config, "path": "upload.p12"})  # the rest of the config must be valid too
        certificate = read_pkcs12(key_file, secret, field="key_file").certificate
    else:
        found = backend_for(backend, config)
        certificate = found.certificate_with(secret)[0] if secret else found.certificate()
    _check_certificate(certificate, datetime.now(UTC))
    return CheckedKey(purpose, backend, config, certificate, key_file, check_image(image_png))


def store_key_file(data: bytes) -> str:
    """Keep an uploaded PKCS#12 file under ``DATA_DIR/keys/`` (mode 600); return its path relative to DATA_DIR."""
    directory = Path(settings.DATA_DIR) / KEY_DIRECTORY
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{hashlib.sha256(data).hexdigest()}.p12"
    path = directory / name
    if not path.exists():
        temporary = directory / f".{name}.{os.getpid()}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temporary.replace(path)
    return f"{KEY_DIRECTORY}/{name}"


def _audit_agency(key: SigningKey) -> str:
    if key.agency_id is not None:
        return str(Agency.objects.values_list("code", flat=True).get(pk=key.agency_id))
    codes = Agency.objects.filter(roles__person__pk=key.person_id or 0, roles__is_active=True)
    return str(codes.values_list("code", flat=True).first() or "")


def _summary(key: SigningKey) -> dict[str, Any]:
    return {
        "purpose": key.purpose,
        "backend": key.backend,
        "config": key.config,
        "subject": key.subject,
        "serial_number": key.serial_number,
        "not_after": key.not_after,
        "certificate_sha256": key.certificate_sha256,
        "image_sha256": key.image_sha256,
    }


def _save_new(
    checked: CheckedKey, *, person: Person | None, agency: Agency | None, image_sha256: str
) -> SigningKey:
    certificate = checked.certificate
    sha = certificate_sha256(certificate)
    elsewhere = SigningKey.objects.filter(certificate_sha256=sha, is_active=True)
    elsewhere = elsewhere.exclude(person=person) if person is not None else elsewhere.exclude(agency=agency)
    if elsewhere.exists():
        raise Conflict(
            _("Chứng thư số này đang được dùng cho một khóa khác."),
            rule="certificate_in_use",
            field="certificate",
        )
    config = dict(checked.config)
    if checked.key_file is not None:
        config["path"] = store_key_file(checked.key_file)
    if checked.image_png is not None:
        image_sha256 = files.store(checked.image_png, files.PNG).sha256
    common = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    key = SigningKey(
        purpose=checked.purpose,
        person=person,
        agency=agency,
        backend=checked.backend,
        config=config,
        certificate_pem=certificate.public_bytes(Encoding.PEM).decode(),
        certificate_sha256=sha,
        subject=certificate.subject.rfc4514_string()[:1000],
        common_name=str(common[0].value)[:300] if common else "",
        issuer=certificate.issuer.rfc4514_string()[:1000],
        serial_number=format(certificate.serial_number, "X"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        image_sha256=image_sha256,
    )
    try:
        with transaction.atomic():
            key.save()
    except IntegrityError:
        raise _already_active(checked.purpose) from None
    return key


def _already_active(purpose: str) -> Conflict:
    personal = purpose == Purpose.PERSONAL
    return Conflict(
        _("Cán bộ này đã có khóa ký số cá nhân đang dùng; hãy thay khóa thay vì đăng ký thêm.")
        if personal
        else _("Cơ quan này đã có khóa ký số đang dùng; hãy thay khóa thay vì đăng ký thêm."),
        rule="active_key_exists",
        field="person" if personal else "agency",
    )


def _active_key_locked(purpose: str, person: Person | None, agency: Agency | None) -> SigningKey | None:
    keys = SigningKey.objects.select_for_update().filter(purpose=purpose, is_active=True)
    keys = keys.filter(person=person) if purpose == Purpose.PERSONAL else keys.filter(agency=agency)
    return keys.first()


# --- key management -------------------------------------------------------------------------------------


def register_signing_key(
    *,
    actor: Actor,
    backend: str,
    config: Mapping[str, Any],
    person: Person | None = None,
    agency: Agency | None = None,
    secret: str | None = None,
    key_file: bytes | None = None,
    image_png: bytes | None = None,
) -> SigningKey:
    """Register the key of ``person`` (personal) or ``agency``; refused while the owner has an active key."""
    require_key_admin(actor, person=person, agency=agency)
    # The back-end is asked (token, remote service) before the transaction, so no lock waits on the network.
    checked = check_key(
        backend=backend,
        config=config,
        person=person,
        agency=agency,
        secret=secret,
        key_file=key_file,
        image_png=image_png,
    )
    with transaction.atomic():
        if _active_key_locked(checked.purpose, person, agency) is not None:
            raise _already_active(checked.purpose)
        key = _save_new(checked, person=person, agency=agency, image_sha256="")
        record(
            actor=actor,
            action="signing_key.register",
            obj=key,
            agency_code=_audit_agency(key),
            changes={name: [None, value] for name, value in _summary(key).items()},
        )
    return key


def replace_signing_key(
    *,
    actor: Actor,
    key: SigningKey,
    backend: str,
    config: Mapping[str, Any],
    secret: str | None = None,
    key_file: bytes | None = None,
    image_png: bytes | None = None,
) -> SigningKey:
    """A new key for the same owner (renewed certificate, new token); the old one stops in the same step.

    Without ``image_png`` the new key keeps the old key's signature or seal image.
    """
    current = SigningKey.objects.select_related("person", "agency").get(pk=key.pk)
    require_key_admin(actor, person=current.person, agency=current.agency)
    checked = check_key(
        backend=backend,
        config=config,
        person=current.person,
        agency=current.agency,
        secret=secret,
        key_file=key_file,
        image_png=image_png,
    )
    with transaction.atomic():
        old = SigningKey.objects.select_for_update().get(pk=key.pk)
        if not old.is_active:
            raise Conflict(_("Khóa này đã ngừng dùng, không thay được."), rule="key_inactive", field="key")
        old.is_active = False
        old.deactivated_at = timezone.now()
        old.save(update_fields=["is_active", "deactivated_at"])
        new = _save_new(checked, person=current.person, agency=current.agency, image_sha256=old.image_sha256)
        changes = {name: [_summary(old).get(name), value] for name, value in _summary(new).items()}
        record(
            actor=actor,
            action="signing_key.replace",
            obj=new,
            agency_code=_audit_agency(new),
            changes={**changes, "replaces": [None, old.pk]},
        )
    return new


@transaction.atomic
def deactivate_signing_key(*, actor: Actor, key: SigningKey) -> SigningKey:
    """Stop using a key (lost token, revoked certificate, a leader who left); idempotent."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    require_key_admin(actor, person=key.person, agency=key.agency)
    if key.is_active:
        key.is_active = False
        key.deactivated_at = timezone.now()
        key.save(update_fields=["is_active", "deactivated_at"])
        record(
            actor=actor,
            action="signing_key.deactivate",
            obj=key,
            agency_code=_audit_agency(key),
            changes={"is_active": [True, False]},
        )
    return key


@transaction.atomic
def set_signing_key_image(*, actor: Actor, key: SigningKey, image_png: bytes | None) -> SigningKey:
    """Change (or, with ``None``, remove) the handwritten signature or seal image drawn with the key."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    require_key_admin(actor, person=key.person, agency=key.agency)
    checked = check_image(image_png)
    sha = files.store(checked, files.PNG).sha256 if checked is not None else ""
    if sha != key.image_sha256:
        before = key.image_sha256
        key.image_sha256 = sha
        key.save(update_fields=["image_sha256"])
        record(
            actor=actor,
            action="signing_key.image",
            obj=key,
            agency_code=_audit_agency(key),
            changes={"image_sha256": [before, sha]},
        )
    return key


# --- signing --------------------------------------------------------------------------------------------


def _usable(key: SigningKey | None, owner: str) -> SigningKey:
    if key is None:
        raise DomainError(
            message=_("%(owner)s chưa có khóa ký số đang dùng; liên hệ quản trị để đăng ký khóa.")
            % {"owner": owner},
            rule="no_signing_key",
            field="signer",
        )
    now = timezone.now()
    if key.not_after <= now:
        raise DomainError(
            message=_("Chứng thư số của %(owner)s đã hết hạn ngày %(date)s; cần gia hạn và thay khóa.")
            % {"owner": owner, "date": timezone.localtime(key.not_after).strftime("%d/%m/%Y")},
            rule="certificate_expired",
            field="signer",
        )
    if key.not_before > now:
        raise DomainError(
            message=_("Chứng thư số của %(owner)s chưa đến ngày có hiệu lực.") % {"owner": owner},
            rule="certificate_not_yet_valid",
            field="signer",
        )
    return key


@contextmanager
def open_signer(key: SigningKey, secret: str | None) -> Iterator[Signer]:
    """The back-end's signer for ``key``, checked to carry exactly the registered certificate."""
    if not secret and key.purpose == Purpose.AGENCY:
        secret = secret_from_environment(key.config)
    with backend_for(key.backend, key.config).open(secret or None) as signer:
        presented = signer.signing_cert
        found = hashlib.sha256(presented.dump()).hexdigest() if presented is not None else ""
        if found != key.certificate_sha256:
            name = presented.subject.human_friendly if presented is not None else "?"
            raise DomainError(
                message=_(
                    "Khóa đang cắm hoặc đang mở (%(found)s) không phải khóa đã đăng ký (%(registered)s); "
                    "hãy dùng đúng thiết bị, hoặc nhờ quản trị thay khóa."
                )
                % {"found": name, "registered": key.common_name},
                rule="certificate_mismatch",
                field="signer",
            )
        yield signer


def _free_field_name(pdf: bytes, base: str) -> str:
    """``base``, or ``base_2``… when the PDF already has a field of that name (a second signature)."""
    taken = pades.form_fields(pades.open_pdf(pdf))
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    return name


def personal_field_name(person: Person) -> str:
    return f"ChuKyCaNhan_{person.pk}"


def agency_field_name(agency: Agency) -> str:
    return f"ChuKyCoQuan_{agency.pk}"


def sign_pdf_as_person(
    *,
    person: Person,
    pdf: bytes,
    secret: str | None,
    box: Box,
    title: str,
    reason: str = "",
    fields: Mapping[str, Box] | None = None,
) -> bytes:
    """``pdf`` with ``person``'s personal signature in ``box`` (title lines, their handwritten image, their
    name); ``fields`` (number, date) are added first, empty, so the agency's signature can fill them later."""
    key = _usable(personal_key_for(person), person.full_name or person.get_username())
    prepared = pades.add_designated_fields(pdf, fields) if fields else pdf
    field_name = _free_field_name(prepared, personal_field_name(person))
    appearance = SignerAppearance(
        box=box, title=title, name=person.full_name or person.get_username(), image_png=key_image(key)
    )
    with open_signer(key, secret) as signer:
        return pades.sign_pdf(prepared, signer, field_name=field_name, appearance=appearance, reason=reason)


def sign_pdf_as_agency(
    *,
    actor: Person | None,
    agency: Agency,
    pdf: bytes,
    secret: str | None,
    box: Box,
    fill: Mapping[str, str] | None = None,
    with_seal: bool = True,
    text_lines: tuple[str, ...] = (),
    reason: str = "",
) -> bytes:
    """``pdf`` with ``agency``'s signature applied by its clerk ``actor``: the red seal (``with_seal``) or, for
    attachments in separate files, ``text_lines``; ``fill`` sets the designated fields in the same update."""
    require_agency_signer(actor, agency)
    key = _usable(agency_key_for(agency), agency.name)
    image = key_image(key) if with_seal else None
    if with_seal and image is None:
        raise DomainError(
            message=_("Khóa của %(agency)s chưa có ảnh con dấu; tải ảnh lên hoặc ký không kèm dấu.")
            % {"agency": agency.name},
            rule="no_seal_image",
            field="with_seal",
        )
    field_name = _free_field_name(pdf, agency_field_name(agency))
    appearance = SealAppearance(box=box, image_png=image, text_lines=tuple(text_lines))
    with open_signer(key, secret) as signer:
        return pades.sign_pdf(
            pdf, signer, field_name=field_name, appearance=appearance, reason=reason, fill=fill
        )
