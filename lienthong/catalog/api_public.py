"""Public catalogue API (no sign-in): search procedures, read one with its appointment date, its versions.

Mounted at ``/api/v1/`` through ``catalog/api.py``. What is public follows the portal: active and suspended
procedures; a cancelled one answers 404 like an unknown code (its versions too — officers read them on the
history pages). Errors are RFC 9457 problems: an unknown code 404, a code of the wrong shape 422 naming
``code``, an unknown online level 422 naming ``level``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from . import selectors
from .models import Procedure, ProcedureVersion
from .record import PROCEDURE_CODE_PATTERN, ProcedureRecord

router = Router(auth=None)

LevelValue = Literal["full", "partial", "info"]
TierValue = Literal["central", "province", "district", "commune"]
UnitValue = Literal["working_days", "working_hours", "calendar_days"]
StatusValue = Literal["active", "suspended", "cancelled"]

CodePath = Annotated[
    str, Path(pattern=PROCEDURE_CODE_PATTERN, description="Mã thủ tục quốc gia, dạng 1.001193.")
]


class ProcedureSummaryOut(Schema):
    code: str = Field(description="Mã thủ tục quốc gia, dạng 1.001193.")
    name: str = Field(description="Tên thủ tục.")
    field_code: str = Field(description="Mã lĩnh vực.")
    field_name: str = Field(description="Tên lĩnh vực.")
    online_level: LevelValue = Field(
        description="Mức độ trực tuyến: full (toàn trình), partial (một phần), info (cung cấp thông tin)."
    )
    status: StatusValue = Field(description="active (đang áp dụng) hoặc suspended (tạm ngừng tiếp nhận).")
    tiers: list[TierValue] = Field(description="Các cấp thực hiện.")
    processing_value: float = Field(description="Thời hạn giải quyết (số).")
    processing_unit: UnitValue = Field(
        description="Đơn vị thời hạn: working_days (ngày làm việc), working_hours (giờ làm việc), "
        "calendar_days (ngày theo lịch)."
    )
    url: str = Field(description="Đường dẫn trang thủ tục trên cổng (tương đối).")


class ProcedurePageOut(Schema):
    items: list[ProcedureSummaryOut] = Field(description="Các thủ tục của trang này (tối đa 20).")
    count: int = Field(description="Tổng số thủ tục khớp điều kiện.")
    page: int = Field(description="Số trang hiện tại, bắt đầu từ 1.")
    pages: int = Field(description="Tổng số trang (ít nhất 1).")


class FeeOut(Schema):
    case: str = Field(description="Trường hợp áp dụng; rỗng khi chỉ có một mức thu.")
    amount: int = Field(description="Mức thu, đồng (VND).")
    kind: str = Field(description="Loại: lệ phí hoặc phí.")


class ComponentOut(Schema):
    name: str = Field(description="Tên giấy tờ (thành phần hồ sơ).")
    originals: int = Field(description="Số bản chính.")
    copies: int = Field(description="Số bản sao.")
    required: bool = Field(description="Bắt buộc hay không.")
    template_url: str = Field(description="Đường dẫn tải mẫu đơn, tờ khai; rỗng nếu không có.")
    file_types: list[str] = Field(description="Định dạng tệp được nhận khi nộp trực tuyến (pdf, docx…).")


class ResultOut(Schema):
    name: str = Field(description="Tên kết quả.")
    kind: Literal["paper", "electronic"] = Field(description="paper (bản giấy) hoặc electronic (điện tử).")


class LegalBasisOut(Schema):
    number: str = Field(description="Số, ký hiệu văn bản.")
    title: str = Field(description="Trích yếu văn bản.")


class RecordOut(Schema):
    """One version of a procedure's content, as stored (the shape of ``record.ProcedureRecord``)."""

    code: str = Field(description="Mã thủ tục quốc gia.")
    name: str = Field(description="Tên thủ tục.")
    field_code: str = Field(description="Mã lĩnh vực.")
    field_name: str = Field(description="Tên lĩnh vực.")
    processing_value: float = Field(description="Thời hạn giải quyết (số).")
    processing_unit: UnitValue = Field(description="Đơn vị thời hạn.")
    processing_note: str = Field(description="Ghi chú về thời hạn.")
    tiers: list[TierValue] = Field(description="Các cấp thực hiện.")
    agencies: list[str] = Field(description="Mã định danh các cơ quan thực hiện.")
    receiving_agency: str = Field(description="Mã định danh nơi tiếp nhận hồ sơ; rỗng nếu không quy định.")
    fees: list[FeeOut] = Field(description="Phí, lệ phí: một mức cố định hoặc theo từng trường hợp.")
    components: list[ComponentOut] = Field(description="Thành phần hồ sơ.")
    steps: str = Field(description="Trình tự thực hiện.")
    eligibility: str = Field(description="Yêu cầu, điều kiện thực hiện.")
    results: list[ResultOut] = Field(description="Kết quả thực hiện.")
    legal_basis: list[LegalBasisOut] = Field(description="Căn cứ pháp lý.")
    online_level: LevelValue = Field(description="Mức độ trực tuyến.")
    status: StatusValue = Field(description="Trạng thái của phiên bản.")
    effective_from: date | None = Field(description="Ngày có hiệu lực.")
    effective_to: date | None = Field(description="Ngày hết hiệu lực.")


