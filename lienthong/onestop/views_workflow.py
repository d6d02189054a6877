"""Which actions the dossier page offers: by the dossier's status, its workflow state, and the officer's roles.

The services stay the judges — a specialist who posts "approve" anyway gets the service's 403 — but the page
offers an officer only what they may do, so nobody is shown a leader's button. Roles are read once per page
(:func:`abilities`), in the same terms the services check them:

* ``desk`` — the one-stop desk of the receiving agency (accept, refuse, supplement received, return, withdraw,
  record a payment);
* ``processing`` — any processing role in the agency handling the dossier now;
* ``step`` — processing, and the open step is theirs, unassigned, or they are a unit head or leader;
* ``assigner`` — a unit head or leader of the handling agency;
* ``leader`` — a leader of the handling agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lienthong.directory.models import Person, RoleAssignment

from . import actions, apology, fees, selectors, services, workflow
from .files import Upload
from .forms import (
    ActionForm,
    ApologyForm,
    AssignForm,
    ForwardForm,
    HandOverForm,
    NoteForm,
    PaymentForm,
    PaymentRequestForm,
    ReasonForm,
    ResultForm,
    ReturnForm,
)
from .models import Apology, ApologyStatus, Dossier, DossierFile, DossierStep, FileKind, NationalStatus
from .models import StepOutcome as Outcome
from .steps import process_steps

S = NationalStatus
Runner = Callable[[Any, Dossier, int, dict[str, Any]], object]


@dataclass(frozen=True)
class Abilities:
    """What the signed-in officer may do on one dossier, by role (see the module note)."""

    desk: bool = False
    processing: bool = False
    step: bool = False
    assigner: bool = False
    leader: bool = False

    def allows(self, who: str) -> bool:
        return bool(getattr(self, who))


@dataclass
class PageState:
    """What the dossier page has read about the dossier, shared by the offers and the template."""

    dossier: Dossier
    steps: list[DossierStep]
    files: list[DossierFile]
    apologies: list[Apology]
    orders: list[int] = field(default_factory=list)

    @property
    def open_step(self) -> DossierStep | None:
        return next((s for s in self.steps if s.outcome == Outcome.OPEN), None)

    @property
    def has_next_step(self) -> bool:
        step = self.open_step
        return step is not None and any(order > step.step_order for order in self.orders)

    @property
    def has_previous_step(self) -> bool:
        step = self.open_step
        return step is not None and any(order < step.step_order for order in self.orders)

    @property
    def unsigned_results(self) -> bool:
        return any(f.kind == FileKind.RESULT and f.signed_at is None for f in self.files)

    @property
    def draft_apology(self) -> Apology | None:
        return next((a for a in self.apologies if a.status == ApologyStatus.DRAFT), None)


def abilities(user: Any, dossier: Dossier, open_step: DossierStep | None) -> Abilities:
    """The officer's abilities on ``dossier``, from one query of their roles in the two agencies concerned."""
    if not isinstance(user, Person) or not user.is_active:
        return Abilities()
    if user.is_superuser:
        return Abilities(True, True, True, True, True)
    handling = actions.handling_agency(dossier)
    held = set(
        RoleAssignment.objects.filter(
            person=user, is_active=True, agency_id__in={dossier.agency_id, handling.pk}
        ).values_list("agency_id", "role")
    )
    at_desk = {role for agency_id, role in held if agency_id == dossier.agency_id}
    handling_roles = {role for agency_id, role in held if agency_id == handling.pk}
    processing = bool(handling_roles & set(actions.PROCESSING_ROLES))
    assigner = bool(handling_roles & set(workflow.ASSIGNING_ROLES))
    mine = open_step is None or open_step.assignee_id in (None, user.pk)
    return Abilities(
        desk=bool(at_desk & set(services.DESK_ROLES)),
        processing=processing,
        step=processing and (mine or assigner),
        assigner=assigner,
        leader=bool(handling_roles & set(workflow.LEADER_ROLES)),
    )


def _always(state: PageState) -> bool:
    return True


