"""Late handling: the apology slip (form 04) with a new appointment.

The unit that will be late drafts the apology with the reason and a new appointment; a leader of the handling
agency approves it (or not) before it goes out. An approved apology gives the dossier ``rescheduled_due_at``,
which the applicant sees; ``due_at`` — the appointment that decides on-time statistics — never changes here.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError
from lienthong.directory.models import RoleAssignment

from .actions import _apply, _clean_reason, _moment, _require_status, handling_agency, require_processing_role
from .models import Apology, ApologyStatus, Dossier, NationalStatus
from .services import Actor, _actor_label, _locked
from .workflow import _require_leader

S = NationalStatus
OPEN_STATUSES = (S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)


@transaction.atomic
def draft_apology(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Apology:
    """The late unit drafts an apology with a new appointment, later than the one the applicant holds."""
    dossier = _locked(dossier, expected_version)
    agency = handling_agency(dossier)
    require_processing_role(actor, agency)
    before = _require_status(dossier, OPEN_STATUSES, _("soạn phiếu xin lỗi"))
    text = _clean_reason(reason)
    if not isinstance(new_due_at, datetime) or timezone.is_naive(new_due_at):
        raise DomainError(
            message=_("Ngày hẹn mới phải là thời điểm kèm múi giờ."), rule="aware", field="new_due_at"
        )
    current = dossier.rescheduled_due_at or dossier.due_at
    if current is None or new_due_at <= current:
        raise DomainError(
            message=_("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
            rule="after_current_due",
            field="new_due_at",
        )
    if Apology.objects.filter(dossier=dossier, status=ApologyStatus.DRAFT).exists():
        raise Conflict(
            _("Hồ sơ %(code)s đã có phiếu xin lỗi chờ duyệt.") % {"code": dossier.code},
            rule="draft_exists",
            field="apology",
        )
    moment = _moment(dossier, at)
    unit_id = (
        RoleAssignment.objects.filter(person_id=actor.pk, agency=agency, is_active=True)
        .exclude(unit=None)
        .values_list("unit_id", flat=True)
        .first()
        if actor is not None
        else None
    )
    apology = Apology.objects.create(
        dossier=dossier,
        agency=agency,
        unit_id=unit_id,
        reason=text,
        new_due_at=new_due_at,
        previous_due_at=current,
        drafted_by=_actor_label(actor),
        drafted_at=moment,
    )
    _apply(
        actor=actor,
        dossier=dossier,
        action="draft_apology",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"apology_new_due_at": [None, new_due_at]},
        note=text,
    )
    return apology


@transaction.atomic
def decide_apology(
    *,
    actor: Actor,
    dossier: Dossier,
    approve: bool,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Apology:
    """A leader approves the drafted apology (the new appointment takes effect) or turns it down."""
    dossier = _locked(dossier, expected_version)
    agency = handling_agency(dossier)
    _require_leader(actor, agency, _("duyệt phiếu xin lỗi"))
    before = _require_status(dossier, OPEN_STATUSES, _("duyệt phiếu xin lỗi"))
    apology = Apology.objects.select_for_update().filter(dossier=dossier, status=ApologyStatus.DRAFT).first()
    if apology is None:
        raise Conflict(
            _("Hồ sơ %(code)s không có phiếu xin lỗi nào chờ duyệt.") % {"code": dossier.code},
            rule="no_draft",
            field="apology",
        )
    text = _clean_reason(note, required=not approve)
    moment = _moment(dossier, at)
    apology.status = ApologyStatus.APPROVED if approve else ApologyStatus.REJECTED
    apology.decided_by = _actor_label(actor)
    apology.decided_at = moment
    apology.save(update_fields=["status", "decided_by", "decided_at"])
    fields = {"rescheduled_due_at": apology.new_due_at} if approve else {}
    _apply(
        actor=actor,
        dossier=dossier,
        action="apologise" if approve else "reject_apology",
        at=moment,
        before=before,
        to=before,
        fields=fields,
        note=text,
    )
    return apology