class LocalCodeOut(Schema):
    agency_code: str = Field(description="Mã định danh cơ quan thực hiện.")
    agency_name: str = Field(description="Tên cơ quan thực hiện.")
    local_code: str = Field(description="Mã thủ tục tại cơ quan (mã thủ tục + mã định danh cơ quan).")


class AppointmentOut(Schema):
    submitted: datetime = Field(description="Thời điểm giả định nộp hồ sơ (lúc gọi API), giờ Việt Nam.")
    counted_from: datetime = Field(description="Thời điểm bắt đầu tính hạn (đầu buổi làm việc kế tiếp).")
    due: datetime = Field(description="Ngày giờ hẹn trả dự kiến, giờ Việt Nam.")
    agency_code: str = Field(description="Cơ quan có lịch làm việc được dùng để tính; rỗng là lịch chung.")
    calendar_years_missing: list[int] = Field(
        description="Các năm chưa nạp lịch nghỉ lễ (ngày hẹn có thể thay đổi khi nạp)."
    )


class ProcedureOut(RecordOut):
    version: int = Field(description="Số phiên bản hiện hành.")
    receiving_agency_name: str = Field(description="Tên nơi tiếp nhận hồ sơ, nếu có trong danh bạ.")
    local_codes: list[LocalCodeOut] = Field(description="Mã thủ tục tại từng cơ quan thực hiện.")
    appointment: AppointmentOut | None = Field(
        description="Ngày hẹn trả nếu nộp ngay bây giờ; null khi thủ tục đang tạm ngừng tiếp nhận."
    )
    url: str = Field(description="Đường dẫn trang thủ tục trên cổng (tương đối).")


class VersionSummaryOut(Schema):
    number: int = Field(description="Số phiên bản, bắt đầu từ 1.")
    created_at: datetime = Field(description="Thời điểm tạo phiên bản.")
    source: str = Field(description="Nguồn thay đổi (tệp nhập, biểu mẫu…).")
    current: bool = Field(description="Có phải phiên bản hiện hành không.")
    changed_fields: list[str] = Field(
        description="Các trường thay đổi so với phiên bản trước (tên trường của record); rỗng ở phiên bản 1."
    )


class VersionOut(Schema):
    number: int = Field(description="Số phiên bản.")
    created_at: datetime = Field(description="Thời điểm tạo phiên bản.")
    source: str = Field(description="Nguồn thay đổi.")
    current: bool = Field(description="Có phải phiên bản hiện hành không.")
    record: RecordOut = Field(description="Nội dung thủ tục ở phiên bản này.")


def _url(code: str) -> str:
    return reverse("catalog:detail", args=[code])


def _summary(procedure: Procedure) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field_code": procedure.field.code,
        "field_name": procedure.field.name,
        "online_level": procedure.online_level,
        "status": procedure.status,
        "tiers": procedure.tiers,
        "processing_value": procedure.processing_value,
        "processing_unit": procedure.processing_unit,
        "url": _url(procedure.code),
    }


