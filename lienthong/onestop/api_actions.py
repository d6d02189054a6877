"""The dossier's actions after reception through the API: ``POST /api/v1/dossiers/{code}/actions/<name>``.

Mounted inside the dossier router (:mod:`lienthong.onestop.api`), which also serves ``accept``. Each endpoint
is thin: find the dossier in the caller's scope (outside it → 404, like a dossier that does not exist), call
the matching function of :mod:`lienthong.onestop.actions` with the actor (a signed-in officer acts as
themselves; an API credential acts as the system, ``None``, and only for its own agency), and answer with the
dossier as ``GET /{code}`` shows it. Refusals (400/403/409) leave as problem documents naming the field and
the rule; a wrong status is a 409 naming ``national_status``. An action name that does not exist → 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from lienthong.directory.auth import api_auth

from . import actions, selectors
from .api import DossierOut, _actor, _out, _principal

router = Router(auth=api_auth)

ReturnMethodValue = Literal["desk", "electronic", "postal"]

_VERSION_HELP = (
    "Phiên bản hồ sơ mà người gọi đã thấy (trường version). Nếu hồ sơ đã thay đổi từ đó, trả về 409 "
    "(stale_version) thay vì thực hiện hai lần."
)
_AT_HELP = (
    "Thời điểm thực hiện (kèm múi giờ, vd. +07:00); mặc định là lúc gọi API. Không được ở tương lai, "
    "không được trước thao tác gần nhất của hồ sơ."
)


# --- schemas --------------------------------------------------------------------------------------------


class ActionIn(Schema):
    """Fields every action takes: when it happened and the version the caller saw."""

    model_config = ConfigDict(extra="forbid")

    at: datetime | None = Field(None, description=_AT_HELP)
    expected_version: int | None = Field(None, ge=1, description=_VERSION_HELP)


class ReasonIn(ActionIn):
    reason: str = Field(max_length=2000, description="Lý do (bắt buộc), gửi đến người nộp hồ sơ.")


class OptionalReasonIn(ActionIn):
    reason: str = Field("", max_length=2000, description="Lý do (không bắt buộc).")


class NoteIn(ActionIn):
    note: str = Field("", max_length=2000, description="Ghi chú về hồ sơ bổ sung (không bắt buộc).")


class ReturnIn(ActionIn):
    method: ReturnMethodValue = Field(
        description="Hình thức trả kết quả: desk (tại bộ phận một cửa), electronic (điện tử), postal (bưu chính)."
    )
    tracking_number: str = Field(
        "",
        max_length=40,
        description="Số hiệu bưu gửi — bắt buộc khi method là postal, không được ghi với hình thức khác.",
    )


# --- helpers --------------------------------------------------------------------------------------------


def _act(
    request: HttpRequest, code: str, do: Callable[..., object], payload: ActionIn | None, **fields: Any
) -> dict[str, Any]:
    """Find ``code`` in the caller's scope, run the action ``do`` as the caller, answer the fresh dossier."""
    dossier = selectors.dossier_for(_principal(request), code)
    do(
        actor=_actor(request),
        dossier=dossier,
        at=payload.at if payload is not None else None,
        expected_version=payload.expected_version if payload is not None else None,
        **fields,
    )
    return _out(selectors.dossier_with_details(_principal(request), code))


# --- operations -----------------------------------------------------------------------------------------


@router.post(
    "/{code}/actions/refuse",
    response=DossierOut,
    url_name="dossier_refuse",
    summary="Từ chối tiếp nhận hồ sơ trực tuyến",
    description=(
        "Trạng thái 1 → 3 (mẫu 03): từ chối hồ sơ nộp trực tuyến, nêu rõ lý do. Cần vai trò cán bộ một cửa "
        "(403). Thiếu lý do → 400 (reason); hồ sơ không ở trạng thái 1 → 409 (national_status)."
    ),
)
def refuse(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, code, actions.refuse_at_intake, payload, reason=payload.reason)


@router.post(
    "/{code}/actions/request-supplement",
    response=DossierOut,
    url_name="dossier_request_supplement",
    summary="Yêu cầu bổ sung hồ sơ",
    description=(
        "Trạng thái 2 hoặc 4 → 5 (mẫu 02), nêu rõ nội dung cần bổ sung. Thời gian giải quyết tạm dừng từ lúc "
        "này. Cần vai trò xử lý của cơ quan (403); sai trạng thái → 409 (national_status)."
    ),
)
def request_supplement(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, code, actions.request_supplement, payload, reason=payload.reason)


