"""The directory API, mounted at ``/api/v1/directory/``: agencies, their units, people and history.

Every operation is scoped (:mod:`lienthong.directory.selectors`): an agency outside the caller's scope
answers 404 like one that does not exist. Changes need the agency administrator role or a system
administrator (403, rule ``role_required``); API credentials read only.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict, field_validator

from lienthong.core.errors import DomainError

from . import selectors, services
from .auth import api_auth
from .codes import AGENCY_CODE_PATTERN
from .models import Agency, Person, RoleAssignment, Unit

router = Router(auth=api_auth)

TierValue = Literal["central", "province", "district", "commune"]
UnitKindValue = Literal["office", "department", "board", "onestop", "other"]
RoleValue = Literal[
    "system_admin", "agency_admin", "clerk", "leader", "unit_head", "specialist", "onestop_officer"
]
PAGE_SIZE = 50


class AgencyOut(Schema):
    code: str = Field(description="Mã định danh điện tử của cơ quan, dạng NNN.NN.NN.XNN (QCVN 102).")
    name: str = Field(description="Tên đầy đủ.")
    short_name: str = Field(description="Tên viết tắt, dùng trong ký hiệu văn bản (UBND, SNV…).")
    tier: TierValue = Field(
        description="Cấp: central (trung ương), province, district (trước 7/2025), commune."
    )
    parent_code: str | None = Field(description="Mã định danh của cơ quan cấp trên, nếu có.")
    address: str = Field(description="Địa chỉ trụ sở.")
    phone: str = Field(description="Điện thoại.")
    email: str = Field(description="Thư điện tử.")
    website: str = Field(description="Trang thông tin điện tử.")
    is_active: bool = Field(description="Còn hoạt động (false khi đã sáp nhập hoặc giải thể).")
    valid_from: date | None = Field(description="Ngày bắt đầu hiệu lực.")
    valid_to: date | None = Field(description="Ngày chấm dứt hiệu lực.")
    successor_code: str | None = Field(
        description="Mã định danh của cơ quan kế thừa chức năng khi cơ quan này chấm dứt (sáp nhập 2025)."
    )

    @staticmethod
    def resolve_parent_code(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_successor_code(obj: Agency) -> str | None:
        return obj.successor.code if obj.successor_id and obj.successor else None


class AgencyPatch(Schema):
    """Only the fields sent are changed. ``null`` clears a text field, a date or a link (parent, successor);
    the name, short name, tier and ``is_active`` cannot be cleared."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=300, description="Tên đầy đủ; không nhận null.")
    short_name: str | None = Field(
        None, min_length=1, max_length=30, description="Tên viết tắt; không nhận null."
    )
    tier: TierValue | None = Field(None, description="Cấp của cơ quan; không nhận null.")
    parent_code: str | None = Field(
        None, pattern=AGENCY_CODE_PATTERN, description="Mã định danh của cơ quan cấp trên; null để bỏ."
    )
    address: str | None = Field(None, max_length=300, description="Địa chỉ trụ sở.")
    phone: str | None = Field(None, max_length=50, description="Điện thoại.")
    email: str | None = Field(None, max_length=254, description="Thư điện tử.")
    website: str | None = Field(None, max_length=200, description="Trang thông tin điện tử.")
    is_active: bool | None = Field(None, description="Còn hoạt động; không nhận null.")
    valid_from: date | None = Field(None, description="Ngày bắt đầu hiệu lực (YYYY-MM-DD).")
    valid_to: date | None = Field(None, description="Ngày chấm dứt hiệu lực (YYYY-MM-DD).")
    successor_code: str | None = Field(
        None, pattern=AGENCY_CODE_PATTERN, description="Mã định danh của cơ quan kế thừa; null để bỏ."
    )

    @field_validator("name", "short_name", "tier", "is_active", mode="before")
    @classmethod
    def _required_if_sent(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving a field out keeps it, sending null is refused.
        if value is None:
            raise ValueError("Trường này không được là null; bỏ trường ra khỏi yêu cầu nếu không muốn đổi.")
        return value


class UnitOut(Schema):
    code: str = Field(description="Mã đơn vị, duy nhất trong cơ quan.")
    name: str = Field(description="Tên đơn vị.")
    short_name: str = Field(description="Tên viết tắt.")
    kind: UnitKindValue = Field(
        description="Loại: office, department, board, onestop (bộ phận một cửa), other."
    )
    parent_code: str | None = Field(description="Mã của đơn vị cấp trên trong cùng cơ quan, nếu có.")
    is_active: bool = Field(description="Còn hoạt động.")

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class UnitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=30, description="Mã đơn vị, duy nhất trong cơ quan.")
    name: str = Field(min_length=1, max_length=300, description="Tên đơn vị.")
    short_name: str = Field("", max_length=30, description="Tên viết tắt.")
    kind: UnitKindValue = Field("department", description="Loại đơn vị.")
    parent_code: str | None = Field(None, max_length=30, description="Mã đơn vị cấp trên trong cùng cơ quan.")
    is_active: bool = Field(True, description="Còn hoạt động.")


