"""The internal workflow of a dossier being processed: steps, assignment, approval, the result, hand-over.

A dossier in processing (status 4) sits at one open :class:`DossierStep` — a step of the internal process
(quy trình nội bộ) its handling agency set for the procedure, or one generic step when the agency set none. The
step has its own allowance of working hours, so a late step shows even when the dossier is still in time.
Each action here follows the pattern of :mod:`.actions`: one transaction, the dossier row locked, the caller's
``expected_version`` checked, a timeline line, an audit entry.

Who may do what (in the handling agency):

* forward, send back, attach a result — the person assigned to the open step, or a unit head or leader (and
  any processing officer while the step is unassigned);
* assign — a unit head or leader;
* approve, sign the result — a leader;
* hand over to another agency — any processing officer of the handling agency.

Signing the result here records the leader's approval of the exact file (its SHA-256); the cryptographic
PAdES signature is applied by the signing app when it is configured.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from lienthong.catalog.models import ProcedureAgency
from lienthong.core.errors import Conflict, DomainError, PermissionDenied
from lienthong.directory.models import Agency, Person, Role, RoleAssignment

from .actions import (
    PROCESSING_ROLES,
    _apply,
    _clean_reason,
    _moment,
    _require_status,
    handling_agency,
    holds_role,
    require_processing_role,
)
from .files import Upload, check_uploads, file_summary, store_files
from .models import Dossier, DossierFile, DossierStep, FileKind, NationalStatus, StepOutcome
from .services import Actor, _actor_label, _locked
from .steps import close_step, open_step, open_step_of, step_orders

S = NationalStatus
ASSIGNING_ROLES = (Role.UNIT_HEAD, Role.LEADER, Role.SYSTEM_ADMIN)
LEADER_ROLES = (Role.LEADER, Role.SYSTEM_ADMIN)


# --- helpers ---------------------------------------------------------------------------------------------


def _current_step(dossier: Dossier) -> DossierStep:
    step = open_step_of(dossier)
    if step is None:
        raise Conflict(
            _("Hồ sơ %(code)s không có bước xử lý nào đang mở.") % {"code": dossier.code},
            rule="no_open_step",
            field="step",
        )
    return step


def _require_step_actor(actor: Actor, dossier: Dossier, step: DossierStep) -> None:
    """The assignee of the step, or a unit head or leader; anyone processing while it is unassigned."""
    agency = handling_agency(dossier)
    require_processing_role(actor, agency)
    if step.assignee_id is None or actor is None or actor.pk == step.assignee_id:
        return
    if not holds_role(actor, agency, ASSIGNING_ROLES):
        raise PermissionDenied(
            _("Bước “%(step)s” đã giao cho %(person)s; chỉ người đó hoặc lãnh đạo mới được xử lý.")
            % {"step": step.title, "person": step.assignee.get_full_name() if step.assignee else ""},
            rule="assignee_only",
        )


def _require_leader(actor: Actor, agency: Agency, doing: str) -> None:
    if not holds_role(actor, agency, LEADER_ROLES):
        raise PermissionDenied(
            _("Chỉ lãnh đạo %(agency)s mới được %(doing)s.") % {"agency": agency.name, "doing": doing},
            rule="leader_required",
        )


# --- actions --------------------------------------------------------------------------------------------


@transaction.atomic
def forward(
    *,
    actor: Actor,
    dossier: Dossier,
    note: str = "",
    assignee: Person | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Pass the dossier from its open step to the next step of the process (optionally to a named person)."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("chuyển bước xử lý"))
    step = _current_step(dossier)
    _require_step_actor(actor, dossier, step)
    text = _clean_reason(note, required=False)
    agency = handling_agency(dossier)
    following = [o for o in step_orders(dossier, agency) if o > step.step_order]
    if not following:
        raise Conflict(
            _("“%(step)s” là bước cuối của quy trình; hãy hoàn thành xử lý hoặc chuyển cơ quan khác.")
            % {"step": step.title},
            rule="last_step",
            field="step",
        )
    if assignee is not None:
        _require_assignable(assignee, agency)
    moment = _moment(dossier, at)
    close_step(dossier, moment, StepOutcome.FORWARDED)
    nxt = open_step(dossier, agency, following[0], moment, assignee)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="forward",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"step": [step.title, nxt.title]},
        note=text or nxt.title,
    )


@transaction.atomic
def send_back(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Return the dossier to the previous step of the process, for a stated reason."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("trả lại bước trước"))
    step = _current_step(dossier)
    _require_step_actor(actor, dossier, step)
    text = _clean_reason(reason)
    agency = handling_agency(dossier)
    earlier = [o for o in step_orders(dossier, agency) if o < step.step_order]
    if not earlier:
        raise Conflict(
            _("“%(step)s” là bước đầu tiên, không có bước trước để trả lại.") % {"step": step.title},
            rule="first_step",
            field="step",
        )
    moment = _moment(dossier, at)
    close_step(dossier, moment, StepOutcome.SENT_BACK)
    # The earlier step goes back to whoever handled it last time.
    previous = (
        DossierStep.objects.filter(dossier=dossier, agency=agency, step_order=earlier[-1])
        .order_by("-sequence")
        .first()
    )
    back = open_step(dossier, agency, earlier[-1], moment, previous.assignee if previous else None)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="send_back",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"step": [step.title, back.title]},
        note=text,
    )


def _require_assignable(person: Person, agency: Agency) -> None:
    ok = (
        person.is_active
        and RoleAssignment.objects.filter(
            person=person, agency=agency, role__in=PROCESSING_ROLES, is_active=True
        ).exists()
    )
    if not ok:
        raise DomainError(
            message=_("%(person)s không phải cán bộ xử lý của %(agency)s.")
            % {"person": person.get_full_name() or person.get_username(), "agency": agency.name},
            rule="not_an_officer_of_agency",
            field="assignee",
        )


@transaction.atomic
def assign(
    *,
    actor: Actor,
    dossier: Dossier,
    assignee: Person,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Give the open step to a named officer of the handling agency (unit head or leader)."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("phân công xử lý"))
    agency = handling_agency(dossier)
    if not holds_role(actor, agency, ASSIGNING_ROLES):
        raise PermissionDenied(
            _("Chỉ trưởng đơn vị hoặc lãnh đạo %(agency)s mới được phân công xử lý.")
            % {"agency": agency.name},
            rule="assigner_required",
        )
    step = _current_step(dossier)
    _require_assignable(assignee, agency)
    moment = _moment(dossier, at)
    previous = step.assignee.get_username() if step.assignee else None
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    return _apply(
        actor=actor,
        dossier=dossier,
        action="assign",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"assignee": [previous, assignee.get_username()]},
        note=assignee.get_full_name() or assignee.get_username(),
    )


@transaction.atomic
def approve(
    *,
    actor: Actor,
    dossier: Dossier,
    note: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """A leader approves the work of the open step; the dossier moves on to the next step if there is one."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("phê duyệt"))
    agency = handling_agency(dossier)
    _require_leader(actor, agency, _("phê duyệt hồ sơ"))
    step = _current_step(dossier)
    text = _clean_reason(note, required=False)
    moment = _moment(dossier, at)
    step.approved_by = _actor_label(actor)
    step.save(update_fields=["approved_by"])
    following = [o for o in step_orders(dossier, agency) if o > step.step_order]
    changes: dict[str, list[object]] = {"approved_step": [None, step.title]}
    if following:
        close_step(dossier, moment, StepOutcome.FORWARDED)
        nxt = open_step(dossier, agency, following[0], moment)
        changes["step"] = [step.title, nxt.title]
    return _apply(
        actor=actor,
        dossier=dossier,
        action="approve",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes=changes,
        note=text,
    )


