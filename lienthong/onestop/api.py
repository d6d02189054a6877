"""The dossier API, mounted at ``/api/v1/dossiers/``: intake, read, and actions on one-stop dossiers.

Callers: an external system or a postal partner with an API credential bound to one agency (it acts as the
system, ``actor=None``, and only for that agency), or a signed-in officer (acting as themselves, in the
agencies where they hold a role). A dossier outside the caller's scope answers 404, like one that does not
exist. Refusals leave as RFC 9457 problem documents naming the field and the rule.

Idempotency: sending the same intake twice creates two dossiers with two codes. Idempotency keys
(``Idempotency-Key`` header) are planned; until then a caller that retries must first look the dossier up.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from lienthong.directory.auth import api_auth
from lienthong.directory.models import ApiCredential, Person
from lienthong.directory.selectors import agency_for

from . import selectors, services
from .models import Dossier, DossierEvent, NationalStatus

router = Router(auth=api_auth)

_STATUS_TABLE = "; ".join(f"{choice.value} = {choice.label}" for choice in NationalStatus)

ChannelValue = Literal["online", "desk", "postal"]
ApplicantKindValue = Literal["person", "organisation"]


# --- schemas --------------------------------------------------------------------------------------------


class ApplicantIn(Schema):
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


class DossierIn(Schema):
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


class DossierOut(Schema):
    code: str = Field(description="Mã hồ sơ: {mã cơ quan}-{yyMMdd}-{NNNN}.")
    procedure: ProcedureRef
    agency: AgencyRef
    channel: ChannelValue = Field(description="Hình thức nộp: online, desk, postal.")
    national_status: StatusOut = Field(description="Trạng thái quốc gia của hồ sơ.")
    received_at: datetime = Field(description="Thời điểm nhận hồ sơ.")
    accepted_at: datetime | None = Field(description="Thời điểm tiếp nhận (null khi chưa tiếp nhận).")
    due_at: datetime | None = Field(description="Ngày giờ hẹn trả kết quả (null khi chưa tiếp nhận).")
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


def _event(event: DossierEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "action": event.action,
        "action_label": str(selectors.action_label(event.action)),
        "actor": event.actor,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
    }


def _out(dossier: Dossier) -> dict[str, Any]:
    status = NationalStatus(dossier.national_status)
    return {
        "code": dossier.code,
        "procedure": {
            "code": dossier.procedure.code,
            "name": dossier.procedure.name,
            "version": dossier.procedure_version.number,
        },
        "agency": {"code": dossier.agency.code, "name": dossier.agency.name},
        "channel": dossier.channel,
        "national_status": {"code": int(status), "label": str(status.label)},
        "received_at": dossier.received_at,
        "accepted_at": dossier.accepted_at,
        "due_at": dossier.due_at,
        "version": dossier.version,
        "timeline": [_event(e) for e in selectors.timeline_of(dossier)],
    }


# --- operations -----------------------------------------------------------------------------------------


@router.post(
    "",
    response={201: DossierOut},
    url_name="dossier_receive",
    summary="Nhận hồ sơ mới",
    description=(
        "Hệ thống ngoài hoặc đơn vị bưu chính gửi hồ sơ đến bộ phận một cửa của cơ quan. Trả về mã hồ sơ, "
        "trạng thái, thời điểm nhận và ngày hẹn. Gửi hai lần cùng nội dung tạo hai hồ sơ (chưa hỗ trợ "
        "khóa idempotency). Cơ quan ngoài phạm vi của người gọi → 404; cán bộ không có vai trò một cửa → 403."
    ),
)
def receive(request: HttpRequest, payload: DossierIn) -> Status[dict[str, Any]]:
    agency = agency_for(_principal(request), payload.agency.strip())
    dossier = services.receive_dossier(
        actor=_actor(request),
        procedure_code=payload.procedure_code,
        agency=agency,
        applicant=payload.applicant.model_dump(),
        channel=payload.channel,
        received_at=payload.received_at,
        representative=payload.representative,
    )
    fresh = selectors.dossier_for(_principal(request), dossier.code)
    return Status(201, _out(fresh))


@router.get(
    "/{code}",
    response=DossierOut,
    url_name="dossier_detail",
    summary="Xem hồ sơ",
    description="Trạng thái, ngày hẹn và diễn biến của hồ sơ. Hồ sơ ngoài phạm vi cơ quan của người gọi → 404.",
)
def read(request: HttpRequest, code: str) -> dict[str, Any]:
    return _out(selectors.dossier_for(_principal(request), code))


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
    return _out(selectors.dossier_for(_principal(request), code))


router.add_router("", "lienthong.onestop.api_actions.router")  # the other actions: api_actions.py
