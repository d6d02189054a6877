"""The dossier API, mounted at ``/api/v1/dossiers/``: intake, read, and actions on one-stop dossiers.

Callers: an external system or a postal partner with an API credential bound to one agency (it acts as the
system, ``actor=None``, and only for that agency), or a signed-in officer (acting as themselves, in the
agencies where they hold a role). A dossier outside the caller's scope answers 404, like one that does not
exist. Refusals leave as RFC 9457 problem documents naming the field and the rule.

Idempotency: an intake sent with an ``Idempotency-Key`` header and sent again with the same key and body answers
with the dossier the first one created (see :mod:`lienthong.onestop.idempotency`); without a key, sending the
same intake twice creates two dossiers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from typing import Annotated, Any, Literal

import pydantic_core
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Field, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import BaseModel, ConfigDict

from lienthong.core.json_body import JsonBody
from lienthong.directory.auth import api_auth
from lienthong.directory.models import Agency, ApiCredential, Person
from lienthong.directory.selectors import agency_for

from . import idempotency, selectors, services
from .files import Upload
from .models import Dossier, DossierEvent, DossierFile, DossierStep, NationalStatus
from .timeliness import step_timeliness

router = Router(auth=api_auth)
_JSON = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


_STATUS_TABLE = "; ".join(f"{choice.value} = {choice.label}" for choice in NationalStatus)

ChannelValue = Literal["online", "desk", "postal"]
ApplicantKindValue = Literal["person", "organisation"]


# --- schemas --------------------------------------------------------------------------------------------


# The intake's input models are plain pydantic models: ninja's Schema adds, on every nested model, a validator
# that reads attributes off ORM objects — for a JSON body a fifth of the parsing time, and never needed.


class ApplicantIn(BaseModel):
    """The applicant: a person (12-digit citizen ID) or an organisation (tax code)."""

    model_config = ConfigDict(extra="forbid")

    kind: ApplicantKindValue = Field(description="person (cá nhân) hoặc organisation (tổ chức).")
    name: str = Field(max_length=300, description="Họ tên người nộp hoặc tên tổ chức.")
    id_number: str = Field(
        max_length=20,
        description="Số định danh cá nhân (12 chữ số) với cá nhân; mã số thuế (10 chữ số, hoặc 10-3) với tổ chức.",
    )
    date_of_birth: date | None = Field(None, description="Ngày sinh (YYYY-MM-DD), với cá nhân.")
    address: str = Field("", max_length=500, description="Địa chỉ.")
    phone: str = Field(
        "",
        max_length=20,
        description="Điện thoại (8–15 chữ số). 4 chữ số cuối là yếu tố thứ hai để tra cứu công khai.",
    )
    email: str = Field("", max_length=254, description="Thư điện tử.")


class ComponentIn(BaseModel):
    """One file of the dossier, carried in the JSON body as base64."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300, description="Tên giấy tờ (vd. Tờ khai đăng ký khai sinh).")
    file_name: str = Field(max_length=255, description="Tên tệp của người gửi.")
    content_base64: str = Field(description="Nội dung tệp, mã hóa base64.")


class DossierIn(BaseModel):
    """An intake by an external system (a portal, a postal partner) or an officer."""

    model_config = ConfigDict(extra="forbid")

    procedure_code: str = Field(
        max_length=40, description="Mã thủ tục hành chính trong danh mục (vd. 1.000001)."
    )
    agency: str = Field(
        max_length=40,
        description=(
            "Mã định danh của cơ quan tiếp nhận. Với khóa API: phải là cơ quan của khóa; "
            "với cán bộ: cơ quan nơi họ là cán bộ một cửa."
        ),
    )
    applicant: ApplicantIn = Field(description="Người nộp hồ sơ.")
    channel: ChannelValue = Field(
        description=(
            "Hình thức nộp: online (trực tuyến — chờ tiếp nhận, trạng thái 1), desk (trực tiếp) hoặc "
            "postal (bưu chính công ích) — hai hình thức sau được tiếp nhận ngay (trạng thái 2) và có ngày hẹn."
        )
    )
    received_at: datetime | None = Field(
        None, description="Thời điểm nhận (kèm múi giờ, vd. +07:00); mặc định là lúc gọi API."
    )
    representative: dict[str, Any] | None = Field(
        None, description="Người đại diện hoặc được ủy quyền, nếu có (họ tên, giấy tờ, quan hệ…)."
    )
    components: list[ComponentIn] = Field(
        default_factory=list,
        max_length=30,
        description=(
            "Các thành phần hồ sơ dạng tệp (tối đa 30). Kiểu tệp được xác định theo nội dung (PDF, PNG, JPEG, "
            "DOCX, XLSX, XML), không theo tên; PDF phải đúng cấu trúc. Tệp lỗi → 400 nêu vị trí, "
            "vd. components[1].content_base64, và không lưu gì."
        ),
    )
    fee_due: int | None = Field(
        None,
        ge=0,
        description="Phí, lệ phí phải nộp (đồng). Mặc định: tổng các mức phí cố định của thủ tục.",
    )
    fee_paid: int = Field(0, ge=0, description="Số tiền người nộp đã nộp khi nộp hồ sơ (đồng).")


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    expected_version: int | None = Field(
        None,
        ge=1,
        description=(
            "Phiên bản hồ sơ mà người gọi đã thấy (trường version). Nếu hồ sơ đã thay đổi từ đó, "
            "trả về 409 (stale_version) thay vì tiếp nhận hai lần."
        ),
    )