@transaction.atomic
def attach_result(
    *,
    actor: Actor,
    dossier: Dossier,
    result: Upload,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> DossierFile:
    """Attach the result document (checked by content); it must be signed before the dossier finishes."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("đính kèm kết quả"))
    step = open_step_of(dossier)
    if step is not None:
        _require_step_actor(actor, dossier, step)
    else:
        require_processing_role(actor, handling_agency(dossier))
    checked = check_uploads([result], "result")
    moment = _moment(dossier, at)
    (row,) = store_files(dossier, checked, kind=FileKind.RESULT, by=_actor_label(actor), at=moment)
    _apply(
        actor=actor,
        dossier=dossier,
        action="attach_result",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"result": [None, file_summary([row])]},
        note=row.title,
    )
    return row


@transaction.atomic
def sign_result(
    *, actor: Actor, dossier: Dossier, at: datetime | None = None, expected_version: int | None = None
) -> Dossier:
    """A leader signs every result file not yet signed (recording the exact bytes by their hash)."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("ký kết quả"))
    _require_leader(actor, handling_agency(dossier), _("ký kết quả giải quyết"))
    unsigned = list(DossierFile.objects.filter(dossier=dossier, kind=FileKind.RESULT, signed_at__isnull=True))
    if not unsigned:
        raise Conflict(
            _("Hồ sơ %(code)s chưa có tệp kết quả nào chờ ký.") % {"code": dossier.code},
            rule="no_unsigned_result",
            field="result",
        )
    moment = _moment(dossier, at)
    label = _actor_label(actor)
    DossierFile.objects.filter(pk__in=[f.pk for f in unsigned]).update(signed_by=label, signed_at=moment)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="sign_result",
        at=moment,
        before=before,
        to=before,
        fields={},
        changes={"signed": [None, file_summary(unsigned)]},
        note=", ".join(f.title for f in unsigned),
    )


@transaction.atomic
def hand_over(
    *,
    actor: Actor,
    dossier: Dossier,
    to_agency: Agency,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Hand the dossier to another agency for its share of an interconnected procedure (or back to the
    receiving agency). The dossier, its code and its history stay one; each agency's steps keep their times."""
    dossier = _locked(dossier, expected_version)
    before = _require_status(dossier, (S.PROCESSING,), _("chuyển cơ quan liên thông"))
    current = handling_agency(dossier)
    require_processing_role(actor, current)
    if to_agency.pk == current.pk:
        raise DomainError(message=_("Hồ sơ đang ở chính cơ quan này."), rule="same_agency", field="to_agency")
    if not to_agency.is_active:
        raise DomainError(
            message=_("%(agency)s đã ngừng hoạt động.") % {"agency": to_agency.name},
            rule="agency_inactive",
            field="to_agency",
        )
    takes_part = ProcedureAgency.objects.filter(procedure_id=dossier.procedure_id, agency=to_agency).exists()
    if to_agency.pk != dossier.agency_id and not takes_part:
        raise DomainError(
            message=_("%(agency)s không tham gia giải quyết thủ tục này.") % {"agency": to_agency.name},
            rule="agency_not_implementing",
            field="to_agency",
        )
    text = _clean_reason(reason, required=False)
    moment = _moment(dossier, at)
    close_step(dossier, moment, StepOutcome.HANDED_OVER)
    open_step(dossier, to_agency, step_orders(dossier, to_agency)[0], moment)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="hand_over",
        at=moment,
        before=before,
        to=before,
        fields={"handling_agency": to_agency},
        changes={"handling_agency": [current.code, to_agency.code]},
        note=text or to_agency.name,
    )