@router.post(
    "/{code}/actions/answer-supplement",
    response=DossierOut,
    url_name="dossier_answer_supplement",
    summary="Nhận hồ sơ bổ sung",
    description=(
        "Trạng thái 5 → 4: người nộp đã bổ sung. Thời gian giải quyết chạy lại và ngày hẹn lùi thêm đúng "
        "thời gian làm việc đã tạm dừng. Cần vai trò cán bộ một cửa (403); sai trạng thái → 409."
    ),
)
def answer_supplement(request: HttpRequest, code: str, payload: NoteIn | None = None) -> dict[str, Any]:
    note = payload.note if payload is not None else ""
    return _act(request, code, actions.answer_supplement, payload, note=note)


@router.post(
    "/{code}/actions/start-processing",
    response=DossierOut,
    url_name="dossier_start_processing",
    summary="Chuyển hồ sơ đi xử lý",
    description="Trạng thái 2 → 4. Cần vai trò xử lý của cơ quan (403); sai trạng thái → 409 (national_status).",
)
def start_processing(request: HttpRequest, code: str, payload: ActionIn | None = None) -> dict[str, Any]:
    return _act(request, code, actions.start_processing, payload)


@router.post(
    "/{code}/actions/finish",
    response=DossierOut,
    url_name="dossier_finish",
    summary="Kết thúc xử lý, có kết quả",
    description=(
        "Trạng thái 4 → 9: đã có kết quả chờ trả. Thời điểm này quyết định hồ sơ đúng hạn hay quá hạn. "
        "Cần vai trò xử lý của cơ quan (403); sai trạng thái → 409 (national_status)."
    ),
)
def finish(request: HttpRequest, code: str, payload: ActionIn | None = None) -> dict[str, Any]:
    return _act(request, code, actions.finish, payload)


@router.post(
    "/{code}/actions/return-result",
    response=DossierOut,
    url_name="dossier_return_result",
    summary="Trả kết quả cho người nộp",
    description=(
        "Trạng thái 9 → 10: trả tại bộ phận một cửa, điện tử, hoặc qua bưu chính (phải có số hiệu bưu gửi → "
        "400 tracking_number nếu thiếu). Cần vai trò cán bộ một cửa (403); sai trạng thái → 409."
    ),
)
def return_result(request: HttpRequest, code: str, payload: ReturnIn) -> dict[str, Any]:
    return _act(
        request,
        code,
        actions.return_result,
        payload,
        method=payload.method,
        tracking_number=payload.tracking_number,
    )


@router.post(
    "/{code}/actions/withdraw",
    response=DossierOut,
    url_name="dossier_withdraw",
    summary="Rút hồ sơ theo yêu cầu của người nộp",
    description=(
        "Trạng thái 1, 2, 4 hoặc 5 → 7; lý do không bắt buộc. Cần vai trò cán bộ một cửa (403); "
        "sai trạng thái → 409 (national_status)."
    ),
)
def withdraw(request: HttpRequest, code: str, payload: OptionalReasonIn | None = None) -> dict[str, Any]:
    reason = payload.reason if payload is not None else ""
    return _act(request, code, actions.withdraw, payload, reason=reason)


@router.post(
    "/{code}/actions/stop",
    response=DossierOut,
    url_name="dossier_stop",
    summary="Dừng xử lý hồ sơ",
    description=(
        "Trạng thái 2, 4 hoặc 5 → 8, nêu rõ lý do. Cần vai trò xử lý của cơ quan (403); thiếu lý do → 400 "
        "(reason); sai trạng thái → 409 (national_status)."
    ),
)
def stop(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, code, actions.stop_processing, payload, reason=payload.reason)


@router.post("/{code}/actions/{action}", include_in_schema=False, url_name="dossier_unknown_action")
def unknown_action(request: HttpRequest, code: str, action: str) -> None:
    """Registered last, so only names no endpoint above serves land here: a 404 problem, not an HTML page."""
    raise Http404(action)