class RoleOut(Schema):
    role: RoleValue = Field(description="Vai trò trong cơ quan.")
    unit_code: str | None = Field(description="Mã đơn vị nơi giữ vai trò, nếu có.")
    position: str | None = Field(description="Chức vụ, nếu có.")

    @staticmethod
    def resolve_unit_code(obj: RoleAssignment) -> str | None:
        return obj.unit.code if obj.unit_id and obj.unit else None

    @staticmethod
    def resolve_position(obj: RoleAssignment) -> str | None:
        return obj.position.name if obj.position_id and obj.position else None


class PersonOut(Schema):
    username: str = Field(description="Tên đăng nhập.")
    full_name: str = Field(description="Họ và tên.")
    email: str = Field(description="Thư điện tử.")
    phone: str = Field(description="Điện thoại.")
    roles: list[RoleOut] = Field(description="Các vai trò còn hiệu lực của người này trong cơ quan.")

    @staticmethod
    def resolve_roles(obj: Person) -> list[RoleAssignment]:
        return list(getattr(obj, "agency_roles", []))


class AuditEntryOut(Schema):
    id: int = Field(description="Số thứ tự của bản ghi trong nhật ký.")
    at: datetime = Field(description="Thời điểm thay đổi.")
    actor: str = Field(description="Tên đăng nhập người thực hiện, hoặc 'hệ thống'.")
    action: str = Field(description="Hành động, ví dụ agency.update.")
    changes: dict[str, Any] = Field(description="Các trường thay đổi: {trường: [giá trị cũ, giá trị mới]}.")


def _principal(request: HttpRequest) -> Any:
    """Who is calling: the ApiCredential or the Person that :data:`api_auth` accepted."""
    return getattr(request, "auth", None)


def _person(request: HttpRequest) -> Person | None:
    principal = _principal(request)
    return principal if isinstance(principal, Person) else None


def _agency_by_code(code: str | None, field: str) -> Agency | None:
    if code is None:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise DomainError(message=f"Không có cơ quan mang mã định danh '{code}'.", rule="exists", field=field)
    return agency


def _unit_by_code(agency: Agency, code: str | None) -> Unit | None:
    if code is None:
        return None
    unit = Unit.objects.filter(agency=agency, code=code).first()
    if unit is None:
        raise DomainError(
            message=f"Cơ quan {agency.code} không có đơn vị mang mã '{code}'.",
            rule="exists",
            field="parent_code",
        )
    return unit


@router.get("/agencies", response=list[AgencyOut], summary="Danh sách cơ quan trong phạm vi của bạn")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_agencies(
    request: HttpRequest,
    q: Annotated[
        str, Query(max_length=200, description="Tìm theo mã, tên hoặc tên viết tắt, không cần dấu.")
    ] = "",
    tier: Annotated[TierValue | None, Query(description="Chỉ lấy cơ quan ở cấp này.")] = None,
    active: Annotated[bool | None, Query(description="true: đang hoạt động; false: đã chấm dứt.")] = None,
) -> list[Agency]:
    return selectors.search_agencies(_principal(request), q=q, tier=tier, active=active)


@router.get("/agencies/{code}", response=AgencyOut, summary="Thông tin một cơ quan")
def get_agency(request: HttpRequest, code: str) -> Agency:
    return selectors.agency_for(_principal(request), code)


@router.patch("/agencies/{code}", response=AgencyOut, summary="Sửa thông tin cơ quan (quản trị cơ quan)")
def patch_agency(request: HttpRequest, code: str, payload: AgencyPatch) -> Agency:
    agency = selectors.agency_for_change(_principal(request), code)
    fields = payload.model_dump(exclude_unset=True)
    for text in ("address", "phone", "email", "website"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    if "parent_code" in fields:
        fields["parent"] = _agency_by_code(fields.pop("parent_code"), "parent_code")
    if "successor_code" in fields:
        fields["successor"] = _agency_by_code(fields.pop("successor_code"), "successor_code")
    updated = services.update_agency(actor=_person(request), agency=agency, **fields)
    return selectors.agency_for(_principal(request), updated.code)


@router.get("/agencies/{code}/units", response=list[UnitOut], summary="Các đơn vị của cơ quan")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_units(request: HttpRequest, code: str) -> Any:
    agency = selectors.agency_for(_principal(request), code)
    return selectors.units_of(agency)


@router.post("/agencies/{code}/units", response={201: UnitOut}, summary="Thêm đơn vị (quản trị cơ quan)")
def create_unit(request: HttpRequest, code: str, payload: UnitIn) -> Status:
    agency = selectors.agency_for_change(_principal(request), code)
    fields = payload.model_dump()
    fields["parent"] = _unit_by_code(agency, fields.pop("parent_code"))
    unit = services.add_unit(actor=_person(request), agency=agency, **fields)
    return Status(201, unit)


@router.get("/agencies/{code}/people", response=list[PersonOut], summary="Cán bộ có vai trò trong cơ quan")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_people(request: HttpRequest, code: str) -> Any:
    agency = selectors.agency_for(_principal(request), code)
    return selectors.people_of(agency)


@router.get("/agencies/{code}/history", response=list[AuditEntryOut], summary="Lịch sử thay đổi của cơ quan")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def agency_history(request: HttpRequest, code: str) -> Any:
    agency = selectors.agency_for(_principal(request), code)
    return selectors.agency_history(agency)
