"""The leader's personal signature and the clerk's issuance — the order Decree 30 sets.

1. :func:`sign_document`: only the designated signer, only when the draft waits for their signature. The
   signature covers the empty designated fields for the number and the date, added in the same call.
2. :func:`issue_document`: the clerk, in one transaction: check the stored copy carries an intact personal
   signature by the certificate recorded at signing; lock the register row and take the next number; fill
   number and date and apply the agency's signature (seal over the left third of the leader's stamp);
   attachments get the agency's text signature; store; dispatch; commit. A failing agency signature (wrong
   secret) rolls everything back and the number is not used.

There is no other way to a number: this module is the only code that writes ``OutgoingDocument.number``, the
service refuses before the personal signature, and the database's CHECK refuses a number on an unsigned row.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Person, Role
from lienthong.signing import pades
from lienthong.signing import selectors as signing_selectors
from lienthong.signing import services as signing_services

from .. import layout as places
from .. import numbering, verification
from ..files import put_pdf, read_pdf
from ..models import Direction, OutgoingDocument, OutgoingStatus, Secrecy, StepDecision, StepStage
from ..pdfs import inspect_pdf
from ..search import refresh_search_text
from ..signals import outgoing_issued
from ..tasks import schedule_text_extraction
from .common import announce, audit, check_version, require_person, require_role, roles_in
from .dispatch import dispatch
from .drafts import signature_title
from .registers import take_number
from .review import pending_step


def _box(place: places.Place) -> pades.Box:
    return pades.Box(place.page, place.x1, place.y1, place.x2, place.y2)


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("agency", "signer", "document_type", "drafter")
        .get(pk=document.pk)
    )


def sign_document(
    *, actor: Person, document: OutgoingDocument, secret: str | None, expected_version: int | None = None
) -> OutgoingDocument:
    """The designated signer signs the draft personally; the signed copy is stored and its certificate kept."""
    actor = require_person(actor)
    with transaction.atomic():
        locked = _locked(document)
        if locked.signer_id != actor.pk:
            raise PermissionDenied(
                _("Chỉ người ký được chỉ định (%(name)s) được ký văn bản này.")
                % {"name": locked.signer.full_name or locked.signer.get_username()},
                rule="not_designated_signer",
            )
        if locked.personal_signed_at is not None:
            raise Conflict(_("Văn bản đã được ký."), rule="already_signed", field="status")
        if locked.status != OutgoingStatus.AWAITING_SIGNATURE:
            raise Conflict(
                _("Dự thảo chưa được trình ký (trạng thái: %(status)s).")
                % {"status": locked.get_status_display()},
                rule="not_awaiting_signature",
                field="status",
            )
        if Role.LEADER not in roles_in(actor, locked.agency):
            raise PermissionDenied(
                _("Người ký không còn là lãnh đạo của %(agency)s.") % {"agency": locked.agency.name},
                rule="leader_role_required",
            )
        check_version(locked, expected_version)
        step = pending_step(locked)
        if step is None or step.stage != StepStage.SIGNATURE or step.assignee_id != actor.pk:
            raise Conflict(_("Dự thảo không chờ bạn ký."), rule="not_awaiting_signature", field="status")
        # sign_pdf_as_person signs only with the registered certificate (else certificate_mismatch), so the key's
        # fingerprint is the signature's; issuing checks the stored file against it again before numbering.
        key = signing_selectors.personal_key_for(actor)
        layout = places.from_json(locked.layout)
        fields = {name: _box(layout[name]) for name in places.FIELDS if name not in set(locked.own_fields)}
        signed = signing_services.sign_pdf_as_person(
            person=actor,
            pdf=read_pdf(locked.draft_storage_name, locked.draft_sha256),
            secret=secret,
            box=_box(layout[places.SIGNER]),
            title=signature_title(locked.authority_prefix, locked.authority_of, locked.signer_position),
            reason=_("Ký ban hành văn bản"),
            fields=fields or None,
        )
        stored = put_pdf(signed)
        now = timezone.now()
        locked.signed_sha256, locked.signed_storage_name = stored.sha256, stored.storage_name
        locked.personal_signed_at = now
        locked.personal_certificate_sha256 = key.certificate_sha256 if key is not None else ""
        locked.status = OutgoingStatus.SIGNED
        locked.save()
        step.decision, step.decided_at = StepDecision.SIGNED, now
        step.save(update_fields=["decision", "decided_at"])
        audit(
            actor,
            "outgoing.sign",
            locked,
            locked.agency,
            {
                "signed_sha256": stored.sha256,
                "certificate_sha256": locked.personal_certificate_sha256,
                "signer": key.common_name if key is not None else "",
                "version": locked.version,
            },
        )
    document.refresh_from_db()
    return locked


def _check_personal_signature(document: OutgoingDocument, pdf: bytes) -> None:
    report = verification.check(pdf)[0]
    for signature in report.signatures:
        if (
            signature.certificate_sha256 == document.personal_certificate_sha256
            and signature.intact
            and signature.valid
        ):
            return
    raise DomainError(
        message=_("Tệp đã ký không còn mang chữ ký cá nhân hợp lệ của người ký được chỉ định; không cấp số."),
        rule="personal_signature_invalid",
        field="signed_pdf",
        status=409,
    )


def _seal_size(agency: Agency) -> places.PageSize | None:
    """The real size (points) of the agency's seal image, when its key has one."""
    key = signing_selectors.agency_key_for(agency)
    image = signing_selectors.key_image(key) if key is not None else None
    if not image:
        return None
    box = pades.seal_box_over(pades.Box(0, 0, 0, 300, 300), image)
    return box.x2 - box.x1, box.y2 - box.y1