class ProcedureRef(Schema):
    code: str = Field(description="Mã thủ tục.")
    name: str = Field(description="Tên thủ tục.")
    version: int = Field(description="Phiên bản của thủ tục mà hồ sơ được nộp theo; không đổi về sau.")


class AgencyRef(Schema):
    code: str = Field(description="Mã định danh của cơ quan tiếp nhận.")
    name: str = Field(description="Tên cơ quan.")


class StatusOut(Schema):
    code: int = Field(description=f"Mã trạng thái quốc gia (1–10): {_STATUS_TABLE}.")
    label: str = Field(description="Tên trạng thái.")


class EventOut(Schema):
    at: datetime = Field(description="Thời điểm.")
    action: str = Field(description="Mã thao tác (receive, accept, …).")
    action_label: str = Field(description="Tên thao tác bằng tiếng Việt.")
    actor: str = Field(
        description="Tên đăng nhập của cán bộ, hoặc 'hệ thống' khi do hệ thống ngoài thực hiện."
    )
    from_status: int | None = Field(description="Trạng thái trước thao tác (null khi mới nhận).")
    to_status: int | None = Field(description="Trạng thái sau thao tác.")
    note: str = Field(description="Ghi chú.")


class StepOut(Schema):
    sequence: int = Field(description="Lượt xử lý (1, 2, …), một dòng của phiếu kiểm soát (mẫu 05).")
    title: str = Field(description="Tên bước.")
    agency: str = Field(description="Mã cơ quan thực hiện bước.")
    assignee: str | None = Field(description="Tên đăng nhập của người được giao (null khi chưa giao).")
    started_at: datetime = Field(description="Bắt đầu.")
    due_at: datetime = Field(description="Hạn của bước (theo thời gian cho phép của bước).")
    finished_at: datetime | None = Field(description="Kết thúc (null khi đang mở).")
    outcome: str = Field(description="open, forwarded, sent_back, handed_over, finished, closed.")
    timeliness: str = Field(
        description="early, on_time, late (bước đã xong) hoặc within_time, overdue (đang mở)."
    )


class FileOut(Schema):
    id: int
    kind: str = Field(description="component (thành phần), supplement (bổ sung), result (kết quả).")
    title: str = Field(description="Tên giấy tờ.")
    file_name: str
    content_type: str = Field(description="Kiểu nội dung xác định theo nội dung tệp.")
    size: int = Field(description="Dung lượng (byte).")
    sha256: str = Field(description="Băm SHA-256 của nội dung.")
    signed_by: str = Field(description="Người ký (với kết quả), rỗng khi chưa ký.")


class DossierOut(Schema):
    code: str = Field(description="Mã hồ sơ: {mã cơ quan}-{yyMMdd}-{NNNN}.")
    procedure: ProcedureRef
    agency: AgencyRef
    channel: ChannelValue = Field(description="Hình thức nộp: online, desk, postal.")
    national_status: StatusOut = Field(description="Trạng thái quốc gia của hồ sơ.")
    received_at: datetime = Field(description="Thời điểm nhận hồ sơ.")
    accepted_at: datetime | None = Field(description="Thời điểm tiếp nhận (null khi chưa tiếp nhận).")
    due_at: datetime | None = Field(
        description=(
            "Ngày giờ hẹn trả kết quả (null khi chưa tiếp nhận); chỉ lùi theo thời gian tạm dừng, và là ngày "
            "dùng để tính đúng hạn/quá hạn."
        )
    )
    rescheduled_due_at: datetime | None = Field(
        description="Ngày hẹn lại theo phiếu xin lỗi đã được duyệt (mẫu 04); không đổi cách tính đúng hạn."
    )
    handling_agency: AgencyRef = Field(
        description="Cơ quan đang giải quyết (khác cơ quan tiếp nhận khi liên thông)."
    )
    fee_due: int = Field(description="Phí, lệ phí và nghĩa vụ tài chính phải nộp (đồng).")
    fee_paid: int = Field(description="Đã nộp (đồng).")
    timeliness: str | None = Field(
        description="early, on_time, late (đã xong) hoặc within_time, overdue (đang giải quyết); null khi chưa có hẹn."
    )
    steps: list[StepOut] = Field(description="Các bước xử lý nội bộ đã qua và đang mở.")
    files: list[FileOut] = Field(description="Các tệp của hồ sơ.")
    version: int = Field(
        description="Phiên bản của hồ sơ, tăng sau mỗi thay đổi; gửi lại làm expected_version."
    )
    timeline: list[EventOut] = Field(description="Diễn biến xử lý, theo thứ tự thời gian.")