@router.get("/procedures", response=ProcedurePageOut, summary="Tra cứu thủ tục hành chính")
def list_procedures(
    request: HttpRequest,
    q: Annotated[
        str, Query(max_length=200, description="Từ khóa trong tên hoặc mã; có dấu hay không dấu đều được.")
    ] = "",
    field: Annotated[str, Query(max_length=40, description="Mã lĩnh vực, ví dụ H99-XD01.")] = "",
    agency: Annotated[str, Query(max_length=13, description="Mã định danh cơ quan thực hiện.")] = "",
    tier: Annotated[TierValue | None, Query(description="Cấp thực hiện.")] = None,
    level: Annotated[LevelValue | None, Query(description="Mức độ trực tuyến.")] = None,
    page: Annotated[
        int, Query(ge=1, le=100_000, description="Số trang, bắt đầu từ 1 (20 thủ tục/trang).")
    ] = 1,
) -> dict[str, Any]:
    """Thủ tục đang áp dụng hoặc tạm ngừng (không có thủ tục đã bãi bỏ), khớp mọi từ của ``q`` và mọi bộ
    lọc; cụm từ khớp nguyên văn đứng trước, rồi theo tên."""
    rows = selectors.search_procedures(q, field=field, agency=agency, tier=tier or "", level=level or "")
    count = rows.count()
    size = selectors.PAGE_SIZE
    start = (page - 1) * size
    items = list(rows[start : start + size]) if start < count else []
    return {
        "items": [_summary(p) for p in items],
        "count": count,
        "page": page,
        "pages": max(1, -(-count // size)),
    }


def _appointment(procedure: Procedure) -> dict[str, Any] | None:
    if procedure.status != "active":
        return None
    appointment = selectors.appointment_for(procedure)
    return {
        "submitted": appointment.submitted,
        "counted_from": appointment.counted_from,
        "due": appointment.due,
        "agency_code": appointment.agency_code,
        "calendar_years_missing": list(appointment.calendar_years_missing),
    }


@router.get("/procedures/{code}", response=ProcedureOut, summary="Một thủ tục, kèm ngày hẹn trả nếu nộp ngay")
def get_procedure(request: HttpRequest, code: CodePath) -> dict[str, Any]:
    """Nội dung hiện hành của thủ tục, mã thủ tục tại từng cơ quan thực hiện, và ngày hẹn trả dự kiến nếu
    nộp hồ sơ lúc này (theo lịch làm việc của nơi tiếp nhận)."""
    procedure = selectors.procedure_by_code(code)
    record: ProcedureRecord = selectors.current_record(procedure)
    assert procedure.current_version is not None
    return {
        **record.as_dict(),
        "version": procedure.current_version.number,
        "receiving_agency_name": selectors.agency_name(record.receiving_agency),
        "local_codes": [vars(i) for i in selectors.implementations_of(procedure)],
        "appointment": _appointment(procedure),
        "url": _url(procedure.code),
    }


@router.get(
    "/procedures/{code}/versions", response=list[VersionSummaryOut], summary="Các phiên bản của thủ tục"
)
def list_versions(request: HttpRequest, code: CodePath) -> list[dict[str, Any]]:
    """Mọi phiên bản, cũ trước, kèm các trường mỗi phiên bản đã thay đổi."""
    procedure = selectors.procedure_by_code(code)
    out: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version in selectors.versions_of(procedure):
        changed = (
            [c.name for c in selectors.field_changes(previous, version.record)]
            if previous is not None
            else []
        )
        out.append({**_version_head(procedure, version), "changed_fields": changed})
        previous = version.record
    return out


def _version_head(procedure: Procedure, version: ProcedureVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "created_at": version.created_at,
        "source": version.source,
        "current": version.pk == procedure.current_version_id,
    }


@router.get(
    "/procedures/{code}/versions/{number}", response=VersionOut, summary="Nội dung một phiên bản của thủ tục"
)
def get_version(
    request: HttpRequest,
    code: CodePath,
    number: Annotated[int, Path(ge=1, description="Số phiên bản, bắt đầu từ 1.")],
) -> dict[str, Any]:
    procedure = selectors.procedure_by_code(code)
    version = selectors.version_of(procedure, number)
    return {**_version_head(procedure, version), "record": version.record}
