"""Review and approval of a draft: the drafter submits to a reviewer (a unit head), who approves it on to the
signer (a leader) or returns it with a note; the signer may return it too. Each step is a row
(:class:`ReviewStep`) with the decision, the note, who and when, and the version of the draft it saw.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Person

from ..models import OutgoingDocument, OutgoingStatus, ReviewStep, StepDecision, StepStage
from .common import REVIEWER_ROLES, audit, check_version, clean_text, require_person, require_status, roles_in

APPROVE = "approve"
RETURN = "return"
NOTE_MAX = 4000


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return (
        OutgoingDocument.objects.select_for_update(of=("self",))
        .select_related("agency", "signer", "drafter")
        .get(pk=document.pk)
    )


def pending_step(document: OutgoingDocument) -> ReviewStep | None:
    return document.steps.filter(decision=StepDecision.PENDING).select_related("assignee").first()


def submit_draft(
    *,
    actor: Person,
    document: OutgoingDocument,
    reviewer: Person | None = None,
    expected_version: int | None = None,
) -> ReviewStep:
    """Send the draft to ``reviewer`` (a unit head or leader of the agency), or straight to the signer when the
    drafter is a unit head or leader and names no reviewer."""
    actor = require_person(actor)
    with transaction.atomic():
        locked = _locked(document)
        if locked.drafter_id != actor.pk:
            raise PermissionDenied(_("Chỉ người soạn thảo được trình dự thảo."), rule="drafter_only")
        require_status(
            locked,
            (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED),
            _("Dự thảo đã được trình."),
            rule="already_submitted",
        )
        check_version(locked, expected_version)
        agency = locked.agency
        if reviewer is None:
            if not roles_in(actor, agency) & set(REVIEWER_ROLES):
                raise DomainError(
                    message=_("Cần chọn trưởng đơn vị thẩm định dự thảo trước khi trình ký."),
                    rule="required",
                    field="reviewer",
                )
            stage, assignee, status = StepStage.SIGNATURE, locked.signer, OutgoingStatus.AWAITING_SIGNATURE
        else:
            if reviewer.pk == actor.pk:
                raise DomainError(
                    message=_("Người soạn thảo không tự thẩm định dự thảo của mình."),
                    rule="reviewer_is_drafter",
                    field="reviewer",
                )
            if not roles_in(reviewer, agency) & set(REVIEWER_ROLES):
                raise DomainError(
                    message=_("Người thẩm định phải là trưởng đơn vị hoặc lãnh đạo của %(agency)s.")
                    % {"agency": agency.name},
                    rule="reviewer_role_required",
                    field="reviewer",
                )
            stage, assignee, status = StepStage.REVIEW, reviewer, OutgoingStatus.IN_REVIEW
        now = timezone.now()
        step = ReviewStep.objects.create(
            document=locked,
            stage=stage,
            assignee=assignee,
            submitted_by=actor,
            submitted_at=now,
            document_version=locked.version,
        )
        locked.status = status
        locked.submitted_once = True
        locked.save(update_fields=["status", "submitted_once", "updated_at"])
        audit(
            actor,
            "outgoing.submit",
            locked,
            agency,
            {"stage": stage, "assignee": assignee.get_username(), "version": locked.version},
        )
    document.refresh_from_db()
    return step


def review_draft(*, actor: Person, document: OutgoingDocument, decision: str, note: str = "") -> ReviewStep:
    """The reviewer approves (the draft goes to the signer) or returns it with a note (back to the drafter).
    The signer may return it too; the signer approves by signing (:func:`.issuing.sign_document`)."""
    actor = require_person(actor)
    if decision not in (APPROVE, RETURN):
        raise DomainError(
            message=_("Quyết định phải là approve (đồng ý) hoặc return (trả lại)."),
            rule="choice",
            field="decision",
        )
    note = clean_text(note, field="note", label=_("Ý kiến"), limit=NOTE_MAX, required=decision == RETURN)
    with transaction.atomic():
        locked = _locked(document)
        require_status(
            locked,
            (OutgoingStatus.IN_REVIEW, OutgoingStatus.AWAITING_SIGNATURE),
            _("Dự thảo không ở bước thẩm định hay trình ký."),
        )
        step = pending_step(locked)
        if step is None:
            raise Conflict(_("Dự thảo không có bước nào đang chờ."), rule="no_pending_step", field="status")
        if step.assignee_id != actor.pk:
            raise PermissionDenied(
                _("Dự thảo đang chờ %(name)s xử lý.")
                % {"name": step.assignee.full_name or step.assignee.get_username()},
                rule="not_your_step",
            )
        if step.stage == StepStage.SIGNATURE and decision == APPROVE:
            raise Conflict(
                _("Ở bước trình ký, lãnh đạo đồng ý bằng cách ký số văn bản."),
                rule="sign_to_approve",
                field="decision",
            )
        now = timezone.now()
        step.decision = StepDecision.APPROVED if decision == APPROVE else StepDecision.RETURNED
        step.note = note
        step.decided_at = now
        step.save(update_fields=["decision", "note", "decided_at"])
        if decision == APPROVE:
            ReviewStep.objects.create(
                document=locked,
                stage=StepStage.SIGNATURE,
                assignee=locked.signer,
                submitted_by=actor,
                submitted_at=now,
                document_version=locked.version,
            )
            locked.status = OutgoingStatus.AWAITING_SIGNATURE
        else:
            locked.status = OutgoingStatus.RETURNED
        locked.save(update_fields=["status", "updated_at"])
        audit(
            actor,
            "outgoing.review",
            locked,
            locked.agency,
            {"stage": step.stage, "decision": step.decision, "note": note, "version": step.document_version},
        )
    document.refresh_from_db()
    return step