@dataclass(frozen=True)
class OfficerAction:
    """One action offered on the dossier page: when, to whom, its form, and the service it calls."""

    key: str
    label: Promise
    form: type[ActionForm]
    statuses: tuple[int, ...]
    who: str
    run: Runner
    danger: bool = False
    #: A further condition on the workflow state (a next step exists, a result waits for signature…).
    when: Callable[[PageState], bool] = _always
    #: Fields the service names that this form calls differently.
    fields: tuple[tuple[str, str], ...] = ()

    def form_field(self, service_field: str) -> str:
        return dict(self.fields).get(service_field, service_field)


def _upload(data: dict[str, Any]) -> Upload:
    upload = data["file"]
    return Upload(title=data["title"], file_name=upload.name or "", data=upload.read())


_OPEN = (S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT)

ACTIONS: tuple[OfficerAction, ...] = (
    OfficerAction(
        "accept",
        _("Tiếp nhận hồ sơ"),
        ActionForm,
        (S.SUBMITTED,),
        "desk",
        lambda actor, d, v, data: services.accept_dossier(actor=actor, dossier=d, expected_version=v),
    ),
    OfficerAction(
        "refuse",
        _("Từ chối tiếp nhận"),
        ReasonForm,
        (S.SUBMITTED,),
        "desk",
        lambda actor, d, v, data: actions.refuse_at_intake(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
    OfficerAction(
        "start_processing",
        _("Bắt đầu xử lý"),
        ActionForm,
        (S.ACCEPTED,),
        "processing",
        lambda actor, d, v, data: actions.start_processing(actor=actor, dossier=d, expected_version=v),
    ),
    OfficerAction(
        "assign",
        _("Phân công xử lý"),
        AssignForm,
        (S.PROCESSING,),
        "assigner",
        lambda actor, d, v, data: workflow.assign(
            actor=actor, dossier=d, assignee=data["assignee"], expected_version=v
        ),
        when=lambda state: state.open_step is not None,
    ),
    OfficerAction(
        "forward",
        _("Chuyển bước tiếp theo"),
        ForwardForm,
        (S.PROCESSING,),
        "step",
        lambda actor, d, v, data: workflow.forward(
            actor=actor, dossier=d, note=data["reason"], assignee=data["assignee"], expected_version=v
        ),
        when=lambda state: state.has_next_step,
    ),
    OfficerAction(
        "send_back",
        _("Trả lại bước trước"),
        ReasonForm,
        (S.PROCESSING,),
        "step",
        lambda actor, d, v, data: workflow.send_back(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        when=lambda state: state.has_previous_step,
    ),
    OfficerAction(
        "attach_result",
        _("Đính kèm kết quả"),
        ResultForm,
        (S.PROCESSING,),
        "step",
        lambda actor, d, v, data: workflow.attach_result(
            actor=actor, dossier=d, result=_upload(data), expected_version=v
        ),
        fields=(
            ("result", "file"),
            ("result[0].title", "title"),
            ("result[0].file_name", "file"),
            ("result[0].content_base64", "file"),
        ),
    ),
    OfficerAction(
        "approve",
        _("Phê duyệt"),
        NoteForm,
        (S.PROCESSING,),
        "leader",
        lambda actor, d, v, data: workflow.approve(
            actor=actor, dossier=d, note=data["reason"], expected_version=v
        ),
        when=lambda state: state.open_step is not None,
    ),
    OfficerAction(
        "sign_result",
        _("Ký kết quả"),
        ActionForm,
        (S.PROCESSING,),
        "leader",
        lambda actor, d, v, data: workflow.sign_result(actor=actor, dossier=d, expected_version=v),
        when=lambda state: state.unsigned_results,
    ),
    OfficerAction(
        "hand_over",
        _("Chuyển cơ quan liên thông"),
        HandOverForm,
        (S.PROCESSING,),
        "processing",
        lambda actor, d, v, data: workflow.hand_over(
            actor=actor, dossier=d, to_agency=data["to_agency"], reason=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "request_supplement",
        _("Yêu cầu bổ sung hồ sơ"),
        ReasonForm,
        (S.ACCEPTED, S.PROCESSING),
        "processing",
        lambda actor, d, v, data: actions.request_supplement(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "answer_supplement",
        _("Nhận hồ sơ bổ sung"),
        NoteForm,
        (S.SUPPLEMENT_REQUESTED,),
        "desk",
        lambda actor, d, v, data: actions.answer_supplement(
            actor=actor, dossier=d, note=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "request_payment",
        _("Yêu cầu thực hiện nghĩa vụ tài chính"),
        PaymentRequestForm,
        (S.PROCESSING,),
        "processing",
        lambda actor, d, v, data: fees.request_payment(
            actor=actor, dossier=d, amount=data["amount"], reason=data["reason"], expected_version=v
        ),
    ),
    OfficerAction(
        "record_payment",
        _("Ghi nhận đã nộp tiền"),
        PaymentForm,
        (S.AWAITING_PAYMENT,),
        "desk",
        lambda actor, d, v, data: fees.record_payment(
            actor=actor, dossier=d, amount=data["amount"], receipt=data["receipt"], expected_version=v
        ),
        fields=(("reason", "receipt"),),
    ),
    OfficerAction(
        "draft_apology",
        _("Soạn phiếu xin lỗi và hẹn lại"),
        ApologyForm,
        _OPEN,
        "processing",
        lambda actor, d, v, data: apology.draft_apology(
            actor=actor, dossier=d, reason=data["reason"], new_due_at=data["new_due_at"], expected_version=v
        ),
        when=lambda state: state.draft_apology is None and state.dossier.due_at is not None,
    ),
    OfficerAction(
        "approve_apology",
        _("Duyệt phiếu xin lỗi"),
        NoteForm,
        _OPEN,
        "leader",
        lambda actor, d, v, data: apology.decide_apology(
            actor=actor, dossier=d, approve=True, note=data["reason"], expected_version=v
        ),
        when=lambda state: state.draft_apology is not None,
    ),
    OfficerAction(
        "reject_apology",
        _("Không duyệt phiếu xin lỗi"),
        ReasonForm,
        _OPEN,
        "leader",
        lambda actor, d, v, data: apology.decide_apology(
            actor=actor, dossier=d, approve=False, note=data["reason"], expected_version=v
        ),
        danger=True,
        when=lambda state: state.draft_apology is not None,
    ),
    OfficerAction(
        "finish",
        _("Hoàn thành xử lý"),
        ActionForm,
        (S.PROCESSING,),
        "processing",
        lambda actor, d, v, data: actions.finish(actor=actor, dossier=d, expected_version=v),
        when=lambda state: not state.unsigned_results,
    ),
    OfficerAction(
        "return_result",
        _("Trả kết quả"),
        ReturnForm,
        (S.FINISHED,),
        "desk",
        lambda actor, d, v, data: actions.return_result(
            actor=actor,
            dossier=d,
            method=data["method"],
            tracking_number=data["tracking_number"],
            expected_version=v,
        ),
    ),
    OfficerAction(
        "withdraw",
        _("Rút hồ sơ theo yêu cầu"),
        NoteForm,
        (S.SUBMITTED, *_OPEN),
        "desk",
        lambda actor, d, v, data: actions.withdraw(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
    OfficerAction(
        "stop",
        _("Dừng xử lý"),
        ReasonForm,
        _OPEN,
        "processing",
        lambda actor, d, v, data: actions.stop_processing(
            actor=actor, dossier=d, reason=data["reason"], expected_version=v
        ),
        danger=True,
    ),
)
ACTIONS_BY_KEY = {action.key: action for action in ACTIONS}


def page_state(dossier: Dossier) -> PageState:
    """Steps, files and apologies of the dossier, and the step orders of its handling agency's process."""
    steps = list(selectors.steps_of(dossier))
    state = PageState(
        dossier=dossier,
        steps=steps,
        files=list(selectors.files_of(dossier)),
        apologies=list(selectors.apologies_of(dossier)),
    )
    if dossier.national_status == S.PROCESSING and state.open_step is not None:
        state.orders = [s.order for s in process_steps(dossier, actions.handling_agency(dossier))]
    return state


def offered(state: PageState, able: Abilities) -> list[OfficerAction]:
    """The actions the page offers for the dossier's status and workflow state, to this officer."""
    status = int(state.dossier.national_status)
    return [a for a in ACTIONS if status in a.statuses and able.allows(a.who) and a.when(state)]