# --- helpers --------------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Person | None:
    """The person acting, or ``None`` (the system) for an API credential."""
    principal = request.auth  # type: ignore[attr-defined]
    return principal if isinstance(principal, Person) else None


def _principal(request: HttpRequest) -> Person | ApiCredential:
    return request.auth  # type: ignore[attr-defined]


def _intake_agency(principal: Person | ApiCredential, code: str) -> Agency:
    """The receiving agency named in an intake; a credential's own agency needs no query."""
    if isinstance(principal, ApiCredential) and principal.is_active and principal.agency.code == code:
        return principal.agency
    return agency_for(principal, code)


def _local(moment: datetime | None, zone: tzinfo | None = None) -> datetime | None:
    """Moments leave in Vietnam time (+07:00), whether just computed or read back from the database.

    ``zone``: the current time zone, when the caller has already looked it up for the other moments it sends.
    """
    if moment is None:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone())


def _local_text(moment: datetime | None, zone: tzinfo | None = None) -> str | None:
    """:func:`_local` written as the API's renderer writes a moment (ISO 8601, to the millisecond), for answers
    serialised without it."""
    if moment is None:
        return None
    text = moment.astimezone(zone or timezone.get_current_timezone()).isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    return text[:-6] + "Z" if text.endswith("+00:00") else text


Moment = Callable[[datetime | None, tzinfo], datetime | str | None]


@functools.cache
def _action_label(action: str, language: str | None) -> str:
    # Labels are lazy translations; each answer would otherwise look the same words up again.
    with translation.override(language):
        return str(selectors.action_label(action))


@functools.cache
def _status_label(status: int, language: str | None) -> str:
    with translation.override(language):
        return str(NationalStatus(status).label)


def _event(event: DossierEvent, zone: tzinfo, moment: Moment = _local) -> dict[str, Any]:
    return {
        "at": moment(event.at, zone),
        "action": event.action,
        "action_label": _action_label(event.action, translation.get_language()),
        "actor": event.actor,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
    }


def _step(step: DossierStep, now: datetime, zone: tzinfo, moment: Moment = _local) -> dict[str, Any]:
    return {
        "sequence": step.sequence,
        "title": step.title,
        "agency": step.agency.code,
        "assignee": step.assignee.get_username() if step.assignee else None,
        "started_at": moment(step.started_at, zone),
        "due_at": moment(step.due_at, zone),
        "finished_at": moment(step.finished_at, zone),
        "outcome": step.outcome,
        "timeliness": str(step_timeliness(step.due_at, step.finished_at, now)),
    }


def _file(row: DossierFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "file_name": row.file_name,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "signed_by": row.signed_by,
    }


def _out(
    dossier: Dossier,
    *,
    steps: Iterable[DossierStep] | None = None,
    files: Iterable[DossierFile] | None = None,
    events: Iterable[DossierEvent] | None = None,
    moment: Moment = _local,
) -> dict[str, Any]:
    """The answer for ``dossier``; its steps, files and timeline are read unless given. ``moment`` writes its
    moments: as datetimes for ninja's renderer, or as :func:`_local_text` for :func:`_json_answer`."""
    status = int(dossier.national_status)
    holder = dossier.handling_agency or dossier.agency
    now = timezone.now()
    zone = timezone.get_current_timezone()
    return {
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure.code,
            "name": dossier.procedure.name,
            "version": dossier.procedure_version.number,
        },
        "agency": {"code": dossier.agency.code, "name": dossier.agency.name},
        "channel": dossier.channel,
        "national_status": {"code": status, "label": _status_label(status, translation.get_language())},
        "received_at": moment(dossier.received_at, zone),
        "accepted_at": moment(dossier.accepted_at, zone),
        "due_at": moment(dossier.due_at, zone),
        "rescheduled_due_at": moment(dossier.rescheduled_due_at, zone),
        "handling_agency": {"code": holder.code, "name": holder.name},
        "fee_due": dossier.fee_due,
        "fee_paid": dossier.fee_paid,
        "timeliness": selectors.timeliness_of(dossier, now),
        "steps": [_step(s, now, zone, moment) for s in (dossier.steps.all() if steps is None else steps)],
        "files": [_file(f) for f in (dossier.files.all() if files is None else files)],
        "version": dossier.version,
        "timeline": [_event(e, zone, moment) for e in (dossier.events.all() if events is None else events)],
    }