def _seal_place(document: OutgoingDocument, page_size: places.PageSize) -> places.Place:
    layout = places.from_json(document.layout)
    if places.SEAL in layout:
        return layout[places.SEAL]
    return places.seal_place(layout[places.SIGNER], _seal_size(document.agency), page_size)


def issue_document(*, actor: Person, document: OutgoingDocument, secret: str | None) -> OutgoingDocument:
    """The clerk issues the signed document: number and date from the register, the agency's signature, the
    dispatch to its recipients — all or nothing."""
    actor = require_person(actor)
    with transaction.atomic():
        locked = _locked(document)
        agency = locked.agency
        require_role(
            actor,
            agency,
            (Role.CLERK,),
            rule="clerk_role_required",
            message=_("Chỉ văn thư của %(agency)s được phát hành văn bản.") % {"agency": agency.name},
        )
        if locked.status == OutgoingStatus.ISSUED or locked.number is not None:
            raise Conflict(
                _("Văn bản đã được phát hành, số %(number)s.") % {"number": locked.number_notation},
                rule="already_issued",
                field="status",
            )
        if locked.personal_signed_at is None or locked.status != OutgoingStatus.SIGNED:
            raise Conflict(
                _("Lãnh đạo chưa ký văn bản: chỉ cấp số sau khi người có thẩm quyền ký số."),
                rule="not_signed",
                field="status",
            )
        if locked.is_secret and locked.recipients.filter(is_external=True).exists():
            raise DomainError(
                message=_("Văn bản mật không được gửi qua trục liên thông."),
                rule="secret_not_external",
                field="recipients",
            )
        signed = read_pdf(locked.signed_storage_name, locked.signed_sha256)
        _check_personal_signature(locked, signed)
        facts = inspect_pdf(signed, field="signed_pdf")
        layout = places.from_json(locked.layout)
        seal = _seal_place(locked, facts.page_sizes[layout[places.SIGNER].page])

        now = timezone.now()
        day = timezone.localdate(now)
        register, number = take_number(agency, day.year, Direction.OUTGOING, locked.secrecy != Secrecy.NONE)
        notation = numbering.notation(
            locked.document_type.abbreviation, agency.short_name, locked.notation_suffix
        )
        number_text = numbering.number_and_notation(number, notation)
        issued = signing_services.sign_pdf_as_agency(
            actor=actor,
            agency=agency,
            pdf=signed,
            secret=secret,
            box=_box(seal),
            fill={
                places.NUMBER: numbering.number_line(number, notation),
                places.DATE: numbering.date_line(locked.place, day),
            },
            with_seal=True,
            reason=_("Phát hành văn bản số %(number)s") % {"number": number_text},
        )
        attachments = list(locked.attachments.all())
        issued_attachments: list[tuple[Any, bytes]] = []
        for item in attachments:
            data = read_pdf(item.storage_name, item.sha256)
            page_size = inspect_pdf(data, field="attachments").page_sizes[0]
            stamped = signing_services.sign_pdf_as_agency(
                actor=actor,
                agency=agency,
                pdf=data,
                secret=secret,
                box=_box(places.attachment_stamp_place(page_size)),
                with_seal=False,
                text_lines=(f"Số: {number_text}", f"Kèm theo văn bản ngày {day:%d/%m/%Y}"),
                reason=_("Phụ lục kèm văn bản số %(number)s") % {"number": number_text},
            )
            issued_attachments.append((item, stamped))
        # Recipients on the platform keep the report of what they received; checking costs, so only then.
        needs_report = locked.recipients.filter(is_external=False).exists()
        report = verification.check(issued)[0] if needs_report else None
        agency_key = signing_selectors.agency_key_for(agency)

        stored = put_pdf(issued)
        for item, stamped in issued_attachments:
            saved = put_pdf(stamped)
            item.issued_sha256, item.issued_storage_name = saved.sha256, saved.storage_name
            item.save(update_fields=["issued_sha256", "issued_storage_name"])
        locked.register = register
        locked.number = number
        locked.notation = notation
        locked.issue_date = day
        locked.issued_at = now
        locked.issued_by = actor
        locked.issued_sha256, locked.issued_storage_name, locked.issued_size = (
            stored.sha256,
            stored.storage_name,
            stored.size,
        )
        locked.agency_certificate_sha256 = agency_key.certificate_sha256 if agency_key is not None else ""
        locked.status = OutgoingStatus.ISSUED
        refresh_search_text(locked)
        locked.save()
        delivered = dispatch(locked, actor=actor, report=report, at=now, attachments=issued_attachments)
        audit(
            actor,
            "outgoing.issue",
            locked,
            agency,
            {
                "register": register.pk,
                "number": number,
                "notation": notation,
                "issue_date": day,
                "issued_sha256": stored.sha256,
                "identifier": locked.identifier,
                "delivered": [row.agency.code for row in delivered],
                "waiting": list(
                    locked.recipients.filter(is_external=True).values_list("agency_code", flat=True)
                ),
            },
        )
        announce(outgoing_issued, OutgoingDocument, document=locked)
        schedule_text_extraction("outgoing", locked.pk)
    document.refresh_from_db()
    return locked