# --- operations -----------------------------------------------------------------------------------------


@router.post(
    "",
    response={201: DossierOut, 200: DossierOut},
    url_name="dossier_receive",
    summary="Nhận hồ sơ mới",
    description=(
        "Hệ thống ngoài hoặc đơn vị bưu chính gửi hồ sơ đến bộ phận một cửa của cơ quan. Trả về mã hồ sơ, "
        "trạng thái, thời điểm nhận và ngày hẹn (201). Để gửi lại an toàn khi không nhận được trả lời, kèm "
        "tiêu đề Idempotency-Key: gửi lại cùng khóa và cùng nội dung trả về hồ sơ đã tạo (200, tiêu đề "
        "Idempotent-Replayed: true), không tạo hồ sơ thứ hai; cùng khóa mà nội dung khác → 422. Không có khóa "
        "thì gửi hai lần tạo hai hồ sơ. Cơ quan ngoài phạm vi của người gọi → 404; cán bộ không có vai trò một "
        "cửa → 403."
    ),
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": idempotency.HEADER,
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_LENGTH},
                "description": (
                    "Khóa do bên gọi tự sinh cho mỗi hồ sơ (ví dụ một UUID), 1–255 ký tự ASCII nhìn thấy được; "
                    "riêng cho từng khóa API."
                ),
            }
        ]
    },
)
def receive(request: HttpRequest, payload: Annotated[DossierIn, JsonBody(...)]) -> HttpResponse:
    principal = _principal(request)
    agency = _intake_agency(principal, payload.agency.strip())
    try:
        received = services.receive_and_return_rows(
            actor=_actor(request),
            procedure_code=payload.procedure_code,
            agency=agency,
            applicant=services.Applicant(**vars(payload.applicant)),
            channel=payload.channel,
            received_at=payload.received_at,
            representative=payload.representative,
            components=[
                Upload.from_mapping(c.model_dump(), f"components[{i}]")
                for i, c in enumerate(payload.components)
            ],
            fee_due=payload.fee_due,
            fee_paid=payload.fee_paid,
            idempotency=idempotency.from_header(
                request.META.get(idempotency.META_KEY), principal=principal, body=request.body
            ),
        )
    except idempotency.AlreadyReceived as repeat:
        replayed = _json_answer(
            _out(selectors.dossier_with_details(principal, repeat.dossier.code), moment=_local_text), 200
        )
        replayed["Idempotent-Replayed"] = "true"
        return replayed
    answer = _out(
        received.dossier, steps=(), files=received.files, events=(received.first_event,), moment=_local_text
    )
    return _json_answer(answer, 201)


def _json_answer(answer: dict[str, Any], status: int) -> HttpResponse:
    """``answer`` as JSON, written by pydantic-core without validating it against DossierOut first: the busiest
    endpoint, and the answer is built by the same :func:`_out` as every other (tests check it against the
    schema). Its moments are text already (:func:`_local_text`), so they read as on every other answer."""
    return HttpResponse(pydantic_core.to_json(answer), status=status, content_type=_JSON)


@router.get(
    "/{code}",
    response=DossierOut,
    url_name="dossier_detail",
    summary="Xem hồ sơ",
    description="Trạng thái, ngày hẹn và diễn biến của hồ sơ. Hồ sơ ngoài phạm vi cơ quan của người gọi → 404.",
)
def read(request: HttpRequest, code: str) -> dict[str, Any]:
    return _out(selectors.dossier_with_details(_principal(request), code))


@router.post(
    "/{code}/actions/accept",
    response=DossierOut,
    url_name="dossier_accept",
    summary="Tiếp nhận hồ sơ trực tuyến",
    description=(
        "Chuyển hồ sơ từ trạng thái 1 (mới đăng ký) sang 2 (đã tiếp nhận) và tính ngày hẹn trả kết quả từ "
        "lúc tiếp nhận. Cần vai trò cán bộ một cửa của cơ quan (403); hồ sơ không ở trạng thái 1, hoặc "
        "expected_version đã cũ → 409."
    ),
)
def accept(request: HttpRequest, code: str, payload: AcceptIn | None = None) -> dict[str, Any]:
    dossier = selectors.dossier_for(_principal(request), code)
    services.accept_dossier(
        actor=_actor(request),
        dossier=dossier,
        expected_version=payload.expected_version if payload is not None else None,
    )
    return _out(selectors.dossier_with_details(_principal(request), code))
